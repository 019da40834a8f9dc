import ScimCore
import Testing

/// Feeds text through an engine the way the tailer does.
func ingest(_ text: String, into engine: inout IngestEngine, source: Int = 0) {
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { engine.ingest(block: UnsafeRawBufferPointer($0), source: source) }
}

func attempt(_ id: String, tenant: String = "acme", target: String = "github", op: String = "create",
             status: Int = 201, time: String = "2026-11-16T10:00:00Z", extra: String = "") -> String {
    #"{"id":"\#(id)","time":"\#(time)","tenant":"\#(tenant)","target":"\#(target)","operation":"\#(op)","status":\#(status)\#(extra)}"# + "\n"
}

@Suite struct EngineTests {
    func engine(_ configuration: IngestConfiguration = IngestConfiguration()) -> IngestEngine {
        var engine = IngestEngine(configuration: configuration)
        _ = engine.registerSource("app", format: SourceFormat(format: .native))
        return engine
    }

    func requests(_ engine: IngestEngine, tenant: String, target: String, op: OperationKind, code: Int16) -> UInt64 {
        let t = engine.labels.tenants.values.firstIndex(of: tenant).map(LabelID.init) ?? 0
        let g = engine.labels.targets.values.firstIndex(of: target).map(LabelID.init) ?? 0
        return engine.requests.requests.value(SeriesKey.pack(tenant: t, target: g, small: op.rawValue, code: code))
    }

    @Test func countsAttemptsRetriesDurationsAndBulk() {
        var e = engine()
        ingest(attempt("1") + attempt("2", status: 429, extra: #","attempt":2,"duration_ms":40"#)
               + attempt("3", op: "update", status: 200, extra: #","bulk_total":5,"bulk_failed":2"#), into: &e)
        #expect(requests(e, tenant: "acme", target: "github", op: .create, code: 201) == 1)
        #expect(requests(e, tenant: "acme", target: "github", op: .create, code: 429) == 1)
        #expect(e.requests.retries.series.map(\.value) == [1])
        #expect(e.requests.durations.counts == [1])
        #expect(e.requests.bulk.series.map(\.value).sorted() == [2, 3])
    }

    @Test func badLinesAreCountedByReasonAndGoodLinesAroundThemKept() {
        var e = engine()
        let long = "{\"x\":\"" + String(repeating: "a", count: 70_000) + "\"}\n"
        ingest(attempt("1") + "{truncated\n" + "\n" + long + #"{"time":"2026-11-16T10:00:00Z","tenant":"a","target":"t","operation":"nope"}"# + "\n" + attempt("2"), into: &e)
        #expect(requests(e, tenant: "acme", target: "github", op: .create, code: 201) == 2)
        let errors = e.sources[0].parseErrors
        #expect(errors[Int(ParseErrorReason.invalidJSON.rawValue)] == 1)
        #expect(errors[Int(ParseErrorReason.tooLong.rawValue)] == 1)
        #expect(errors[Int(ParseErrorReason.unknownValue.rawValue)] == 1)
        #expect(e.sources[0].lines == 6)
    }

    @Test func aRepeatedIDIsCountedOnce() {
        var e = engine()
        ingest(attempt("same") + attempt("same") + attempt("other"), into: &e)
        #expect(requests(e, tenant: "acme", target: "github", op: .create, code: 201) == 2)
        #expect(e.sources[0].duplicates == 1)
    }

    @Test func idsOlderThanTheWindowAreForgotten() {
        var e = engine(IngestConfiguration(duplicateWindowMs: 60_000))
        ingest(attempt("x", time: "2026-11-16T10:00:00Z") + attempt("y", time: "2026-11-16T10:05:00Z")
               + attempt("x", time: "2026-11-16T10:05:01Z"), into: &e)
        #expect(e.sources[0].duplicates == 0)
        #expect(requests(e, tenant: "acme", target: "github", op: .create, code: 201) == 3)
    }

    @Test func tenantValuesBeyondTheCapFoldIntoOther() {
        var e = engine(IngestConfiguration(tenantCap: 2))
        ingest(attempt("1", tenant: "a") + attempt("2", tenant: "b") + attempt("3", tenant: "c") + attempt("4", tenant: "d")
               + attempt("5", tenant: "a"), into: &e)
        #expect(requests(e, tenant: "a", target: "github", op: .create, code: 201) == 2)
        #expect(requests(e, tenant: LabelTable.other, target: "github", op: .create, code: 201) == 2)
        #expect(e.labels.tenants.foldedCount == 2)
        #expect(e.labels.tenants.values == [LabelTable.other, "a", "b"])
    }

    @Test func stateSurvivesAnEncodeAndRestore() throws {
        var e = engine()
        ingest(attempt("1") + attempt("2", target: "slack", status: 500, extra: #","duration_ms":3000,"attempt":3"#) + "junk\n", into: &e)
        var restored = IngestEngine(configuration: e.configuration)
        try restored.restoreState(e.encodedState())
        try restored.restoreSLOState(e.slo.encodedState())
        _ = restored.registerSource("app", format: SourceFormat(format: .native))
        restored.advance(to: e.now)
        #expect(MetricsSnapshot(engine: restored).render(.prometheus) == MetricsSnapshot(engine: e).render(.prometheus))
        ingest(attempt("3"), into: &restored)
        #expect(requests(restored, tenant: "acme", target: "github", op: .create, code: 201) == 2)
    }

    @Test func lateEventsAreCounted() {
        var e = engine(IngestConfiguration(retentionMs: 3_600_000))
        ingest(attempt("1", time: "2026-11-16T10:00:00Z") + attempt("2", time: "2026-11-16T08:00:00Z"), into: &e)
        #expect(e.sources[0].late == 1)
    }
}
