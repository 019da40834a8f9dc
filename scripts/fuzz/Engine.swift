import ScimCore

/// Feeds the fuzzer's bytes to a fresh engine as a source of `format`, the way every input reaches a
/// parser: the tailer hands the engine a block of lines (`IngestEngine.receive(lines:source:)` is
/// `ingest(block:source:)`), the last line without a newline as at the end of a replayed file. Then,
/// as replay does, documents left open are closed, and the metrics are rendered, so that the label
/// values the lines brought in are escaped too. A fresh engine per input keeps every crash reproducible
/// from its input alone.
func ingest(_ data: UnsafePointer<UInt8>?, _ size: Int, as format: SourceFormat) {
    var engine = IngestEngine(configuration: configuration)
    // As `run` does: the SLOs are evaluated on the clock, not at each minute of event time, where a
    // fuzzed time would make the input's cost that of evaluating every minute in between, not of parsing it.
    engine.followsEventTime = false
    let source = engine.registerSource("fuzz", format: format)
    engine.ingest(block: UnsafeRawBufferPointer(start: data, count: size), source: source)
    engine.finishDocuments()
    _ = MetricsSnapshot(engine: engine).render(.prometheus)
}

/// The built-in SLOs over `period: 3d`, the shortest their tiers allow: each SLO allocates its
/// per-minute counts for its period (and a week) when the engine is made, and for 30 days that would
/// cost every input more than parsing it.
private let configuration = {
    var configuration = IngestConfiguration()
    configuration.slos = SLODefinition.defaults.map {
        SLODefinition(name: $0.name, sli: $0.sli, objective: $0.objective, periodMs: 3 * 86_400_000)
    }
    return configuration
}()
