import Foundation
import Hummingbird
import HummingbirdTesting
import ScimApp
import ScimCore
import ScimHTTP
import Testing

@Suite struct APITests {
    /// An engine in replay mode with one overdue deprovision (opened 30 minutes before the last event).
    func provider() -> SnapshotBox {
        var engine = IngestEngine()
        _ = engine.registerSource("app", format: SourceFormat(format: .native))
        let lines = """
            {"time":"2026-11-16T09:30:00Z","tenant":"acme","target":"slack","operation":"delete","phase":"requested","subject":"u-42"}
            {"time":"2026-11-16T09:31:00Z","tenant":"acme","target":"slack","operation":"delete","status":503,"subject":"u-42"}
            {"time":"2026-11-16T09:50:00Z","tenant":"beta","target":"zoom","operation":"disable","phase":"requested","subject":"u-7"}
            {"time":"2026-11-16T10:00:00Z","tenant":"acme","target":"github","operation":"update","status":200}

            """
        var bytes = Array(lines.utf8)
        bytes.withUnsafeMutableBytes { engine.ingest(block: UnsafeRawBufferPointer($0), source: 0) }
        let snapshot = MetricsSnapshot(engine: engine.snapshot())
        let box = SnapshotBox(snapshot)
        box.publish(snapshot, readiness: Readiness(problems: []))
        return box
    }

    @Test func overdueDeprovisionsAreListedOldestFirstWithTheirEvidence() async throws {
        let app = Application(router: HTTPServer.router(provider: provider()))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/operations/overdue", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                let items = body?["overdue"] as? [[String: Any]] ?? []
                #expect(items.map { $0["subject"] as? String } == ["u-42", "u-7"])
                #expect(items.first?["age_seconds"] as? Double == 1800)
                #expect(items.first?["attempts"] as? Int == 1)
                #expect(items.first?["last_status"] as? Int == 503)
                #expect(items.first?["opened_at"] as? String == "2026-11-16T09:30:00.000Z")
                #expect(body?["count"] as? Int == 2)
            }
        }
    }

    @Test func aConfiguredTokenGuardsTheAPIButNotHealth() async throws {
        let configuration = HTTPServerConfiguration(bearerToken: "s3cret-token")
        let app = Application(router: HTTPServer.router(provider: provider(), configuration: configuration))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/operations/overdue", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(!String(buffer: response.body).contains("s3cret"))
            }
            try await client.execute(uri: "/api/v1/operations/overdue", method: .get,
                                     headers: [.authorization: "Bearer wrong-token!"]) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/operations/overdue", method: .get,
                                     headers: [.authorization: "Bearer s3cret-token"]) { #expect($0.status == .ok) }
            try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func metricsCanBeProtectedToo() async throws {
        let configuration = HTTPServerConfiguration(bearerToken: "t", protectMetrics: true)
        let app = Application(router: HTTPServer.router(provider: provider(), configuration: configuration))
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer t"]) { #expect($0.status == .ok) }
        }
    }

    @Test func theTokenComesFromTheEnvironmentOrAFileAndIsNeverEchoed() throws {
        let loaded = try ConfigurationLoader.load(yaml: "auth: {bearer_token_env: SCIMWATCH_TEST_TOKEN}",
                                                  environment: ["SCIMWATCH_TEST_TOKEN": "from-env"])
        #expect(loaded.listen.bearerToken == "from-env")
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(yaml: "auth: {bearer_token_env: MISSING_VAR}", environment: [:])
        }
        let dir = NSTemporaryDirectory() + "/token-\(UUID().uuidString)"
        try "from-file\n".write(toFile: dir, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fromFile = try ConfigurationLoader.load(yaml: "auth: {bearer_token_file: \(dir), protect_metrics: true}", environment: [:])
        #expect(fromFile.listen.bearerToken == "from-file" && fromFile.listen.protectMetrics)
    }

    @Test func operationSettingsAreValidated() throws {
        let ok = try ConfigurationLoader.load(yaml: """
            operations: {timeout: 12h, deprovision_overdue_after: 5m, latency_window: 30m, terminal_statuses: [400, 422]}
            """)
        #expect(ok.ingest.operations.timeoutMs == 12 * 3_600_000)
        #expect(ok.ingest.operations.terminalStatuses == [400, 422])
        do {
            _ = try ConfigurationLoader.load(yaml: "operations: {timeout: 5m, deprovision_overdue_after: 10m, terminal_statuses: [99]}")
            Issue.record("accepted a bad operations section")
        } catch {
            #expect(error.issues.map(\.key).sorted() == ["operations.deprovision_overdue_after", "operations.terminal_statuses[0]"])
        }
    }
}

@Suite struct SLOAPITests {
    @Test func slosAndAlertsAreServedAsJSON() async throws {
        var engine = IngestEngine()
        _ = engine.registerSource("app", format: SourceFormat(format: .native))
        var text = ""
        for minute in 0..<20 {
            for i in 0..<20 {
                let time = EventTime.format(EventTime.parseRFC3339("2026-11-16T10:00:00Z")! + Int64(minute * 60_000 + i * 1000))
                text += #"{"time":"\#(time)","tenant":"acme","target":"zoom","operation":"update","status":\#(minute >= 10 ? 401 : 200)}"# + "\n"
            }
        }
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { engine.ingest(block: UnsafeRawBufferPointer($0), source: 0) }
        let snapshot = MetricsSnapshot(engine: engine.snapshot())
        let box = SnapshotBox(snapshot)
        box.publish(snapshot, readiness: Readiness(problems: []))
        let app = Application(router: HTTPServer.router(provider: box))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/slos", method: .get) { response in
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                let slos = body?["slos"] as? [[String: Any]] ?? []
                #expect(slos.map { $0["name"] as? String } == ["provision-success", "deprovision-latency", "scim-requests"])
                let requests = slos.last ?? [:]
                #expect((requests["alerts"] as? [String: String])?["page"] == "firing")
                let windows = requests["windows"] as? [[String: Any]] ?? []
                #expect(windows.first?["window"] as? String == "5m")
                #expect(windows.first?["sli"] as? Double == 0)
                #expect((slos.first?["windows"] as? [[String: Any]])?.first?["sli"] == nil)
            }
            try await client.execute(uri: "/api/v1/alerts", method: .get) { response in
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                let alerts = body?["alerts"] as? [[String: Any]] ?? []
                #expect(alerts.contains { $0["slo"] as? String == "scim-requests" && $0["severity"] as? String == "page" })
            }
        }
    }
}
