import Foundation
import Hummingbird
import ScimApp
import ScimCore
import ScimNotifiers
import ScimStore
import ScimTesting
import Testing

/// Receivers against a recording HTTP server on 127.0.0.1: what arrives, field by field, and how the
/// outbox retries, gives up, survives a restart and never sends a state change twice.
@Suite struct ReceiverDeliveryTests {
    func url(_ port: Int, _ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    func pagerDuty(_ port: Int, policy: DeliveryPolicy = quickRetries) -> ReceiverConfiguration {
        ReceiverConfiguration(receiver: Receiver(name: "pd", kind: .pagerduty, source: "scimwatch-test"), url: url(port, "/pd"),
                              routingKey: "pd-routing-secret-0123", timeout: .seconds(5), policy: policy)
    }

    @Test func pagerDutyGetsATriggerThenAResolveWithTheEvidence() async throws {
        let recorder = RecordingReceiver(paths: ["/pd"])
        let dir = try TemporaryDirectory(prefix: "receivers")
        defer { dir.remove() }
        let start = WallClock.milliseconds()
        try await LocalHTTPServer.withRunning(recorder.router, logger: quietLogger) { port in
            let harness = try DeliveryHarness(statePath: dir.file("state.sqlite"), receivers: [pagerDuty(port)])
            try await harness.running { h in
                h.notify(testPage(startsAt: start))
                #expect(await h.pump { h.count("pd", .sent) == 1 })
                h.notify(testPage(state: .resolved, startsAt: start))
                #expect(await h.pump { h.count("pd", .sent) == 2 && h.pending["pd"] == nil })
            }
        }
        let requests = recorder.requests(to: "/pd")
        try #require(requests.count == 2)
        #expect(requests[0].headers["content-type"] == "application/json")
        let trigger = try #require(requests[0].json)
        #expect(trigger["routing_key"]?.stringValue == "pd-routing-secret-0123")
        #expect(trigger["event_action"]?.stringValue == "trigger")
        #expect(trigger["dedup_key"]?.stringValue == "scimwatch/provision-success/page")
        #expect(trigger.value(atPath: "payload.summary")?.stringValue
            == "SLO provision-success: provisioning fails 16x faster than the objective allows")
        #expect(trigger.value(atPath: "payload.source")?.stringValue == "scimwatch-test")
        #expect(trigger.value(atPath: "payload.severity")?.stringValue == "critical")
        #expect(trigger.value(atPath: "payload.timestamp")?.stringValue == EventTime.format(start))
        #expect(trigger.value(atPath: "payload.custom_details.burn_rates.1h")?.numberValue == 16.2)
        #expect(trigger.value(atPath: "payload.custom_details.burn_rates.5m")?.numberValue == 21.5)
        #expect(trigger.value(atPath: "payload.custom_details.budget_remaining")?.numberValue == 0.625)
        #expect(trigger.value(atPath: "payload.custom_details.top_targets.0.value")?.stringValue == "salesforce")
        #expect(trigger.value(atPath: "payload.custom_details.top_tenants.0.bad_events")?.numberValue == 14)
        #expect(trigger.value(atPath: "payload.custom_details.top_status_codes.0.value")?.stringValue == "503")
        #expect(trigger.value(atPath: "payload.custom_details.sample_correlation_ids.2")?.stringValue == "c-3")
        let resolve = try #require(requests[1].json)
        #expect(resolve["event_action"]?.stringValue == "resolve")
        #expect(resolve["dedup_key"] == trigger["dedup_key"] && resolve["routing_key"] == trigger["routing_key"])

        // The routing key goes on the wire only: never into the state file.
        for file in ["state.sqlite", "state.sqlite-wal"] {
            let bytes = FileManager.default.contents(atPath: dir.file(file)) ?? Data()
            #expect(bytes.range(of: Data("pd-routing-secret-0123".utf8)) == nil, "\(file)")
        }
    }

