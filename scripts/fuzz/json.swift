import ScimCore

/// A mapping with each kind of rule: plain and nested paths, an array index, value maps, a path with a
/// constant default. `seeds/json.jsonl` holds lines it reads.
private let mapping = FieldMapping(rules: [
    "time": .path("ts"), "tenant": FieldMapping.Rule(path: "org", value: .string("acme")), "target": .path("app.name"),
    "operation": .path("action", map: ["deactivate": "disable", "provision": "create"]),
    "phase": .path("stage"), "subject": .path("user.id"), "correlation_id": .path("trace"),
    "status": .path("http.code"), "outcome": .path("result", map: ["0": "success", "1": "failure"]),
    "duration_ms": .path("timings.0.ms"), "id": .path("eventId"), "attempt": .path("try"),
    "bulk_total": .path("bulk.n"), "bulk_failed": .path("bulk.failed"),
])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    ingest(data, size, as: SourceFormat(format: .json, mapping: mapping))
    return 0
}
