import ScimCore
import Testing

@Suite struct MinuteCountsTests {
    @Test func windowsAreExactSumsOfWholeMinutes() {
        var counts = MinuteCounts(capacityMinutes: 120)
        for minute in 0..<100 { counts.add(total: 10, bad: UInt32(minute % 3), at: Int64(minute) * 60_000 + 1234) }
        let w = counts.sum(minutes: 5, endingAt: 99)
        #expect(w.total == 50)
        #expect(w.bad == UInt64((95...99).map { $0 % 3 }.reduce(0, +)))
        #expect(counts.sum(minutes: 1000, endingAt: 99).total == 1000)
    }

    @Test func everyWindowEqualsAReferenceSumAcrossTheRingsWrap() {
        var counts = MinuteCounts(capacityMinutes: 60)
        var reference: [Int64: (UInt64, UInt64)] = [:]
        for minute in Int64(0)..<150 where minute % 7 != 3 {
            counts.add(total: UInt32(minute + 1), bad: UInt32(minute % 5), at: minute * 60_000 + 59_999)
            reference[minute] = (UInt64(minute + 1), UInt64(minute % 5))
        }
        for last in Int64(80)...160 {
            for length in Int64(1)...70 {
                // Only the last 60 minutes (the span) are kept.
                let (low, high) = (max(last - length + 1, 149 - 59), min(last, 149))
                let expected = low > high ? (UInt64(0), UInt64(0))
                    : (low...high).reduce((UInt64(0), UInt64(0))) { ($0.0 + (reference[$1]?.0 ?? 0), $0.1 + (reference[$1]?.1 ?? 0)) }
                let w = counts.sum(minutes: length, endingAt: last)
                #expect(w.total == expected.0 && w.bad == expected.1, "window of \(length) ending at \(last)")
            }
        }
    }

    @Test func minutesOlderThanTheSpanAreDroppedAndSlotsReused() {
        var counts = MinuteCounts(capacityMinutes: 60)
        counts.add(total: 5, bad: 5, at: 0)
        counts.add(total: 1, bad: 0, at: 61 * 60_000)
        #expect(counts.sum(minutes: 1000, endingAt: 61) == (1, 0))
        let accepted = counts.add(total: 1, bad: 1, at: 0)
        #expect(!accepted)
    }
}

/// A steady day of traffic with a token expiry: the scenario of the parity test, on the pure engine.
@Suite struct SLOEngineTests {
    let minute: Int64 = 60_000
    let start: Int64 = 1_794_787_200_000 // 2026-11-16T00:00:00Z

    /// Feeds `perMinute` attempts per minute, the given share of them 401, and evaluates at each minute.
    func run(minutes: Range<Int64>, perMinute: Int, badShare: (Int64) -> Double,
             engine: inout SLOEngine, labels: inout Labels) -> [(Int64, AlertNotification)] {
        let tenant = labels.tenants.intern("acme")
        let github = labels.targets.intern("github")
        var changes: [(Int64, AlertNotification)] = []
        for m in minutes {
            let badCount = Int((Double(perMinute) * badShare(m)).rounded())
            for i in 0..<perMinute {
                let e = Event(time: start + m * minute + Int64(i) * 100, tenant: tenant, target: github, operation: .update,
                              status: i < badCount ? 401 : 200, correlationID: "c-\(m)-\(i)")
                engine.record(e, countedStatus: e.countedStatus, labels: labels)
            }
            for n in engine.evaluate(now: start + (m + 1) * minute, windowsEndingAt: (start / minute) + m, labels: labels) {
                changes.append((m + 1, n))
            }
        }
        return changes
    }

    @Test func aTokenExpiryPagesWithEvidenceAndResolves() throws {
        var engine = SLOEngine(definitions: SLODefinition.defaults)
        var labels = Labels()
        let changes = run(minutes: 0..<240, perMinute: 60, badShare: { (120..<150).contains($0) ? 0.9 : 0 },
                          engine: &engine, labels: &labels)
        let page = changes.filter { $0.1.slo == "scim-requests" && $0.1.severity == .page }
        #expect(page.map(\.1.state) == [.firing, .resolved])
        let firing = try #require(page.first)
        // 90% bad against a 0.5% budget burns at 180x; the 1h window passes 14.4x (7.2% bad) after five
        // minutes of it, so the 1h/5m tier pages at minute 125, and its windows are the evidence.
        #expect(firing.0 == 125)
        #expect((firing.1.burnRates["5m"] ?? 0) > 14.4 && (firing.1.burnRates["1h"] ?? 0) > 14.4)
        #expect(firing.1.evidence.topTargets.first?.0 == "github")
        #expect(firing.1.evidence.topStatusCodes.first?.0 == "401")
        #expect(!firing.1.evidence.sampleCorrelationIDs.isEmpty)
        // The 6h/30m tier holds until the 30m window no longer holds a bad minute at more than 6x, 29
        // minutes after the incident ends; the page resolves its keep_firing_for (5m) after that.
        let resolved = try #require(page.last)
        #expect(resolved.0 == 184)
        #expect(resolved.1.startsAt == firing.1.startsAt)
    }

    @Test func oneFailureInAQuietHourPagesNoOne() {
        var engine = SLOEngine(definitions: SLODefinition.defaults)
        var labels = Labels()
        let changes = run(minutes: 0..<120, perMinute: 1, badShare: { $0 == 60 ? 1 : 0 }, engine: &engine, labels: &labels)
        #expect(changes.isEmpty)
    }

    @Test func aTicketIsNotSentWhileThePageFires() {
        var engine = SLOEngine(definitions: SLODefinition.defaults)
        var labels = Labels()
        let changes = run(minutes: 0..<300, perMinute: 60, badShare: { (120..<200).contains($0) ? 0.9 : 0 },
                          engine: &engine, labels: &labels)
        let requests = changes.filter { $0.1.slo == "scim-requests" }
        let pageFiring = requests.first { $0.1.severity == .page && $0.1.state == .firing }?.0 ?? .max
        let pageResolved = requests.first { $0.1.severity == .page && $0.1.state == .resolved }?.0 ?? .max
        for (m, n) in requests where n.severity == .ticket && n.state == .firing {
            #expect(m < pageFiring || m >= pageResolved, "ticket sent at minute \(m) while the page fired")
        }
        #expect(engine.alerts.isFiring(slo: "scim-requests", severity: .ticket))
    }

    @Test func stateSurvivesEncoding() throws {
        var engine = SLOEngine(definitions: SLODefinition.defaults)
        var labels = Labels()
        _ = run(minutes: 0..<130, perMinute: 60, badShare: { $0 >= 120 ? 0.9 : 0 }, engine: &engine, labels: &labels)
        var restored = SLOEngine(definitions: SLODefinition.defaults)
        try restored.restoreState(engine.encodedState())
        #expect(restored.alerts == engine.alerts)
        #expect(restored.statuses(now: start + 130 * minute) == engine.statuses(now: start + 130 * minute))
        #expect(restored.trackers[2].minutes == engine.trackers[2].minutes)
    }

    @Test func defaultFactorsFollowTheBudgetShares() {
        let tiers = BurnRateTier.defaultPolicy(periodMs: SLODefinition.defaultPeriodMs)
        #expect(tiers.map(\.factor).map { ($0 * 10).rounded() / 10 } == [14.4, 6, 3, 1])
        let week = BurnRateTier.defaultPolicy(periodMs: 7 * 86_400_000)
        #expect((week[0].factor * 100).rounded() / 100 == 3.36)
    }
}
