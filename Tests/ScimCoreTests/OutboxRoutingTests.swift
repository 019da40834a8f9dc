import ScimCore
import Testing

@Suite struct OutboxRoutingTests {
    let receivers = [
        Receiver(name: "am", kind: .alertmanager),
        Receiver(name: "pd", kind: .pagerduty, severities: [.page]),
        Receiver(name: "slack", kind: .slack, severities: [.ticket]),
        Receiver(name: "console", kind: .console),
    ]

    @Test func eachReceiverGetsOnlyTheSeveritiesItTakes() {
        let planner = OutboxPlanner(receivers: receivers)
        #expect(planner.entries(for: samplePage(), now: 5).map(\.receiver) == ["am", "pd", "console"])
        #expect(planner.entries(for: samplePage(severity: .ticket), now: 5).map(\.receiver) == ["am", "slack", "console"])
        let entry = planner.entries(for: samplePage(), now: 5)[1]
        #expect(entry.dedupKey == "scimwatch/provision-success/page" && entry.state == .firing && entry.createdAt == 5)
        #expect(entry.startsAt == samplePage().startsAt && !entry.isResend)
        #expect(entry.payload == ReceiverPayload.stored(samplePage(), for: receivers[1]))
        #expect(Receiver(name: "x", kind: .webhook).severities == [.page, .ticket], "all by default")
    }

    @Test func resendsGoToAlertmanagerOnlyAndOnlyWhileFiring() {
        let planner = OutboxPlanner(receivers: receivers)
        let resends = planner.resendEntries(for: samplePage(), now: 9)
        #expect(resends.map(\.receiver) == ["am"] && resends[0].isResend)
        #expect(planner.resendEntries(for: samplePage(state: .resolved), now: 9).isEmpty)
        #expect(OutboxPlanner(receivers: [Receiver(name: "am", kind: .alertmanager, severities: [.ticket])])
            .resendEntries(for: samplePage(), now: 9).isEmpty)
    }

    @Test func aStateChangeIsQueuedOncePerReceiver() {
        let firing = OutboxPlanner(receivers: receivers).entries(for: samplePage(), now: 1)[0]
        let resolved = OutboxPlanner(receivers: receivers).entries(for: samplePage(state: .resolved), now: 2)[0]
        let fired = OutboxEntry.Change(state: .firing, startsAt: firing.startsAt)
        #expect(firing.isAdmitted(after: nil))
        #expect(firing.isAdmitted(after: fired) == false, "the same page decided again")
        #expect(resolved.isAdmitted(after: fired))
        #expect(false == resolved.isAdmitted(after: .init(state: .resolved, startsAt: firing.startsAt)))
        var again = firing
        again.startsAt += 3_600_000
        #expect(again.isAdmitted(after: .init(state: .resolved, startsAt: firing.startsAt)), "fires again later: a new state change")
    }

    @Test func aResendIsQueuedOnlyWhileItsFiringIsTheLatestChange() {
        let resend = OutboxPlanner(receivers: receivers).resendEntries(for: samplePage(), now: 1)[0]
        #expect(resend.isAdmitted(after: nil))
        #expect(resend.isAdmitted(after: .init(state: .firing, startsAt: resend.startsAt)))
        #expect(false == resend.isAdmitted(after: .init(state: .resolved, startsAt: resend.startsAt)), "never revive a resolved alert")
        #expect(false == resend.isAdmitted(after: .init(state: .firing, startsAt: resend.startsAt + 1)))
    }

    @Test func countersSurviveTheCheckpointAndShowForEveryReceiver() throws {
        var state = NotificationState()
        state.register(receiver: "pd")
        state.register(receiver: "am")
        state.record(OutboxOutcome(id: 1, receiver: "pd", decision: .retry(at: 5, reason: "HTTP status 500"), attempts: 1))
        state.record(OutboxOutcome(id: 1, receiver: "pd", decision: .sent, attempts: 2))
        state.record(OutboxOutcome(id: 2, receiver: "old", decision: .dropped(reason: "gone"), attempts: 0))
        state.setPending(["am": 2, "pd": 0])
        var restored = NotificationState()
        restored.register(receiver: "pd")
        try restored.restoreState(state.encodedState())
        #expect(restored.counts == state.counts)
        #expect(restored.pending.isEmpty, "pending is read from the outbox, not stored")

        let text = MetricsSnapshot(engine: IngestEngine(), notifications: state).render(.prometheus)
        #expect(text.contains("# TYPE scimwatch_notifications_total counter\n"))
        #expect(text.contains(#"scimwatch_notifications_total{receiver="am",result="sent"} 0"#))
        #expect(text.contains(#"scimwatch_notifications_total{receiver="pd",result="retried"} 1"#))
        #expect(text.contains(#"scimwatch_notifications_total{receiver="pd",result="sent"} 1"#))
        #expect(text.contains(#"scimwatch_notifications_total{receiver="old",result="dropped"} 1"#))
        #expect(text.contains(#"scimwatch_notifications_pending{receiver="am"} 2"#))
        #expect(text.contains(#"scimwatch_notifications_pending{receiver="pd"} 0"#))
        let openMetrics = MetricsSnapshot(engine: IngestEngine(), notifications: state).render(.openMetrics)
        #expect(openMetrics.contains("# TYPE scimwatch_notifications counter\n"))
        #expect(!MetricsSnapshot(engine: IngestEngine()).render(.prometheus).contains("scimwatch_notifications"),
                "no receivers, no families")
    }
}
