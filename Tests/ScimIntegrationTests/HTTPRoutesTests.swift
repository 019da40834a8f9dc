import Hummingbird
import HummingbirdTesting
import ScimApp
import ScimCore
import ScimHTTP
import Testing

@Suite struct HTTPRoutesTests {
    func provider() -> SnapshotBox {
        var engine = IngestEngine()
        _ = engine.registerSource("app", format: SourceFormat(format: .native))
        var bytes = Array((#"{"time":"2026-11-16T10:00:00Z","tenant":"acme","target":"github","operation":"create","status":201}"# + "\n").utf8)
        bytes.withUnsafeMutableBytes { engine.ingest(block: UnsafeRawBufferPointer($0), source: 0) }
        let box = SnapshotBox(MetricsSnapshot(engine: engine))
        box.publish(MetricsSnapshot(engine: engine), readiness: Readiness(problems: []))
        return box
    }

    @Test func metricsServeTheTextFormatByDefault() async throws {
        let app = Application(router: HTTPServer.router(provider: provider()))
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                let body = String(buffer: response.body)
                #expect(body.contains(#"scim_requests_total{tenant="acme",target="github",operation="create",code="201"} 1"#))
                #expect(!body.contains("# EOF"))
            }
        }
    }

    @Test func metricsServeOpenMetricsWhenAsked() async throws {
        let app = Application(router: HTTPServer.router(provider: provider()))
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get,
                                     headers: [.accept: "application/openmetrics-text; version=1.0.0"]) { response in
                #expect(response.headers[.contentType] == "application/openmetrics-text; version=1.0.0; charset=utf-8")
                #expect(String(buffer: response.body).hasSuffix("# EOF\n"))
            }
        }
    }

    @Test func healthAndReadiness() async throws {
        let box = provider()
        let app = Application(router: HTTPServer.router(provider: box))
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
            box.publish(box.metricsSnapshot(), readiness: Readiness(problems: ["source app: cannot open /x"]))
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains("cannot open /x"))
            }
        }
    }
}
