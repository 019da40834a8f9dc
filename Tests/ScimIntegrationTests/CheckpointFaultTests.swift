import Foundation
import Logging
import ScimApp
import ScimCore
import ScimStore
import ScimTesting
import Testing

/// A checkpoint that fails (a locked database, a full disk) is counted, logged and retried; reading
/// waits for it, so when the fault clears every line is counted once, and a process stopped meanwhile
/// reads the uncommitted lines again.
@Suite final class CheckpointFaultTests {
    let dir: TemporaryDirectory
    var state: String { dir.file("state.sqlite") }
    var log: String { dir.file("app.log") }

    init() throws {
        dir = try TemporaryDirectory(prefix: "checkpoint-faults")
    }

    deinit { dir.remove() }

    func configuration(state: String) -> ScimwatchConfiguration {
        var c = ScimwatchConfiguration()
        c.statePath = state
        c.sources = [SourceConfiguration(name: "app", paths: [dir.file("*.log")], format: SourceFormat(format: .native))]
        c.pollInterval = .milliseconds(20)
        c.checkpointInterval = .milliseconds(200)
        return c
    }

    func lines(_ range: ClosedRange<Int>) -> String {
        range.map {
            #"{"id":"e-\#($0)","time":"2026-11-16T10:00:00Z","tenant":"acme","target":"github","operation":"update","status":200}"# + "\n"
        }.joined()
    }

    func total(_ s: MetricsSnapshot) -> UInt64 { s.engine.requests.requests.values.reduce(0, +) }

    /// A new pipeline on the state (a restart): what it restored, and what it counts after reading.
    func restart(state: String) throws -> (restored: UInt64, afterReading: UInt64, duplicates: UInt64) {
        let pipeline = try IngestPipeline(configuration: configuration(state: state), store: Store(path: state), logger: quietLogger)
        let restored = total(pipeline.snapshot())
        pipeline.refresh()
        pipeline.readAvailable()
        return (restored, total(pipeline.snapshot()), pipeline.engine.sources[0].duplicates)
    }

    /// Runs the ingest service on a store whose writes wait at most 50 ms for a lock.
    func startService(logger: Logger = quietLogger) throws -> (SnapshotBox, Task<Void, any Error>) {
        let store = try Store(path: state, busyTimeout: 0.05)
        let pipeline = try IngestPipeline(configuration: configuration(state: state), store: store, logger: logger)
        let published = pipeline.published
        let service = IngestService(pipeline: pipeline, logger: quietLogger)
        return (published, Task { try await service.run() })
    }

    func storeErrors(_ box: SnapshotBox) -> UInt64 { box.metricsSnapshot().storeErrors["checkpoint"] ?? 0 }

    @Test func aLockedDatabaseIsCountedAndRetriedWhileReadingWaitsThenNothingIsLostOrDoubled() async throws {
        try Files.append(lines(1...50), to: log)
        let logged = RecordingLogHandler.Entries()
        let (published, task) = try startService(logger: RecordingLogHandler.logger(logged))
        #expect(try await eventuallyAsync(timeout: 20) { total(published.metricsSnapshot()) == 50 })

        let lock = try StoreFaults.holdWriteLock(state)
        try Files.append(lines(51...100), to: log)
        #expect(try await eventuallyAsync(timeout: 20) { storeErrors(published) >= 1 })
        let problems = published.readiness().problems.joined()
        #expect(problems.contains("reading is paused until one succeeds"), "\(problems)")
        #expect(problems.contains("another process holds its write lock"), "\(problems)")

        try Files.append(lines(101...150), to: log)
        let unread = Int64(lines(101...150).utf8.count)
        // Retried on the interval, and the lines written meanwhile wait in the file, unread.
        #expect(try await eventuallyAsync(timeout: 20) { storeErrors(published) >= 4 })
        #expect(try await eventuallyAsync(timeout: 20) { published.metricsSnapshot().lagBytes.first ?? 0 >= unread })
        #expect(total(published.metricsSnapshot()) == 50, "scrapes see only committed counts")
        #expect(published.metricsSnapshot().render(.prometheus).contains(#"scimwatch_store_errors_total{operation="checkpoint"}"#))

        try lock.release()
        #expect(try await eventuallyAsync(timeout: 20) { total(published.metricsSnapshot()) == 150 })
        #expect(try await eventuallyAsync(timeout: 20) { published.readiness().isReady })
        #expect(published.metricsSnapshot().lagBytes.first == 0)
        task.cancel()
        try await task.value

        // One error line for the run of identical failures, one line when it ends.
        let entries = logged.all
        #expect(entries.filter { $0.level == .error }.count == 1, "\(entries)")
        #expect(entries.contains { $0.level == .notice && $0.message.contains("reading resumes") })
        let restarted = try restart(state: state)
        #expect(restarted.restored == 150 && restarted.afterReading == 150 && restarted.duplicates == 0)
    }

