import Foundation
import ScimCore
import ScimSources
import ScimTesting
import Testing

/// One test per file-system failure mode, with real files changed while the tailer runs or is stopped.
@Suite final class FileTailerTests {
    let dir: TemporaryDirectory

    init() throws {
        dir = try TemporaryDirectory(prefix: "tailer")
    }

    deinit { dir.remove() }

    func tailer(_ pattern: String = "*.log", startAtEnd: Bool = false, restoring: [FilePosition] = [],
                maxLineBytes: Int = 65_536) -> FileTailer {
        FileTailer(configuration: .init(source: "test", patterns: [dir.file(pattern)], startAtEnd: startAtEnd,
                                        maxLineBytes: maxLineBytes, missingGraceRefreshes: 1),
                   sourceIndex: 0, restoring: restoring)
    }

    /// One poll as the ingest loop does it: look at the files, then read.
    func step(_ t: FileTailer, _ sink: inout RecordingSink, times: Int = 1) {
        for _ in 0..<times {
            t.refresh(into: &sink)
            t.read(into: &sink)
        }
    }

    func lines(_ range: ClosedRange<Int>, _ prefix: String = "line") -> String {
        range.map { "\(prefix)-\($0)\n" }.joined()
    }

    /// The lines of `range` as the sink holds them.
    func names(_ range: ClosedRange<Int>, _ prefix: String = "line") -> [String] {
        range.map { "\(prefix)-\($0)" }
    }

    /// A tailer of `pattern` that has read `app.log` holding `range`.
    func tailer(afterReading range: ClosedRange<Int>, _ pattern: String = "*.log", into sink: inout RecordingSink) throws -> FileTailer {
        try Files.append(lines(range), to: dir.file("app.log"))
        let t = tailer(pattern)
        step(t, &sink)
        return t
    }

    /// A first run that read `app.log` holding `range`: the positions a checkpoint stores before the stop.
    func readThenStop(_ range: ClosedRange<Int>, _ pattern: String = "*.log", into sink: inout RecordingSink) throws -> [FilePosition] {
        try tailer(afterReading: range, pattern, into: &sink).positions
    }

    @Test func readsAnExistingFileFromTheStartAndHoldsAPartialLine() throws {
        try Files.append(lines(1...3) + "partial", to: dir.file("app.log"))
        let t = tailer()
        var sink = RecordingSink()
        step(t, &sink)
        #expect(sink.lines == ["line-1", "line-2", "line-3"])
        #expect(t.positions.first?.offset == Int64(lines(1...3).utf8.count))
        try Files.append("-done\n", to: dir.file("app.log"))
        step(t, &sink)
        #expect(sink.lines.last == "partial-done")
        #expect(sink.lines.count == 4)
    }

    @Test func picksUpAFileCreatedWhileRunning() throws {
        let t = tailer()
        var sink = RecordingSink()
        step(t, &sink)
        #expect(sink.lines.isEmpty)
        try Files.append(lines(1...2), to: dir.file("new.log"))
        step(t, &sink)
        #expect(sink.lines == ["line-1", "line-2"])
    }

    @Test func followsARotationByRenameWithoutLosingLinesWrittenToTheOldFile() throws {
        let path = dir.file("app.log")
        try Files.append(lines(1...3), to: path)
        let t = tailer("app.log")
        var sink = RecordingSink()
        step(t, &sink)
        // logrotate renames; the application still writes a little to the old file, then reopens.
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        try Files.append(lines(4...5), to: path + ".1")
        try Files.append(lines(6...8), to: path)
        step(t, &sink, times: 4)
        #expect(sink.lines == names(1...8))
        #expect(sink.rotations == [.rename])
        #expect(t.openFileCount == 1)
    }

    @Test func followsCopyTruncate() throws {
        let path = dir.file("app.log")
        var sink = RecordingSink()
        let t = try tailer(afterReading: 1...3, into: &sink)
        try Files.truncate(path)
        try Files.append(lines(4...5), to: path)
        step(t, &sink)
        #expect(sink.lines == names(1...5))
        #expect(sink.rotations == [.truncate])
    }