    @Test func webhookAndSlackGetTheirShapesAndOnlyTheSeveritiesTheyTake() async throws {
        let recorder = RecordingReceiver(paths: ["/hook", "/services/T000/B000/slack-token"])
        let dir = try TemporaryDirectory(prefix: "receivers")
        defer { dir.remove() }
        let start = WallClock.milliseconds()
        try await LocalHTTPServer.withRunning(recorder.router, logger: quietLogger) { port in
            let receivers = [
                ReceiverConfiguration(receiver: Receiver(name: "hook", kind: .webhook), url: url(port, "/hook"),
                                      headers: [SenderHeader(name: "Authorization", value: "Bearer hook-secret")], policy: quickRetries),
                ReceiverConfiguration(receiver: Receiver(name: "slack", kind: .slack, severities: [.ticket]),
                                      url: url(port, "/services/T000/B000/slack-token"), policy: quickRetries),
            ]
            let harness = try DeliveryHarness(statePath: dir.file("state.sqlite"), receivers: receivers)
            try await harness.running { h in
                h.notify(testPage(startsAt: start))
                h.notify(testPage(severity: .ticket, startsAt: start))
                #expect(await h.pump { h.count("hook", .sent) == 2 && h.count("slack", .sent) == 1 })
                await h.settle(for: .milliseconds(300))
            }
        }
        let hooks = recorder.requests(to: "/hook")
        try #require(hooks.count == 2)
        #expect(hooks[0].headers["authorization"] == "Bearer hook-secret")
        let page = try #require(hooks[0].json)
        #expect(page["receiver"]?.stringValue == "hook" && page["alert"]?.stringValue == "SLOBurnRatePage")
        #expect(page["slo"]?.stringValue == "provision-success" && page["severity"]?.stringValue == "page")
        #expect(page["state"]?.stringValue == "firing" && page["starts_at"]?.stringValue == EventTime.format(start))
        #expect(page["dedup_key"]?.stringValue == "scimwatch/provision-success/page")
        #expect(page.value(atPath: "burn_rates.1h")?.numberValue == 16.2 && page["budget_remaining"]?.numberValue == 0.625)
        #expect(page.value(atPath: "top_targets.1.value")?.stringValue == "github")
        #expect(page.value(atPath: "sample_correlation_ids.0")?.stringValue == "c-1")
        #expect(hooks[1].json?["severity"]?.stringValue == "ticket")

        let slack = recorder.requests(to: "/services/T000/B000/slack-token")
        try #require(slack.count == 1, "the page is not routed to a ticket-only receiver")
        let text = try #require(slack[0].json?["text"]?.stringValue)
        #expect(text.hasPrefix(":warning: *FIRING ticket* SLO provision-success: provisioning fails"))
        #expect(text.contains("Burn rate: 16.2x over 1h, 21.5x over 5m"))
        #expect(text.contains("Error budget left: 62.5%"))
        #expect(text.contains("Top targets: salesforce (12), github (3)"))
        #expect(text.contains("Top tenants: acme (14)"))
        #expect(text.contains("Top status codes: 503 (10), 429 (5)"))
        #expect(text.contains("Sample correlation ids: c-1, c-2, c-3"))
    }

    @Test func serverErrorsAndRateLimitsAreRetriedUntilAccepted() async throws {
        let recorder = RecordingReceiver(paths: ["/pd"])
        recorder.script("/pd", [(500, nil), (429, retryAfter: "0"), (202, nil)])
        let dir = try TemporaryDirectory(prefix: "receivers")
        defer { dir.remove() }
        try await LocalHTTPServer.withRunning(recorder.router, logger: quietLogger) { port in
            let harness = try DeliveryHarness(statePath: dir.file("state.sqlite"), receivers: [pagerDuty(port)])
            try await harness.running { h in
                h.notify(testPage(startsAt: WallClock.milliseconds()))
                #expect(await h.pump { h.count("pd", .sent) == 1 })
                await h.settle(for: .milliseconds(300))
                #expect(h.count("pd", .retried) == 2 && h.count("pd", .failed) == 0 && h.count("pd", .dropped) == 0)
                let left = try h.store.allNotifications()
                #expect(left.isEmpty && h.pending["pd"] == nil)
                let text = h.pipeline.snapshot().render(.prometheus)
                #expect(text.contains(#"scimwatch_notifications_total{receiver="pd",result="retried"} 2"#))
                #expect(text.contains(#"scimwatch_notifications_total{receiver="pd",result="sent"} 1"#))
                #expect(text.contains(#"scimwatch_notifications_pending{receiver="pd"} 0"#))
            }
        }
        let bodies = recorder.requests(to: "/pd").map(\.text)
        #expect(bodies.count == 3 && Set(bodies).count == 1, "the same event each time")
    }

    @Test func aClientErrorIsNotRetried() async throws {
        let recorder = RecordingReceiver(paths: ["/pd"])
        recorder.script("/pd", [(400, nil)])
        let dir = try TemporaryDirectory(prefix: "receivers")
        defer { dir.remove() }
        try await LocalHTTPServer.withRunning(recorder.router, logger: quietLogger) { port in
            let harness = try DeliveryHarness(statePath: dir.file("state.sqlite"), receivers: [pagerDuty(port)])
            try await harness.running { h in
                h.notify(testPage(startsAt: WallClock.milliseconds()))
                #expect(await h.pump { h.count("pd", .failed) == 1 })
                await h.settle(for: .milliseconds(500))
                #expect(h.count("pd", .retried) == 0 && h.count("pd", .sent) == 0)
                let left = try h.store.allNotifications()
                #expect(left.isEmpty, "dropped from the outbox")
            }
        }
        #expect(recorder.requests(to: "/pd").count == 1)
    }

    @Test func givingUpAfterMaxAttemptsDropsTheNotification() async throws {
        let recorder = RecordingReceiver(paths: ["/pd"])
        recorder.script("/pd", [(503, nil)])
        let dir = try TemporaryDirectory(prefix: "receivers")
        defer { dir.remove() }
        try await LocalHTTPServer.withRunning(recorder.router, logger: quietLogger) { port in
            var policy = quickRetries
            policy.maxAttempts = 3
            let harness = try DeliveryHarness(statePath: dir.file("state.sqlite"), receivers: [pagerDuty(port, policy: policy)])
            try await harness.running { h in
                h.notify(testPage(startsAt: WallClock.milliseconds()))
                #expect(await h.pump { h.count("pd", .dropped) == 1 })
                let left = try h.store.allNotifications()
                #expect(h.count("pd", .retried) == 2 && left.isEmpty)
            }
        }
        #expect(recorder.requests(to: "/pd").count == 3)
    }
}
