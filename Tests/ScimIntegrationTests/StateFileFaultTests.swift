import Foundation
import ScimApp
import ScimCore
import ScimStore
import ScimTesting
import Testing

/// A state file that is damaged, truncated, someone else's or from a newer scimwatch stops start-up
/// with a message naming the file, what is wrong and what to do, and is left as it was.
@Suite final class StateFileFaultTests {
    let dir: TemporaryDirectory
    var state: String { dir.file("state.sqlite") }

    init() throws {
        dir = try TemporaryDirectory(prefix: "state-faults")
    }

    deinit { dir.remove() }

    func configuration() -> ScimwatchConfiguration {
        var c = ScimwatchConfiguration()
        c.statePath = state
        c.sources = [SourceConfiguration(name: "app", paths: [dir.file("*.log")], format: SourceFormat(format: .native))]
        return c
    }

    /// The error `Store(path:)` throws for the state file, or nil when it opens.
    func openingError(_ path: String? = nil) -> StoreError? {
        do {
            _ = try Store(path: path ?? state)
            return nil
        } catch {
            return error
        }
    }

    /// A real state file of several pages: lines with ids read and checkpointed, the store closed.
    func writeRealState(lines: Int = 3000) throws {
        try Files.append((1...lines).map {
            #"{"id":"e-\#($0)","time":"2026-11-16T10:00:00Z","tenant":"acme","target":"github","operation":"update","status":200}"# + "\n"
        }.joined(), to: dir.file("app.log"))
        let pipeline = try IngestPipeline(configuration: configuration(), store: Store(path: state), logger: quietLogger)
        pipeline.refresh()
        pipeline.readAvailable()
        pipeline.checkpoint()
        #expect(pipeline.storeErrors.isEmpty)
    }

    @Test func aStateFileOfRandomBytesStopsStartUpAndIsLeftAsItWas() throws {
        try StoreFaults.scramble(state)
        let before = try Data(contentsOf: URL(fileURLWithPath: state))
        let error = try #require(openingError())
        #expect(error.problem == .notADatabase)
        #expect(error.description.hasPrefix("cannot open the state file \(state): it is not an SQLite database"))
        #expect(error.description.contains("Move it away to start afresh"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: state)) == before)
    }

    @Test func aStateFileCutInHalfStopsStartUp() throws {
        try writeRealState()
        // Closed cleanly, everything is in the main file: cutting it loses pages, not just a WAL.
        #expect(!FileManager.default.fileExists(atPath: state + "-wal"))
        try StoreFaults.truncate(state, to: 0.5)
        let error = try #require(openingError())
        #expect(error.problem == .damaged)
        #expect(error.description.hasPrefix("cannot open the state file \(state): it is damaged or truncated"))
        #expect(error.description.contains("Move it away to start afresh"))
    }

    @Test func aStateFileWithAMigrationThisBuildDoesNotKnowIsFromANewerVersion() throws {
        try writeRealState(lines: 10)
        try StoreFaults.execute("INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')", on: state)
        let error = try #require(openingError())
        #expect(error.problem == .newerVersion(migrations: ["v9-from-the-future"]))
        #expect(error.description.hasPrefix("cannot open the state file \(state): it was written by a newer scimwatch"))
        #expect(error.description.contains("v9-from-the-future"))
        #expect(error.description.contains("Run that version or a later one"))
    }

    @Test func anotherApplicationsDatabaseIsRefusedAndGetsNoTables() throws {
        try StoreFaults.execute("CREATE TABLE notes (text TEXT)", on: state)
        let error = try #require(openingError())
        #expect(error.problem == .foreignDatabase)
        #expect(error.description.contains("not a scimwatch state file"))
        // Refused before the migrations ran: no scimwatch table was added to it.
        #expect(throws: (any Error).self) { try StoreFaults.execute("SELECT * FROM engine_state", on: self.state) }
    }

    @Test func aSectionInANewerFormatNamesTheSectionAndTheVersion() throws {
        var newer = StateWriter()
        newer.write(UInt64(2))
        var sections = StateSections()
        sections["engine"] = newer.bytes
        try Store(path: state).checkpoint(Checkpoint(engineState: sections.encoded(), positions: [], newRecentIDs: [], forgetRecentIDsBefore: 0))
        let error = try #require(throws: StartupError.self) { try IngestPipeline(configuration: configuration(), store: Store(path: state)) }
        #expect(error.description == """
            cannot restore the state file \(state): its section "engine" was written by a newer scimwatch (format 2; \
            this build reads 1). Run that version or a later one, or move the file away to start afresh (counters restart from zero)
            """)
    }

    @Test func aDamagedSectionNamesTheSection() throws {
        var sections = StateSections()
        sections["slo"] = [1, 2, 3]
        try Store(path: state).checkpoint(Checkpoint(engineState: sections.encoded(), positions: [], newRecentIDs: [], forgetRecentIDsBefore: 0))
        let error = try #require(throws: StartupError.self) { try IngestPipeline(configuration: configuration(), store: Store(path: state)) }
        #expect(error.description.hasPrefix("cannot restore the state file \(state): its section \"slo\" is damaged or truncated."))
        #expect(error.description.contains("Move it away to start afresh"))
    }

    @Test(.enabled(if: SmallFileSystem.isAvailable, "needs root with CAP_SYS_ADMIN to mount a tmpfs"))
    func aStateFileOnAReadOnlyFileSystemStopsStartUp() throws {
        let disk = try #require(SmallFileSystem.mount(megabytes: 2))
        defer { disk.unmount() }
        let state = disk.file("state.sqlite")
        #expect(openingError(state) == nil)
        try disk.remount(readOnly: true)
        let error = try #require(openingError(state))
        #expect(error.problem == .notWritable)
        #expect(error.description.hasPrefix("cannot open the state file \(state): it cannot be created or written"))
        #expect(error.description.contains("on a file system mounted read-write"))
        try disk.remount(readOnly: false)
        #expect(openingError(state) == nil)
    }

    @Test func runAndReplayRefuseADamagedStateFileWithTheMessageAndNoCrash() throws {
        try StoreFaults.scramble(state)
        try Files.append("", to: dir.file("app.log"))
        let bin = scimwatchExecutable()
        let run = try runProcess(bin, ["run", "--state", state, "--listen", "127.0.0.1:0"], timeout: 60)
        let replay = try runProcess(bin, ["replay", "--state", state, dir.file("app.log")], timeout: 60)
        for result in [run, replay] {
            // Exit status 1 from the error, not a signal (a crash would be 128 + signal, or a trap).
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains("cannot open the state file \(state): it is not an SQLite database"), "\(result.stderr)")
            #expect(result.stderr.contains("Move it away to start afresh"))
        }
    }
}
