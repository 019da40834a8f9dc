import Foundation
import ScimApp
import ScimCore
import ScimStore
import ScimTesting
import Testing

/// The pipeline with a real SQLite file: restarts continue counters, and an unfinished checkpoint
/// (a crash) neither loses nor double-counts lines.
@Suite struct PipelineTests {
    let dir: TemporaryDirectory

    init() throws {
        dir = try TemporaryDirectory(prefix: "pipeline")
    }

    func configuration() -> ScimwatchConfiguration {
        var c = ScimwatchConfiguration()
        c.statePath = dir.file("state.sqlite")
        c.sources = [SourceConfiguration(name: "app", paths: [dir.file("*.log")], format: SourceFormat(format: .native))]
        return c
    }

    func pipeline() throws -> IngestPipeline {
        try IngestPipeline(configuration: configuration(), store: Store(path: dir.file("state.sqlite")))
    }

    func line(_ n: Int, status: Int = 200) -> String {
        #"{"id":"e-\#(n)","time":"2026-11-16T10:00:00Z","tenant":"acme","target":"github","operation":"update","status":\#(status)}"# + "\n"
    }

    func total(_ p: IngestPipeline) -> UInt64 { p.engine.requests.requests.values.reduce(0, +) }

    @Test func countersContinueAcrossARestart() throws {
        try Files.append((1...5).map { line($0) }.joined(), to: dir.file("app.log"))
        let first = try pipeline()
        first.refresh()
        first.readAvailable()
        first.checkpoint()
        #expect(total(first) == 5)

        try Files.append((6...8).map { line($0) }.joined(), to: dir.file("app.log"))
        let second = try pipeline()
        #expect(total(second) == 5)
        second.refresh()
        second.readAvailable()
        #expect(total(second) == 8)
        #expect(second.engine.sources[0].lines == 8)
    }

    @Test func linesReadAfterTheLastCheckpointAreReadAgainExactlyOnce() throws {
        try Files.append((1...3).map { line($0) }.joined(), to: dir.file("app.log"))
        let first = try pipeline()
        first.refresh()
        first.readAvailable()
        first.checkpoint()
        try Files.append((4...6).map { line($0) }.joined(), to: dir.file("app.log"))
        first.refresh()
        first.readAvailable()
        #expect(total(first) == 6)
        // The process dies here, before its next checkpoint.
        let second = try pipeline()
        second.refresh()
        second.readAvailable()
        #expect(total(second) == 6)
        #expect(second.engine.sources[0].duplicates == 0)
    }

    @Test func recentIDsSurviveARestart() throws {
        try Files.append(line(1) + line(2), to: dir.file("app.log"))
        let first = try pipeline()
        first.refresh()
        first.readAvailable()
        first.checkpoint()
        // The IdP resends event 2 after the restart.
        try Files.append(line(2) + line(3), to: dir.file("app.log"))
        let second = try pipeline()
        second.refresh()
        second.readAvailable()
        #expect(total(second) == 3)
        #expect(second.engine.sources[0].duplicates == 1)
    }

    @Test func publishedSnapshotsShowOnlyCommittedState() throws {
        try Files.append(line(1), to: dir.file("app.log"))
        let p = try pipeline()
        p.refresh()
        p.readAvailable()
        #expect(p.published.metricsSnapshot().engine.requests.requests.values.isEmpty)
        p.checkpoint()
        #expect(p.published.metricsSnapshot().engine.requests.requests.values == [1])
        #expect(p.published.readiness().isReady)
    }

    @Test func aDamagedStateRefusesToStartWithAClearMessage() throws {
        let store = try Store(path: dir.file("state.sqlite"))
        try store.checkpoint(Checkpoint(engineState: [1, 2, 3], positions: [], newRecentIDs: [], forgetRecentIDsBefore: 0))
        #expect(throws: StartupError.self) { try pipeline() }
    }
}
