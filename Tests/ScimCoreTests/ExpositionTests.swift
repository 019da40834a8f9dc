import Foundation
import ScimCore
import Testing

@Suite struct ExpositionTests {
    /// A small, fixed set of events covering every request family, a bad line and a duplicate.
    func snapshot() -> MetricsSnapshot {
        var e = IngestEngine()
        _ = e.registerSource("app", format: SourceFormat(format: .native))
        ingest(attempt("1") + attempt("2", status: 429, extra: #","attempt":2,"duration_ms":40"#)
               + attempt("3", tenant: "beta", target: "sl\"ack", op: "delete", status: 404, extra: #","duration_ms":1200.5"#)
               + attempt("4", op: "update", status: 200, extra: #","bulk_total":5,"bulk_failed":2,"duration_ms":7"#)
               + attempt("4") + "not json\n"
               + #"{"id":"5","time":"2026-11-16T09:50:00Z","tenant":"acme","target":"github","operation":"disable","phase":"requested","subject":"u1"}"# + "\n"
               + #"{"id":"6","time":"2026-11-16T09:55:00Z","tenant":"acme","target":"github","operation":"disable","status":200,"subject":"u1"}"# + "\n"
               + #"{"id":"7","time":"2026-11-16T09:30:00Z","tenant":"acme","target":"slack","operation":"delete","phase":"requested","subject":"u2"}"# + "\n",
               into: &e)
        return MetricsSnapshot(engine: e, lagBytes: [42], openFiles: [1], readErrors: [0],
                               storeErrors: ["checkpoint": 1], version: "1.2.3", revision: "abc")
    }

    func golden(_ name: String, _ actual: String) throws {
        let path = #filePath.split(separator: "/").dropLast().joined(separator: "/") + "/Golden/" + name
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
            try actual.write(toFile: "/" + path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: "/" + path, encoding: .utf8)
        #expect(actual == expected, "regenerate with UPDATE_GOLDEN=1 if the change is intended")
    }

    @Test func textFormatMatchesTheGoldenFile() throws {
        try golden("exposition.prom", snapshot().render(.prometheus))
    }

    @Test func openMetricsMatchesTheGoldenFile() throws {
        let text = snapshot().render(.openMetrics)
        #expect(text.hasSuffix("# EOF\n"))
        #expect(text.contains("# TYPE scim_requests counter\n"))
        #expect(text.contains("le=\"1.0\""))
        try golden("exposition.om", text)
    }

    @Test func acceptHeaderPicksTheFormat() {
        #expect(ExpositionFormat.negotiate(accept: nil) == .prometheus)
        #expect(ExpositionFormat.negotiate(accept: "text/plain;version=0.0.4") == .prometheus)
        #expect(ExpositionFormat.negotiate(accept: "application/openmetrics-text;version=1.0.0,text/plain;q=0.5") == .openMetrics)
    }

    @Test func everyFamilyHasOneHelpAndTypeInAStableOrder() {
        let text = snapshot().render(.prometheus)
        let types = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE") }.map { $0.split(separator: " ")[2] }
        #expect(Set(types).count == types.count)
        #expect(types.first == "scim_requests_total")
        #expect(snapshot().render(.prometheus) == text)
    }
}
