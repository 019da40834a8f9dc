/// What one delivery attempt got back.
public enum DeliveryResponse: Sendable, Equatable {
    /// An HTTP answer; `retryAfterMs` from a `Retry-After` header in seconds.
    case status(Int, retryAfterMs: Int64? = nil)
    /// No answer: refused, timed out, TLS, DNS. The reason holds no URL (it may carry a token).
    case unreachable(String)
}

/// What to do with a notification after an attempt.
public enum DeliveryDecision: Sendable, Equatable {
    /// Accepted (2xx): remove it.
    case sent
    /// Try again at this time (epoch ms).
    case retry(at: Int64, reason: String)
    /// The receiver refused it (a 4xx other than 429, or a redirect): retrying cannot help.
    case failed(reason: String)
    /// Given up: out of attempts or too old.
    case dropped(reason: String)

    /// The `result` label of `scimwatch_notifications_total`.
    public var result: NotificationResult {
        switch self {
        case .sent: .sent
        case .retry: .retried
        case .failed: .failed
        case .dropped: .dropped
        }
    }
}

/// The `result` label of `scimwatch_notifications_total`.
public enum NotificationResult: String, Sendable, CaseIterable, Comparable {
    /// Accepted by the receiver.
    case sent
    /// An attempt failed (network error, 429, 5xx) and another is scheduled.
    case retried
    /// Refused by the receiver (4xx other than 429): not retried.
    case failed
    /// Given up after `max_attempts` or `max_age`, or its receiver is no longer configured.
    case dropped

    public static func < (a: NotificationResult, b: NotificationResult) -> Bool { a.rawValue < b.rawValue }
}

/// When to retry a delivery (slo.md, "Pages"): exponential back-off with jitter on network errors, 429
/// and 5xx; never on other 4xx; bounded by attempts and by age. Pure: time is passed in and the jitter
/// comes from the caller's random number generator.
public struct DeliveryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// A notification older than this (since it was queued) is given up.
    public var maxAgeMs: Int64
    /// The delay after the first failed attempt; it doubles after each, up to ``maxBackoffMs``.
    public var initialBackoffMs: Int64
    public var maxBackoffMs: Int64

    public static let defaultMaxAttempts = 20
    public static let defaultMaxAgeMs: Int64 = 6 * 3_600_000

    public init(maxAttempts: Int = DeliveryPolicy.defaultMaxAttempts, maxAgeMs: Int64 = DeliveryPolicy.defaultMaxAgeMs,
                initialBackoffMs: Int64 = 1000, maxBackoffMs: Int64 = 300_000) {
        self.maxAttempts = max(1, maxAttempts)
        self.maxAgeMs = maxAgeMs
        self.initialBackoffMs = max(1, initialBackoffMs)
        self.maxBackoffMs = max(self.initialBackoffMs, maxBackoffMs)
    }

    /// The delay after failed attempt number `attempt` (1-based): `initial x 2^(attempt-1)`, capped, of
    /// which the upper half is random ("equal jitter"): retries of many sidecars spread out, and none
    /// comes back sooner than half the planned delay.
    public func backoffMs(afterAttempt attempt: Int, using random: inout some RandomNumberGenerator) -> Int64 {
        let doublings = min(max(attempt - 1, 0), 40)
        let planned = min(maxBackoffMs, initialBackoffMs.multipliedReportingOverflow(by: Int64(1) << doublings).overflow
                          ? maxBackoffMs : initialBackoffMs << doublings)
        let half = planned / 2
        let jitter = Int64((Double(planned - half) * Self.unit(&random)).rounded(.down))
        return half + jitter
    }

    /// A fraction in [0, 1) from the generator's top 53 bits: one draw, no rejection, so a fixed
    /// generator gives a known jitter in tests.
    static func unit(_ random: inout some RandomNumberGenerator) -> Double {
        Double(random.next() >> 11) * 0x1p-53
    }

    /// Whether a notification queued at `createdAt` is too old to send at `now`.
    public func isExpired(createdAt: Int64, now: Int64) -> Bool {
        now - createdAt > maxAgeMs
    }

    /// The decision after attempt number `attempt` (1-based) of a notification queued at `createdAt`.
    public func decide(_ response: DeliveryResponse, attempt: Int, createdAt: Int64, now: Int64,
                       using random: inout some RandomNumberGenerator) -> DeliveryDecision {
        let reason: String
        var retryAfterMs: Int64?
        switch response {
        case .status(let code, _) where (200..<300).contains(code):
            return .sent
        case .status(let code, let after) where code == 429 || (500..<600).contains(code):
            reason = "HTTP status \(code)"
            retryAfterMs = after
        case .status(let code, _):
            return .failed(reason: "HTTP status \(code)")
        case .unreachable(let why):
            reason = why
        }
        if attempt >= maxAttempts {
            return .dropped(reason: "\(reason); gave up after \(attempt) attempts")
        }
        var delay = backoffMs(afterAttempt: attempt, using: &random)
        // The receiver knows best when it can take more, within our own ceiling.
        if let after = retryAfterMs, after > delay { delay = min(after, maxBackoffMs) }
        let next = now + delay
        if isExpired(createdAt: createdAt, now: next) {
            return .dropped(reason: "\(reason); older than the maximum age at the next attempt")
        }
        return .retry(at: next, reason: reason)
    }
}
