import ScimCore
import Testing

@Suite struct MaintenanceWindowTests {
    let minute: Int64 = 60_000
    let start: Int64 = 1_794_787_200_000 // 2026-11-16T00:00:00Z, a Monday

    @Test func weeklyWindowsRecurOnTheirWeekday() {
        let sunday = MaintenanceWindow(name: "sync", schedule: .weekly(weekday: 7, startMinute: 120, durationMs: 2 * 60 * minute))
        let sundayTwoAM = start + 6 * 86_400_000 + 120 * minute
        #expect(sunday.covers(sundayTwoAM))
        #expect(sunday.covers(sundayTwoAM + 119 * minute))
        #expect(!sunday.covers(sundayTwoAM + 120 * minute))
        #expect(!sunday.covers(sundayTwoAM - 1))
        #expect(sunday.covers(sundayTwoAM + 7 * 86_400_000))
        #expect(!sunday.covers(sundayTwoAM - 86_400_000))
    }

    /// A token expiry during a planned window pages no one; one that still burns when it ends pages then.
    @Test func alertsAreHeldDuringMaintenanceAndFireAfterIt() {
        var engine = SLOEngine(definitions: SLODefinition.defaults)
        engine.maintenance = [MaintenanceWindow(name: "vendor", schedule: .once(start: start + 60 * minute, end: start + 80 * minute),
                                                slos: ["scim-requests"])]
        var labels = Labels()
        let tenant = labels.tenants.intern("acme")
        let target = labels.targets.intern("zoom")
        var changes: [(Int64, AlertNotification)] = []
        for m: Int64 in 0..<120 {
            for i in 0..<20 {
                let bad = (60..<100).contains(m) && i < 18
                let e = Event(time: start + m * minute + Int64(i) * 1000, tenant: tenant, target: target, operation: .update,
                              status: bad ? 401 : 200)
                engine.record(e, countedStatus: e.countedStatus, labels: labels)
            }
            for n in engine.evaluate(now: start + (m + 1) * minute, windowsEndingAt: start / minute + m, labels: labels)
            where n.slo == "scim-requests" && n.severity == .page {
                changes.append((m + 1, n))
            }
        }
        #expect(changes.first?.1.state == .firing)
        #expect(changes.first?.0 == 80)
    }

    @Test func excludedEventsDoNotCount() {
        var engine = SLOEngine(definitions: SLODefinition.defaults)
        engine.maintenance = [MaintenanceWindow(name: "x", schedule: .once(start: start, end: start + 10 * minute), excludeFromBudget: true)]
        var labels = Labels()
        let e1 = Event(time: start + minute, tenant: labels.tenants.intern("a"), target: labels.targets.intern("t"), operation: .update, status: 500)
        let e2 = Event(time: start + 11 * minute, tenant: e1.tenant, target: e1.target, operation: .update, status: 500)
        engine.record(e1, countedStatus: e1.countedStatus, labels: labels)
        engine.record(e2, countedStatus: e2.countedStatus, labels: labels)
        #expect(engine.trackers[2].eventsTotal == 1)
    }
}