    @Test func noticesATruncationThatWasRewrittenPastTheOldOffset() throws {
        let path = dir.file("app.log")
        var sink = RecordingSink()
        let t = try tailer(afterReading: 1...2, into: &sink)
        // Truncated and refilled beyond the old size before the next look: only the first bytes tell.
        try Files.truncate(path)
        try Files.append(lines(10...19, "other"), to: path)
        step(t, &sink)
        #expect(sink.lines == ["line-1", "line-2"] + names(10...19, "other"))
        #expect(sink.rotations == [.truncate])
    }

    /// The loss the crash soak found: a copytruncate seen while the file was empty, lines read before the
    /// next look, then a second copytruncate refilled past them. Nothing but the first bytes read can
    /// tell, so they are kept as they are read, not taken at the next look.
    @Test func noticesARewriteOfLinesReadBetweenTwoLooks() throws {
        let path = dir.file("app.log")
        var sink = RecordingSink()
        let t = try tailer(afterReading: 1...2, into: &sink)
        try Files.truncate(path)
        t.refresh(into: &sink) // empty now: nothing to fingerprint at this look
        try Files.append(lines(3...4), to: path)
        t.read(into: &sink)
        try Files.truncate(path)
        try Files.append(lines(10...19, "other"), to: path)
        step(t, &sink)
        #expect(sink.lines == names(1...4) + names(10...19, "other"))
        #expect(sink.rotations == [.truncate, .truncate])
    }

    /// The same lines stored by a checkpoint before any look fingerprinted them, then the file rewritten
    /// while stopped: the stored offset must not be taken on trust.
    @Test func readsAFileRewrittenWhileStoppedFromTheStartWhenItsPositionWasStoredBetweenLooks() throws {
        let path = dir.file("app.log")
        try Files.append("", to: path)
        var sink = RecordingSink()
        let first = tailer()
        first.refresh(into: &sink)
        try Files.append(lines(1...3), to: path)
        first.read(into: &sink)
        let positions = first.positions
        #expect(positions.first?.fingerprintLength == lines(1...3).utf8.count)
        try Files.truncate(path)
        try Files.append(lines(10...19, "other"), to: path)
        let second = tailer(restoring: positions)
        step(second, &sink)
        #expect(sink.lines == names(1...3) + names(10...19, "other"))
        #expect(sink.rotations == [.truncate])
    }

    /// A position of an older state whose fingerprint covers less than it read is read again from the
    /// start (the duplicate window drops what was counted) rather than trusted.
    @Test func doesNotTrustAStoredPositionWhoseFingerprintIsShorterThanItsOffset() throws {
        var sink = RecordingSink()
        var positions = try readThenStop(1...3, into: &sink)
        positions[0].fingerprintLength = 0
        positions[0].fingerprint = 0
        let second = tailer(restoring: positions)
        step(second, &sink)
        #expect(sink.lines == names(1...3) + names(1...3))
    }

    @Test func followsDeleteAndRecreate() throws {
        let path = dir.file("app.log")
        var sink = RecordingSink()
        let t = try tailer(afterReading: 1...3, into: &sink)
        try FileManager.default.removeItem(atPath: path)
        try Files.append(lines(4...6), to: path)
        step(t, &sink, times: 3)
        #expect(sink.lines == names(1...6))
        #expect(sink.rotations == [.recreate])
        #expect(t.openFileCount == 1)
    }

    @Test func followsASymlinkSwappedToANewFile() throws {
        try Files.append(lines(1...2), to: dir.file("a.data"))
        try FileManager.default.createSymbolicLink(atPath: dir.file("current.log"), withDestinationPath: dir.file("a.data"))
        let t = tailer("current.log")
        var sink = RecordingSink()
        step(t, &sink)
        try Files.append(lines(3...4), to: dir.file("b.data"))
        try FileManager.default.removeItem(atPath: dir.file("current.log"))
        try FileManager.default.createSymbolicLink(atPath: dir.file("current.log"), withDestinationPath: dir.file("b.data"))
        step(t, &sink, times: 3)
        #expect(sink.lines == names(1...4))
        #expect(sink.rotations == [.rename])
    }

