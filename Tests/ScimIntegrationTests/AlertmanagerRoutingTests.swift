import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import ScimApp
import ScimTesting
import Testing

/// Alerts/alertmanager.yml in a real Alertmanager: amtool only checks the syntax; routing and
/// inhibition are only proven by Alertmanager itself.
@Suite struct AlertmanagerRoutingTests {
    struct Seen: Decodable {
        struct Status: Decodable { var inhibitedBy: [String] }
        struct Receiver: Decodable { var name: String }
        var labels: [String: String]
        var status: Status
        var receivers: [Receiver]
    }

    @Test func pagesAndTicketsRouteApartAndAPageInhibitsOnlyItsOwnSLOsTicket() async throws {
        let binary = try #require(which("prometheus-alertmanager"), "installed with amtool by scripts/test.sh (prometheus-alertmanager)")
        let dir = try TemporaryDirectory(prefix: "alertmanager")
        defer { dir.remove() }
        // A port that was free a moment ago (the same way the TLS poller test finds one).
        let port = try await LocalHTTPServer.withRunning(Router(), logger: quietLogger) { $0 }
        let base = "http://127.0.0.1:\(port)"
        let server = try ChildProcess(binary, [
            "--config.file=\(packageRoot())/Alerts/alertmanager.yml", "--storage.path=\(dir.path)",
            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
        ])
        defer { server.kill() }
        #expect(try await eventuallyAsync(timeout: 20) { try await fetch("\(base)/-/ready").status == 200 }, "\(server.output)")

        let alerts: [[String: String]] = [
            ["alertname": "SLOBurnRatePage", "slo": "provision-success", "severity": "page"],
            ["alertname": "SLOBurnRateTicket", "slo": "provision-success", "severity": "ticket"],
            ["alertname": "SLOBurnRateTicket", "slo": "scim-requests", "severity": "ticket"],
            ["alertname": "QueueStuck", "queue": "jobs", "severity": "page"],
            ["alertname": "PollEndpointDown", "endpoint": "queue", "severity": "ticket"],
        ]
        var post = URLRequest(url: URL(string: "\(base)/api/v2/alerts")!)
        post.httpMethod = "POST"
        post.setValue("application/json", forHTTPHeaderField: "Content-Type")
        post.httpBody = try JSONSerialization.data(withJSONObject: alerts.map { ["labels": $0] })
        let (_, response) = try await URLSession.shared.data(for: post)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)

        var seen: [Seen] = []
        let settled = try await eventuallyAsync(timeout: 20) {
            seen = try JSONDecoder().decode([Seen].self, from: Data(try await fetch("\(base)/api/v2/alerts").body.utf8))
            return seen.count == alerts.count && seen.contains { !$0.status.inhibitedBy.isEmpty }
        }
        #expect(settled, "\(seen)")
        func find(_ name: String, _ key: String, _ value: String) -> Seen? {
            seen.first { $0.labels["alertname"] == name && $0.labels[key] == value }
        }
        let page = try #require(find("SLOBurnRatePage", "slo", "provision-success"))
        #expect(page.receivers.map(\.name) == ["pager"] && page.status.inhibitedBy.isEmpty)
        let inhibited = try #require(find("SLOBurnRateTicket", "slo", "provision-success"))
        #expect(inhibited.receivers.map(\.name) == ["tickets"] && !inhibited.status.inhibitedBy.isEmpty)
        let otherSLO = try #require(find("SLOBurnRateTicket", "slo", "scim-requests"))
        #expect(otherSLO.status.inhibitedBy.isEmpty, "another SLO's ticket is still sent")
        let symptomPage = try #require(find("QueueStuck", "queue", "jobs"))
        #expect(symptomPage.receivers.map(\.name) == ["pager"])
        let symptomTicket = try #require(find("PollEndpointDown", "endpoint", "queue"))
        #expect(symptomTicket.receivers.map(\.name) == ["tickets"])
        #expect(symptomTicket.status.inhibitedBy.isEmpty, "a paging symptom (no slo label) silences no ticket")
    }
}
