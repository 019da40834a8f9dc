import ScimCore

/// A mapping reading every value `json` pollers can map. `seeds/poll-json.json` is an answer it reads.
private let mapping = PollMapping(
    queue: .init(name: "jobs", depth: "stats.pending", inFlight: "stats.running", oldestAgeSeconds: "stats.age",
                 deadLetters: "stats.dead", processedTotal: "stats.done"),
    reconciler: .init(result: "runs.0.outcome", runID: "runs.0.id", startedAt: "runs.0.start", finishedAt: "runs.0.end",
                      recordsChecked: "runs.0.checked", driftMissing: "runs.0.missing", driftOrphaned: "runs.0.orphaned",
                      driftMismatched: "runs.0.mismatched", intervalSeconds: "runs.0.every"),
    quarantined: "connector.state")

private let decoders = [
    PollDecoder(format: .native),
    PollDecoder(format: .entraSyncJob, target: "jira"),
    PollDecoder(format: .json, target: "okta-app", mapping: mapping),
]

/// An engine with nothing ingested, made once: what a scrape shows besides the polls.
private let idle = IngestEngine()

/// One answer body through each poll decoder, recorded as a poll is and rendered as a scrape shows it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPoll(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let body = Array(UnsafeBufferPointer(start: data, count: size))
    var polls = PollState()
    for (i, decoder) in decoders.enumerated() {
        polls.record(endpoint: "poll-\(i)", result: decoder.decode(body), duration: .milliseconds(5), now: 1_795_000_000_000)
    }
    _ = MetricsSnapshot(engine: idle, polls: polls).render(.prometheus)
    return 0
}