    @Test func resumesFromStoredPositionsAfterARestart() throws {
        let path = dir.file("app.log")
        var sink = RecordingSink()
        let positions = try readThenStop(1...3, into: &sink)
        try Files.append(lines(4...5), to: path)
        let second = tailer(restoring: positions)
        step(second, &sink)
        #expect(sink.lines == names(1...5))
        #expect(sink.rotations.isEmpty)
    }

    @Test func readsATruncatedFileFromTheStartWhenTruncatedWhileStopped() throws {
        let path = dir.file("app.log")
        var sink = RecordingSink()
        let positions = try readThenStop(1...5, into: &sink)
        try Files.truncate(path)
        try Files.append(lines(6...7), to: path)
        let second = tailer(restoring: positions)
        step(second, &sink)
        #expect(sink.lines == names(1...7))
        #expect(sink.rotations == [.truncate])
    }

    @Test func drainsAFileRotatedWhileStoppedFromItsStoredOffset() throws {
        let path = dir.file("app.log")
        var sink = RecordingSink()
        let positions = try readThenStop(1...3, "app.log", into: &sink)
        // While stopped: two more lines, then logrotate renames and the application starts a new file.
        try Files.append(lines(4...5), to: path)
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        try Files.append(lines(6...7), to: path)
        let second = tailer("app.log", restoring: positions)
        step(second, &sink, times: 4)
        #expect(sink.lines.sorted() == names(1...7).sorted())
        #expect(sink.lines.count == 7)
        #expect(sink.rotations == [.rename])
    }

    @Test func drainsTheOldTargetOfASymlinkSwappedWhileStopped() throws {
        try FileManager.default.createDirectory(atPath: dir.file("data"), withIntermediateDirectories: true)
        try Files.append(lines(1...2), to: dir.file("data/a.log"))
        try FileManager.default.createSymbolicLink(atPath: dir.file("current"), withDestinationPath: dir.file("data/a.log"))
        var sink = RecordingSink()
        let first = tailer("current")
        step(first, &sink)
        let positions = first.positions
        // While stopped: the old target gets two more lines, then the link moves to a new file.
        try Files.append(lines(3...4), to: dir.file("data/a.log"))
        try Files.append(lines(5...6), to: dir.file("data/b.log"))
        try FileManager.default.removeItem(atPath: dir.file("current"))
        try FileManager.default.createSymbolicLink(atPath: dir.file("current"), withDestinationPath: dir.file("data/b.log"))
        let second = tailer("current", restoring: positions)
        step(second, &sink, times: 4)
        #expect(sink.lines.sorted() == names(1...6).sorted())
    }

    @Test func startsAtTheEndOfExistingFilesWhenConfigured() throws {
        try Files.append(lines(1...3), to: dir.file("old.log"))
        let t = tailer(startAtEnd: true)
        var sink = RecordingSink()
        step(t, &sink)
        try Files.append(lines(4...4), to: dir.file("old.log"))
        try Files.append(lines(5...5), to: dir.file("created.log"))
        step(t, &sink)
        #expect(sink.lines.sorted() == ["line-4", "line-5"])
    }

    @Test func skipsALineLongerThanTheLimitWithoutBufferingIt() throws {
        // Longer than the read buffer, so it can only be skipped, never held.
        let long = String(repeating: "x", count: 3_000_000)
        try Files.append("before\n" + long + "\nafter\n", to: dir.file("app.log"))
        let t = tailer(maxLineBytes: 1024)
        var sink = RecordingSink()
        step(t, &sink, times: 2)
        #expect(sink.lines.count == 2 && sink.lines.first == "before" && sink.lines.last == "after")
        #expect(sink.overlongLines == [3_000_001])
        #expect(t.positions.first?.offset == Int64(7 + 3_000_001 + 6))
    }

    @Test func reportsLagOfUnreadBytes() throws {
        try Files.append(lines(1...3), to: dir.file("app.log"))
        let t = tailer()
        var sink = RecordingSink()
        t.refresh(into: &sink)
        #expect(t.lagBytes == Int64(lines(1...3).utf8.count))
        t.read(into: &sink)
        #expect(t.lagBytes == 0)
    }
}
