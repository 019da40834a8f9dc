@testable import ScimCore
import Testing

/// `keep_firing_for`: an alert resolves only once its condition has been false that long without a break.
@Suite struct AlertHysteresisTests {
    let minute: Int64 = 60_000
    let start: Int64 = 1_794_787_200_000 // 2026-11-16T00:00:00Z

    /// One SLO whose page fires while the bad share is above 10% over the last minute and the last two
    /// (no low-traffic guard), so a test sets the condition minute by minute.
    func engine(keepFiringForMs: Int64? = nil) -> SLOEngine {
        let tier = BurnRateTier(severity: .page, longWindowMs: 2 * minute, shortWindowMs: minute, factor: 10)
        return SLOEngine(definitions: [SLODefinition(
            name: "api", sli: .requestSuccess(bad: StatusClass.defaultBad), objective: 0.99, tiers: [tier],
            minEvents: 0, minBadEvents: 0, keepFiringForMs: keepFiringForMs.map { [.page: $0] } ?? [:])])
    }

    /// Feeds 100 attempts a minute with the given share answered 503 and evaluates after each minute,
    /// returning (minute evaluated, state) of every change.
    func run(_ engine: inout SLOEngine, minutes: Range<Int64>, badShare: (Int64) -> Double) -> [(Int64, AlertNotification.State)] {
        var labels = Labels()
        let tenant = labels.tenants.intern("acme")
        let target = labels.targets.intern("github")
        var changes: [(Int64, AlertNotification.State)] = []
        for m in minutes {
            let bad = Int((100 * badShare(m)).rounded())
            for i in 0..<100 {
                let e = Event(time: start + m * minute + Int64(i) * 100, tenant: tenant, target: target, operation: .update,
                              status: i < bad ? 503 : 200)
                engine.record(e, countedStatus: e.countedStatus, labels: labels)
            }
            for n in engine.evaluate(now: start + (m + 1) * minute, windowsEndingAt: start / minute + m, labels: labels) {
                changes.append((m + 1, n.state))
            }
        }
        return changes
    }

    /// A burn rate that hovers at the factor for 20 minutes, then none: 21% and 1% bad in turn, so
    /// the last minute is above 10% every other minute and the last two (11%) with it.
    func hovering(_ m: Int64) -> Double { m < 20 ? (m % 2 == 0 ? 0.21 : 0.01) : 0 }

    @Test func aBurnRateOscillatingAroundTheFactorFiresOnceAndResolvesOnce() {
        var e = engine()
        let changes = run(&e, minutes: 0..<40, badShare: hovering)
        #expect(changes.map(\.1) == [.firing, .resolved])
        // The last minute above the factor is minute 18; the condition is false from the evaluation after
        // minute 19 (at 20), and the page resolves 5 minutes later.
        #expect(changes.map(\.0) == [1, 25])
    }

    @Test func withoutHysteresisTheSameBurnFlaps() {
        var e = engine(keepFiringForMs: 0)
        let changes = run(&e, minutes: 0..<40, badShare: hovering)
        #expect(changes.count == 20)
    }

    @Test func aRealRecoveryResolvesKeepFiringForAfterTheConditionCleared() {
        var e = engine(keepFiringForMs: 15 * minute)
        let changes = run(&e, minutes: 0..<60, badShare: { (5..<10).contains($0) ? 0.5 : 0 })
        // Bad minutes 5 to 9: fires at the evaluation after minute 5, false from the one after minute 10.
        #expect(changes.map(\.0) == [6, 26])
        #expect(changes.map(\.1) == [.firing, .resolved])
    }

    @Test func aRestartKeepsTheCountdownToAResolution() throws {
        var before = engine()
        _ = run(&before, minutes: 0..<12, badShare: { (5..<10).contains($0) ? 0.5 : 0 })
        var after = engine()
        try after.restoreState(before.encodedState())
        // The condition turned false at the evaluation after minute 10 (at 11): 5 minutes later is 16.
        let changes = run(&after, minutes: 12..<30, badShare: { _ in 0 })
        #expect(changes.map(\.0) == [16])
    }

    @Test func theConditionHoldingAgainRestartsTheCountdown() {
        var states = AlertStates()
        let alert = AlertNotification(alert: "AuthFailures", slo: nil, severity: .page, state: .firing, startsAt: 0, summary: "")
        #expect(states.update(alert, holds: true, now: 0, keepFiringForMs: 300_000)?.state == .firing)
        #expect(states.update(alert, holds: false, now: 60_000, keepFiringForMs: 300_000) == nil)
        #expect(states.update(alert, holds: true, now: 300_000, keepFiringForMs: 300_000) == nil)
        #expect(states.update(alert, holds: false, now: 420_000, keepFiringForMs: 300_000) == nil)
        #expect(states.update(alert, holds: false, now: 719_999, keepFiringForMs: 300_000) == nil)
        let resolved = states.update(alert, holds: false, now: 720_000, keepFiringForMs: 300_000)
        #expect(resolved?.state == .resolved && resolved?.startsAt == 0 && resolved?.endsAt == 720_000)
    }

    @Test func stateWrittenBeforeHysteresisIsRead() throws {
        var w = StateWriter()
        w.write(1)
        w.write("scimwatch/api/page")
        w.write(Int64(42))
        var states = AlertStates()
        try states.restore(w.bytes)
        #expect(states.firing == ["scimwatch/api/page": 42] && states.clearSince.isEmpty)
    }
}
