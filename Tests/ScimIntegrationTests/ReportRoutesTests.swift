import Foundation
import Hummingbird
import HummingbirdTesting
import ScimApp
import ScimCore
import ScimHTTP
import Testing

/// `GET /` (the status page) and `GET /reports/weekly`, through Hummingbird's test client.
@Suite struct ReportRoutesTests {
    func provider() -> SnapshotBox {
        var engine = IngestEngine()
        _ = engine.registerSource("app", format: SourceFormat(format: .native))
        var bytes = Array((#"{"time":"2026-11-16T10:00:00Z","tenant":"acme","target":"github","operation":"create","status":201}"# + "\n").utf8)
        bytes.withUnsafeMutableBytes { engine.ingest(block: UnsafeRawBufferPointer($0), source: 0) }
        let box = SnapshotBox(MetricsSnapshot(engine: engine))
        box.publish(MetricsSnapshot(engine: engine, lagBytes: [0], openFiles: [1]), readiness: Readiness(problems: []))
        return box
    }

    @Test func theStatusPageShowsEverySLOAndRefreshesItself() async throws {
        let app = Application(router: HTTPServer.router(provider: provider()))
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let body = String(buffer: response.body)
                #expect(body.contains(#"<meta http-equiv="refresh" content="15">"#))
                for slo in SLODefinition.defaults { #expect(body.contains(slo.name)) }
                #expect(body.contains("<td>app</td>"))
                #expect(!body.contains("<script"))
            }
        }
    }

    @Test func theWeeklyReportIsServedInEachFormat() async throws {
        let app = Application(router: HTTPServer.router(provider: provider()))
        try await app.test(.router) { client in
            try await client.execute(uri: "/reports/weekly?week=2026-W47&format=json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let report = try JSONDecoder().decode(WeeklyReport.self, from: Data(buffer: response.body))
                #expect(report.week == "2026-W47")
                #expect(report.slos.first { $0.name == "scim-requests" }?.week.events == 1)
            }
            try await client.execute(uri: "/reports/weekly?week=2026-W47&format=md", method: .get) { response in
                #expect(String(buffer: response.body).hasPrefix("# SLO report 2026-W47"))
            }
            try await client.execute(uri: "/reports/weekly?week=2026-W47", method: .get) { response in
                #expect(String(buffer: response.body).contains("<svg"))
            }
            try await client.execute(uri: "/reports/weekly?week=2026-W99", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/reports/weekly?format=pdf", method: .get) { #expect($0.status == .badRequest) }
        }
    }

    @Test func theTokenProtectsTheStatusPageAndReportsButNotHealth() async throws {
        let app = Application(router: HTTPServer.router(provider: provider(), configuration: .init(bearerToken: "s3cret")))
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/reports/weekly", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/", method: .get, headers: [.authorization: "Bearer s3cret"]) { #expect($0.status == .ok) }
            try await client.execute(uri: "/reports/weekly?week=2026-W47", method: .get,
                                     headers: [.authorization: "Bearer s3cret"]) { #expect($0.status == .ok) }
        }
    }
}
