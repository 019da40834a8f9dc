import Foundation
import ScimApp
import ScimCore
import ScimStore
import ScimTesting
import Testing

/// The hourly poll readings behind "queue backlog and drift by day" go into the checkpoint's own
/// section: a restart keeps them, and `scimwatch report` (which reads only the state file) shows them.
@Suite struct PollHistoryPersistenceTests {
    static let hour: Int64 = 3_600_000
    /// Monday 2026-11-16 00:00Z (2026-W47).
    static let w47: Int64 = 1_794_787_200_000

    @Test func readingsSurviveARestartAndReachTheReportCommand() throws {
        let dir = try TemporaryDirectory(prefix: "poll-history")
        defer { dir.remove() }
        var configuration = ScimwatchConfiguration()
        configuration.sources = []
        configuration.statePath = dir.file("state.sqlite")
        let reading = PollReading(
            queues: [QueueReading(name: "provisioning", depth: 17, deadLetters: 3)],
            runs: [ReconcileRun(target: "github", runID: "r-9", finishedAt: Self.w47 + 26 * Self.hour, result: "success",
                                drift: DriftCounts(missing: 1, orphaned: 2, mismatched: 3))])
        let before: PollHistory
        do {
            let pipeline = try IngestPipeline(configuration: configuration, store: try Store(path: configuration.statePath), logger: quietLogger)
            pipeline.record(polls: [
                PollRecord(endpoint: "queue", result: .success(reading), duration: .milliseconds(2), finishedAt: Self.w47 + 27 * Self.hour),
                // A failed poll adds nothing: no reading is not an empty queue.
                PollRecord(endpoint: "queue", result: .failure(PollFailure(.timeout, "no answer")), duration: .seconds(10),
                           finishedAt: Self.w47 + 50 * Self.hour),
            ])
            pipeline.checkpoint()
            before = pipeline.pollHistory
        }
        #expect(before.hours.count == 2) // the queue at 03:00 Tuesday, the run's drift at 02:00
        let restarted = try IngestPipeline(configuration: configuration, store: try Store(path: configuration.statePath), logger: quietLogger)
        #expect(restarted.pollHistory == before)
        let report = try ReportBuilder.weekly(configuration: configuration, statePath: nil, week: "2026-W47",
                                              now: Self.w47 + 10 * 24 * Self.hour)
        let tuesday = try #require(report.queues.first?.days[1])
        #expect(tuesday.readings == 1 && tuesday.maxDepth == 17 && tuesday.lastDeadLetters == 3)
        #expect(report.queues.first?.days[2].readings == 0 && report.queues.first?.days[2].maxDepth == nil)
        #expect(report.drift.first?.days[1].maxDrift == 6)
    }
}
