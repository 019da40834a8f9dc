import Foundation
import ScimApp
import ScimCore
import ScimStore
import ScimTesting
import Testing

/// The pipeline with a real SQLite file: restarts continue counters, and an unfinished checkpoint
/// (a crash) neither loses nor double-counts lines.
@Suite final class PipelineTests {
    let dir: TemporaryDirectory

    init() throws {
        dir = try TemporaryDirectory(prefix: "pipeline")
    }

    deinit { dir.remove() }

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

extension PipelineTests {
    @Test func openOperationsAndTheirAgesSurviveARestart() throws {
        try Files.append("""
            {"time":"2026-11-16T10:00:00Z","tenant":"acme","target":"slack","operation":"delete","phase":"requested","subject":"u1"}
            {"time":"2026-11-16T10:01:00Z","tenant":"acme","target":"slack","operation":"delete","status":503,"subject":"u1"}
            {"time":"2026-11-16T10:02:00Z","tenant":"acme","target":"github","operation":"create","phase":"requested","subject":"u2"}

            """, to: dir.file("app.log"))
        let first = try pipeline()
        first.refresh()
        first.readAvailable()
        first.checkpoint()
        #expect(first.engine.operations.open.count == 2)

        let second = try pipeline()
        #expect(second.engine.operations.open.count == 2)
        let restored = try #require(second.engine.operations.open.values.first { $0.subject == "u1" })
        #expect(restored.openedAt == EventTime.parseRFC3339("2026-11-16T10:00:00Z") && restored.attempts == 1)
        // Time moves on past the threshold after the restart: the restored deprovision is overdue.
        second.advance(toWallClock: EventTime.parseRFC3339("2026-11-16T10:15:00Z")!)
        #expect(second.snapshot().engine.overdue.map(\.subject) == ["u1"])
        #expect(second.snapshot().render(.prometheus).contains(#"scim_operations_open{tenant="acme",target="slack",class="deprovision"} 1"#))
        // Resolving it after the restart removes it from the store at the next checkpoint.
        try Files.append(#"{"time":"2026-11-16T10:16:00Z","tenant":"acme","target":"slack","operation":"delete","status":204,"subject":"u1"}"# + "\n",
                         to: dir.file("app.log"))
        second.refresh()
        second.readAvailable()
        second.checkpoint()
        #expect(try pipeline().engine.operations.open.count == 1)
    }
}
