import Foundation
import ScimCore
import Testing

/// A file of `Tests/Fixtures/samples` (a copy of `../shared/samples`) as bytes.
private func sample(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/samples/" + name)
    return Array(try Data(contentsOf: url))
}

private func decode(_ text: String, _ decoder: PollDecoder = PollDecoder(format: .native)) -> Result<PollReading, PollFailure> {
    decoder.decode(Array(text.utf8))
}

private func failureReason(_ result: Result<PollReading, PollFailure>) -> PollFailureReason? {
    if case .failure(let f) = result { return f.reason }
    return nil
}

@Suite struct PollDecoderTests {
    @Test func nativeQueueSampleGivesEveryQueueValue() throws {
        let reading = try PollDecoder(format: .native).decode(try sample("queue.json")).get()
        #expect(reading.queues == [
            QueueReading(name: "provisioning", depth: 12, inFlight: 3, oldestAgeSeconds: 42.5, deadLetters: 0, processedTotal: 123_456),
            QueueReading(name: "deprovisioning", depth: 0, inFlight: 0, oldestAgeSeconds: 0, deadLetters: 2, processedTotal: 8812),
        ])
        #expect(reading.runs.isEmpty && reading.quarantines.isEmpty)
    }

    @Test func nativeReconcilerSampleGivesTheRun() throws {
        let reading = try PollDecoder(format: .native).decode(try sample("reconciler.json")).get()
        let run = try #require(reading.runs.first)
        #expect(reading.runs.count == 1)
        #expect(run.target == "github")
        #expect(run.runID == "r-981")
        #expect(run.startedAt == EventTime.parseRFC3339("2026-11-22T08:00:00Z"))
        #expect(run.finishedAt == EventTime.parseRFC3339("2026-11-22T08:03:10Z"))
        #expect(run.result == "success")
        #expect(run.recordsChecked == 5000)
        #expect(run.drift == DriftCounts(missing: 3, orphaned: 1, mismatched: 7))
        #expect(run.intervalSeconds == 3600)
        #expect(run.key == "id:r-981")
    }

    @Test func nativeAcceptsQueuesAndTargetsInOneDocument() throws {
        let reading = try decode("""
            {"queues": [{"name": "q", "depth": 1, "in_flight": 0, "oldest_age_seconds": 3, "dead_letters": 0}],
             "targets": [{"target": "slack", "result": "failed", "records_checked": 10,
                          "drift": {"missing": 0, "orphaned": 0, "mismatched": 1}, "finished_at": null}]}
            """).get()
        #expect(reading.queues.map(\.name) == ["q"])
        #expect(reading.queues[0].processedTotal == nil)
        #expect(reading.runs.map(\.result) == ["failure"])
        #expect(reading.runs[0].key == nil)
    }

    @Test func entraQuarantinedJobGivesQuarantineBacklogPendingExportsAndRuns() throws {
        let reading = try PollDecoder(format: .entraSyncJob, target: "github").decode(try sample("entra-sync-job.json")).get()
        #expect(reading.quarantines == [QuarantineReading(target: "github", quarantined: true, reason: "EncounteredQuarantineException")])
        #expect(reading.queues == [
            QueueReading(name: "github/escrowed", depth: 184),
            QueueReading(name: "github/exports", depth: 420 - 236),
        ])
        #expect(reading.runs.count == 2)
        #expect(reading.runs[0].result == "failure")
        #expect(reading.runs[0].startedAt == EventTime.parseRFC3339("2026-11-22T07:20:00Z"))
        #expect(reading.runs[0].finishedAt == EventTime.parseRFC3339("2026-11-22T07:21:12Z"))
        #expect(reading.runs[1].result == "success")
        #expect(reading.runs[1].finishedAt == EventTime.parseRFC3339("2026-11-21T19:24:02Z"))
        #expect(reading.runs.allSatisfy { $0.recordsChecked == nil && $0.drift == nil })
    }

    @Test func entraPlaceholderTimesMeanNever() throws {
        let reading = try decode("""
            {"status": {"code": "Active",
              "lastExecution": {"state": "Succeeded", "timeBegan": "0001-01-01T00:00:00Z", "timeEnded": "0001-01-01T00:00:00Z",
                                "countEscrowed": 0, "countExports": 5, "countExported": 5},
              "lastSuccessfulExecution": {"state": "Succeeded", "timeBegan": "0001-01-01T00:00:00Z", "timeEnded": "0001-01-01T00:00:00Z"}}}
            """, PollDecoder(format: .entraSyncJob, target: "jira")).get()
        #expect(reading.quarantines.map(\.quarantined) == [false])
        #expect(reading.runs.count == 1)
        #expect(reading.runs[0].startedAt == nil && reading.runs[0].finishedAt == nil)
        #expect(reading.runs[0].key == nil, "a run that never ended is not counted")
        #expect(reading.queues.map(\.depth) == [0, 0])
    }

    @Test func mappedJSONReadsDottedPaths() throws {
        let mapping = PollMapping(
            queue: .init(name: "jobs", depth: "stats.pending", inFlight: "stats.running", processedTotal: "stats.done"),
            reconciler: .init(result: "runs.0.outcome", finishedAt: "runs.0.end", recordsChecked: "runs.0.checked",
                              driftMissing: "runs.0.missing"),
            quarantined: "connector.state")
        let decoder = PollDecoder(format: .json, target: "okta-app", mapping: mapping)
        let reading = try decode("""
            {"stats": {"pending": 7, "running": "2", "done": 99},
             "runs": [{"outcome": "Succeeded", "end": 1795000000, "checked": 40, "missing": 4}],
             "connector": {"state": "Quarantine"}}
            """, decoder).get()
        #expect(reading.queues == [QueueReading(name: "jobs", depth: 7, inFlight: 2, processedTotal: 99)])
        #expect(reading.runs == [ReconcileRun(target: "okta-app", finishedAt: 1_795_000_000_000, result: "success",
                                              recordsChecked: 40, drift: DriftCounts(missing: 4, orphaned: 0, mismatched: 0))])
        #expect(reading.quarantines == [QuarantineReading(target: "okta-app", quarantined: true)])
        #expect(failureReason(decode(#"{"stats": {"pending": 7}}"#, decoder)) == .missingField)
    }

    @Test func badBodiesGiveTheirReason() {
        #expect(failureReason(decode("<html>oops</html>")) == .invalidJSON)
        #expect(failureReason(decode("{\"queues\": [")) == .invalidJSON)
        #expect(failureReason(decode("[1, 2]")) == .wrongType)
        #expect(failureReason(decode("{}")) == .missingField)
        #expect(failureReason(decode(#"{"queues": {"name": "q"}}"#)) == .wrongType)
        #expect(failureReason(decode(#"{"queues": [{"name": "q", "depth": "lots", "in_flight": 0, "oldest_age_seconds": 0, "dead_letters": 0}]}"#)) == .wrongType)
        #expect(failureReason(decode(#"{"queues": [{"name": "q", "depth": -1, "in_flight": 0, "oldest_age_seconds": 0, "dead_letters": 0}]}"#)) == .wrongType)
        #expect(failureReason(decode(#"{"queues": [{"name": "q", "depth": 1}]}"#)) == .missingField)
        #expect(failureReason(decode(#"{"targets": [{"target": "t", "result": "success", "records_checked": 1}]}"#)) == .missingField)
        #expect(failureReason(decode(#"{"targets": [{"target": "t", "result": "success", "records_checked": 1, "drift": {"missing": 0, "orphaned": 0, "mismatched": 0}, "finished_at": "yesterday"}]}"#)) == .wrongType)
        let entra = PollDecoder(format: .entraSyncJob, target: "x")
        #expect(failureReason(decode(#"{"id": "job"}"#, entra)) == .missingField)
        #expect(failureReason(decode(#"{"status": {"code": 3}}"#, entra)) == .wrongType)
    }

    @Test func failureDetailsNameThePath() {
        let result = decode(#"{"queues": [{"name": "a", "depth": 1, "in_flight": 0, "oldest_age_seconds": 0, "dead_letters": 0}, {"name": "b", "depth": true}]}"#)
        guard case .failure(let failure) = result else { Issue.record("expected a failure"); return }
        #expect(failure.detail.contains("queues[1].depth"))
    }

    @Test func resultsBecomeBoundedLabelValues() {
        #expect(ReconcileRun.normalizedResult("EntryLevelErrors") == "entry_level_errors")
        #expect(ReconcileRun.normalizedResult("Succeeded") == "success")
        #expect(ReconcileRun.normalizedResult("partial-success") == "partial_success")
        #expect(ReconcileRun.normalizedResult("löschen \"x\"") == "other")
        #expect(ReconcileRun.normalizedResult(String(repeating: "a", count: 40)) == "other")
    }
}
