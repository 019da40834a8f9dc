import ScimCore
import Testing

/// A random source that always gives the same bits: jitter becomes a known fraction.
struct FixedRandom: RandomNumberGenerator {
    var bits: UInt64
    mutating func next() -> UInt64 { bits }

    static let lowest = FixedRandom(bits: 0)        // 0.0
    static let middle = FixedRandom(bits: 1 << 63)  // 0.5
    static let highest = FixedRandom(bits: .max)    // just under 1
}

@Suite struct DeliveryPolicyTests {
    let now: Int64 = 1_795_000_000_000
    let policy = DeliveryPolicy(maxAttempts: 8, maxAgeMs: 3_600_000, initialBackoffMs: 1000, maxBackoffMs: 20_000)

    func delays(_ random: FixedRandom) -> [Int64] {
        var random = random
        return (1...7).map { policy.backoffMs(afterAttempt: $0, using: &random) }
    }

    @Test func backOffDoublesUpToTheCeilingWithJitterInTheUpperHalf() {
        #expect(delays(.lowest) == [500, 1000, 2000, 4000, 8000, 10000, 10000])
        #expect(delays(.middle) == [750, 1500, 3000, 6000, 12000, 15000, 15000])
        #expect(delays(.highest) == [999, 1999, 3999, 7999, 15999, 19999, 19999])
    }

    @Test func backOffNeverOverflowsAfterManyAttempts() {
        var random = FixedRandom.middle
        let long = DeliveryPolicy(maxAttempts: 1000, initialBackoffMs: 1000, maxBackoffMs: 300_000)
        #expect(long.backoffMs(afterAttempt: 200, using: &random) == 225_000)
    }

    func decide(_ response: DeliveryResponse, attempt: Int = 1, createdAt: Int64? = nil) -> DeliveryDecision {
        var random = FixedRandom.middle
        return policy.decide(response, attempt: attempt, createdAt: createdAt ?? now, now: now, using: &random)
    }

    @Test func twoHundredsAreSent() {
        for code in [200, 201, 202, 204] { #expect(decide(.status(code)) == .sent) }
    }

    @Test func networkErrorsTooManyRequestsAndServerErrorsAreRetried() {
        #expect(decide(.status(500)) == .retry(at: now + 750, reason: "HTTP status 500"))
        #expect(decide(.status(503), attempt: 3) == .retry(at: now + 3000, reason: "HTTP status 503"))
        #expect(decide(.status(429)) == .retry(at: now + 750, reason: "HTTP status 429"))
        #expect(decide(.unreachable("connection refused")) == .retry(at: now + 750, reason: "connection refused"))
    }

    @Test func otherClientErrorsAndRedirectsFailWithoutRetry() {
        for code in [400, 401, 403, 404, 413, 422, 301, 302] {
            #expect(decide(.status(code)) == .failed(reason: "HTTP status \(code)"), "\(code)")
        }
    }

    @Test func retryAfterIsHonouredUpToTheCeiling() {
        #expect(decide(.status(429, retryAfterMs: 7000)) == .retry(at: now + 7000, reason: "HTTP status 429"))
        #expect(decide(.status(503, retryAfterMs: 600_000)) == .retry(at: now + 20_000, reason: "HTTP status 503"))
        #expect(decide(.status(429, retryAfterMs: 100)) == .retry(at: now + 750, reason: "HTTP status 429"), "never sooner than the back-off")
    }

    @Test func theLastAttemptIsDroppedNotRetried() {
        #expect(decide(.status(500), attempt: 7) == .retry(at: now + 15_000, reason: "HTTP status 500"))
        #expect(decide(.status(500), attempt: 8) == .dropped(reason: "HTTP status 500; gave up after 8 attempts"))
        #expect(decide(.status(202), attempt: 8) == .sent)
    }

    @Test func aNotificationPastItsMaximumAgeIsDropped() {
        let old = now - 3_600_000 + 500 // the next attempt (750 ms away) would be past the hour
        #expect(decide(.status(502), createdAt: old) == .dropped(reason: "HTTP status 502; older than the maximum age at the next attempt"))
        #expect(policy.isExpired(createdAt: now - 3_600_001, now: now))
        #expect(!policy.isExpired(createdAt: now - 3_600_000, now: now))
    }

    @Test func decisionsMapToTheResultLabel() {
        #expect(DeliveryDecision.sent.result == .sent)
        #expect(DeliveryDecision.retry(at: 0, reason: "").result == .retried)
        #expect(DeliveryDecision.failed(reason: "").result == .failed)
        #expect(DeliveryDecision.dropped(reason: "").result == .dropped)
    }
}