    @Test func aProcessStoppedWhileCheckpointsFailReadsTheUncommittedLinesAgainAtItsNextStart() async throws {
        try Files.append(lines(1...20), to: log)
        let (published, task) = try startService()
        #expect(try await eventuallyAsync(timeout: 20) { total(published.metricsSnapshot()) == 20 })
        let lock = try StoreFaults.holdWriteLock(state)
        try Files.append(lines(21...40), to: log)
        #expect(try await eventuallyAsync(timeout: 20) { storeErrors(published) >= 1 })
        task.cancel() // its final checkpoint fails too
        try await task.value
        try lock.release()

        let restarted = try restart(state: state)
        #expect(restarted.restored == 20)
        #expect(restarted.afterReading == 40 && restarted.duplicates == 0)
    }

    @Test(.enabled(if: SmallFileSystem.isAvailable, "needs root with CAP_SYS_ADMIN to mount a tmpfs"))
    func aFullDiskPausesReadingUntilACheckpointFitsAgain() throws {
        let disk = try #require(SmallFileSystem.mount(megabytes: 2))
        defer { disk.unmount() }
        let state = disk.file("state.sqlite")
        try Files.append(lines(1...50), to: log)
        let pipeline = try IngestPipeline(configuration: configuration(state: state), store: Store(path: state), logger: quietLogger)
        pipeline.refresh()
        pipeline.readAvailable()
        pipeline.checkpoint()
        #expect(pipeline.storeErrors.isEmpty)

        try disk.fill()
        try Files.append(lines(51...100), to: log)
        pipeline.refresh()
        #expect(pipeline.readAvailable() > 0)
        pipeline.checkpoint()
        #expect(pipeline.storeErrors == ["checkpoint": 1])
        #expect(pipeline.published.readiness().problems.joined().contains("its file system is full"))

        try Files.append(lines(101...150), to: log)
        pipeline.refresh()
        #expect(pipeline.readAvailable() == 0, "no line is read while the last checkpoint failed")
        pipeline.checkpoint()
        #expect(pipeline.storeErrors == ["checkpoint": 2])

        disk.makeRoom()
        pipeline.checkpoint()
        #expect(pipeline.storeErrors == ["checkpoint": 2])
        #expect(pipeline.published.readiness().isReady)
        #expect(total(pipeline.published.metricsSnapshot()) == 100)
        #expect(pipeline.readAvailable() > 0)
        pipeline.checkpoint()
        #expect(total(pipeline.published.metricsSnapshot()) == 150)

        let restarted = try restart(state: state)
        #expect(restarted.restored == 150 && restarted.afterReading == 150 && restarted.duplicates == 0)
    }

    @Test func aReplayWhoseCheckpointFailsExitsNonZeroAndStoresNothing() throws {
        try Files.append(lines(1...10), to: log)
        _ = try Store(path: state)
        let lock = try StoreFaults.holdWriteLock(state)
        let failed = try runProcess(scimwatchExecutable(), ["replay", "--state", state, log], timeout: 60)
        try lock.release()
        #expect(failed.status == 1)
        #expect(failed.stdout.isEmpty)
        #expect(failed.stderr.contains("cannot write a checkpoint to the state file \(state): another process holds its write lock"),
                "\(failed.stderr)")
        #expect(failed.stderr.contains("Nothing of this replay was stored"))
        #expect(try restart(state: state).restored == 0)
    }
}
