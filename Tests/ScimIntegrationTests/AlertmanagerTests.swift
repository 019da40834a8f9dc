import Foundation
import ScimApp
import ScimCore
import ScimTesting
import Testing

/// A real Alertmanager (Debian's `prometheus-alertmanager`) on 127.0.0.1: a page shows as an active alert
/// with its labels and evidence, a re-send keeps it, and its resolution makes it disappear.
@Suite struct AlertmanagerTests {
    /// The alerts Alertmanager holds (resolved ones are not listed).
    func alerts(_ port: Int) async throws -> [JSONValue] {
        let answer = try await fetch("http://127.0.0.1:\(port)/api/v2/alerts")
        guard answer.status == 200 else { return [] }
        return try JSONValue.parse(Array(answer.body.utf8)).arrayValue ?? []
    }

    func ours(_ port: Int) async throws -> JSONValue? {
        try await alerts(port).first { $0.value(atPath: "labels.slo")?.stringValue == "provision-success" }
    }

    @Test func aPageIsShownWithItsEvidenceAndDisappearsWhenResolved() async throws {
        let binary = try #require(which("prometheus-alertmanager") ?? which("alertmanager"),
                                  "Alertmanager is installed by scripts/test.sh (Debian package prometheus-alertmanager)")
        let dir = try TemporaryDirectory(prefix: "alertmanager")
        defer { dir.remove() }
        try """
            route:
              receiver: "null"
            receivers:
              - name: "null"
            """.write(toFile: dir.file("alertmanager.yml"), atomically: true, encoding: .utf8)
        let alertmanager = try ChildProcess(binary, [
            "--config.file=\(dir.file("alertmanager.yml"))", "--storage.path=\(dir.file("data"))",
            "--web.listen-address=127.0.0.1:0", "--cluster.listen-address=",
        ])
        defer { alertmanager.kill() }
        let listening = try #require(
            await output(of: alertmanager, matching: "msg=\"Listening on\" address=127.0.0.1:[0-9]+", timeout: 30), "\(alertmanager.output)")
        let port = try #require(Int(listening.split(separator: ":").last ?? ""))

        let receiver = ReceiverConfiguration(
            receiver: Receiver(name: "alertmanager", kind: .alertmanager, generatorURL: "http://127.0.0.1:9477/metrics"),
            url: ReceiverConfiguration.alertmanagerEndpoint(URL(string: "http://127.0.0.1:\(port)")!), policy: quickRetries)
        let start = WallClock.milliseconds() - 120_000
        let harness = try DeliveryHarness(statePath: dir.file("state.sqlite"), receivers: [receiver])
        try await harness.running { h in
            h.notify(testPage(startsAt: start))
            #expect(await h.pump { h.count("alertmanager", .sent) == 1 }, "\(alertmanager.output)")
            var alert: JSONValue?
            let shown = try await eventuallyAsync(timeout: 20) {
                alert = try await ours(port)
                return alert != nil
            }
            #expect(shown, "Alertmanager does not list the alert")
            let active = try #require(alert)
            #expect(active["labels"] == .object(["alertname": .string("SLOBurnRatePage"), "slo": .string("provision-success"),
                                                 "severity": .string("page")]))
            #expect(active.value(atPath: "status.state")?.stringValue == "active")
            #expect(active["startsAt"]?.stringValue == EventTime.format(start))
            let endsAt = try #require(active["endsAt"]?.stringValue.flatMap(EventTime.parseRFC3339))
            #expect(endsAt > WallClock.milliseconds() + 60_000, "held a few minutes ahead")
            #expect(active["generatorURL"]?.stringValue == "http://127.0.0.1:9477/metrics")
            let annotations = try #require(active["annotations"])
            #expect(annotations["summary"]?.stringValue == "provisioning fails 16x faster than the objective allows")
            #expect(annotations["burn_rate_1h"]?.stringValue == "16.2" && annotations["burn_rate_5m"]?.stringValue == "21.5")
            #expect(annotations["budget_remaining"]?.stringValue == "0.625")
            #expect(annotations["top_targets"]?.stringValue == "salesforce (12), github (3)")
            #expect(annotations["top_tenants"]?.stringValue == "acme (14)")
            #expect(annotations["top_status_codes"]?.stringValue == "503 (10), 429 (5)")
            #expect(annotations["sample_correlation_ids"]?.stringValue == "c-1, c-2, c-3")
            #expect(annotations["description"]?.stringValue?.hasPrefix("[FIRING] page SLO provision-success") == true)

            // The evaluator re-sends while it fires: still one alert, still active.
            h.pipeline.resendFiring(testPage(startsAt: start), now: WallClock.milliseconds())
            h.pipeline.checkpoint()
            #expect(await h.pump { h.count("alertmanager", .sent) == 2 })
            let listed = try await alerts(port).filter { $0.value(atPath: "labels.slo") != nil }
            #expect(listed.count == 1 && listed.first?.value(atPath: "status.state")?.stringValue == "active")

            h.notify(testPage(state: .resolved, startsAt: start))
            #expect(await h.pump { h.count("alertmanager", .sent) == 3 })
            let resolved = try await eventuallyAsync(timeout: 20) { try await ours(port) == nil }
            #expect(resolved, "Alertmanager still lists the alert as active")
            // A late re-send after the resolution is not queued: the alert stays resolved.
            h.pipeline.resendFiring(testPage(startsAt: start), now: WallClock.milliseconds())
            h.pipeline.checkpoint()
            #expect(try h.store.allNotifications().isEmpty)
        }
        alertmanager.signal(SIGTERM)
        _ = alertmanager.waitForExit(timeout: 10)
    }
}
