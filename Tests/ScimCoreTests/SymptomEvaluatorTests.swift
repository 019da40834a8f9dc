import ScimCore
import Testing

@Suite struct SymptomEvaluatorTests {
    let minute: Int64 = 60_000

    @Test func authFailuresPageWithTheTargetAndResolve() {
        var labels = Labels()
        let acme = labels.tenants.intern("acme")
        let zoom = labels.targets.intern("zoom")
        var counts = SymptomCounts()
        var evaluator = SymptomEvaluator()
        for i in 0..<20 { counts.record(tenant: acme, target: zoom, status: i < 15 ? 401 : 200, at: 10 * minute + Int64(i)) }
        let fired = evaluator.evaluate(now: 10 * minute + 30_000, counts: counts, overdue: .none, inputs: SymptomInputs(), labels: labels)
        #expect(fired.map(\.alert) == ["AuthFailures"])
        #expect(fired.first?.severity == .page)
        #expect(fired.first?.evidence.topTargets.first?.0 == "zoom (acme)")
        // Six minutes later the 5m window holds none of those answers: the condition is false, and the
        // alert keeps firing for its keep_firing_for (5m) before it resolves.
        #expect(evaluator.evaluate(now: 16 * minute, counts: counts, overdue: .none, inputs: SymptomInputs(), labels: labels).isEmpty)
        #expect(evaluator.evaluate(now: 20 * minute, counts: counts, overdue: .none, inputs: SymptomInputs(), labels: labels).isEmpty)
        let resolved = evaluator.evaluate(now: 21 * minute, counts: counts, overdue: .none, inputs: SymptomInputs(), labels: labels)
        #expect(resolved.map(\.state) == [.resolved])
    }

    @Test func aShareBelowTheMinimumTrafficDoesNotFire() {
        var labels = Labels()
        var counts = SymptomCounts()
        var evaluator = SymptomEvaluator()
        for i in 0..<5 { counts.record(tenant: labels.tenants.intern("a"), target: labels.targets.intern("t"), status: 401, at: Int64(i)) }
        #expect(evaluator.evaluate(now: 30_000, counts: counts, overdue: .none, inputs: SymptomInputs(), labels: labels).isEmpty)
    }

    @Test func aPollEndpointDownFiresOnlyAfterItsForDuration() {
        let labels = Labels()
        var evaluator = SymptomEvaluator()
        var inputs = SymptomInputs()
        inputs.pollsDown = [("queue", 0)]
        #expect(evaluator.evaluate(now: 0, counts: SymptomCounts(), overdue: .none, inputs: inputs, labels: labels).isEmpty)
        #expect(evaluator.evaluate(now: 4 * minute, counts: SymptomCounts(), overdue: .none, inputs: inputs, labels: labels).isEmpty)
        let fired = evaluator.evaluate(now: 5 * minute, counts: SymptomCounts(), overdue: .none, inputs: inputs, labels: labels)
        #expect(fired.map(\.alert) == ["PollEndpointDown"])
        #expect(fired.first?.consoleLine.contains("poll endpoint(s) down: queue") == true)
    }

    @Test func overdueDeprovisionsTicketWithTheirSubjects() {
        var labels = Labels()
        let op = OpenOperation(tenant: labels.tenants.intern("acme"), target: labels.targets.intern("slack"),
                               lifecycleClass: .deprovision, subject: "u-42", openedAt: 0, requested: true, overdue: true)
        var evaluator = SymptomEvaluator()
        let fired = evaluator.evaluate(now: 20 * minute, counts: SymptomCounts(), overdue: OverdueSummary([op]), inputs: SymptomInputs(), labels: labels)
        #expect(fired.map(\.alert) == ["DeprovisionsOverdue"])
        #expect(fired.first?.severity == .ticket)
        #expect(fired.first?.evidence.sampleCorrelationIDs == ["u-42"])
    }
}
