import Foundation
import ScimApp
import ScimCore
import ScimStore
import ScimTesting
import Testing

/// `scimwatch run` killed with SIGKILL at random moments while a writer appends (and rotates) its log:
/// after a last clean run, every line written is counted exactly once.
@Suite struct CrashTests {
    @Test func sigkillAtRandomMomentsLosesNothingAndCountsNothingTwice() throws {
        let dir = try TemporaryDirectory(prefix: "crash")
        defer { dir.remove() }
        let config = dir.file("scimwatch.yaml")
        try """
            listen: 127.0.0.1:0
            state: \(dir.file("state.sqlite"))
            sources:
              - name: app
                paths: ["\(dir.file("app.log"))*"]
                format: native
            tailer:
              poll_interval: 20ms
              checkpoint_interval: 50ms
            """.write(toFile: config, atomically: true, encoding: .utf8)

        let writer = LogWriter(path: dir.file("app.log"))
        let thread = Thread { writer.run() }
        thread.start()
        defer { writer.stop() }

        var generator = SystemRandomNumberGenerator()
        for cycle in 0..<10 {
            let child = try ChildProcess(scimwatchExecutable(), ["run", "--config", config])
            usleep(UInt32.random(in: 150_000...700_000, using: &generator))
            child.kill()
            #expect(!child.output.contains("Fatal error"), "cycle \(cycle): \(child.output)")
        }
        writer.stop()
        while !writer.finished { usleep(10_000) }
        let written = writer.linesWritten

        let final = try ChildProcess(scimwatchExecutable(), ["run", "--config", config])
        defer { final.kill() }
        var counted: UInt64 = 0
        let caughtUp = eventually(timeout: 60) {
            counted = (try? committedRequests(dir.file("state.sqlite"))) ?? 0
            return counted >= UInt64(written)
        }
        #expect(caughtUp, "counted \(counted) of \(written)")
        usleep(500_000)
        final.signal(SIGTERM)
        #expect(final.waitForExit(timeout: 20) == 0)
        #expect(try committedRequests(dir.file("state.sqlite")) == UInt64(written))
        #expect(written > 1000)
    }

    /// The loss the crash soak found, made certain by a long poll interval: lines read and committed
    /// between two looks at the file, SIGKILL, then the file truncated and refilled past those lines while
    /// stopped. The restart must tell the rewrite from the file it read, or lose the new first lines.
    @Test func aFileRewrittenWhileStoppedAfterLinesReadBetweenLooksLosesNothing() throws {
        let dir = try TemporaryDirectory(prefix: "crash-rewrite")
        defer { dir.remove() }
        let config = dir.file("scimwatch.yaml")
        let state = dir.file("state.sqlite")
        try """
            listen: 127.0.0.1:0
            state: \(state)
            sources:
              - name: app
                paths: ["\(dir.file("app.log"))"]
                format: native
            tailer:
              poll_interval: 1h
              checkpoint_interval: 50ms
            """.write(toFile: config, atomically: true, encoding: .utf8)
        func lines(_ ids: ClosedRange<Int>) -> String {
            ids.map { #"{"id":"r-\#($0)","time":\#(1_763_280_000_000 + $0),"tenant":"acme","target":"github","operation":"update","status":200}"# + "\n" }.joined()
        }
        try Files.append("", to: dir.file("app.log"))

        let first = try ChildProcess(scimwatchExecutable(), ["run", "--config", config])
        // The first look at the file is committed as a position before any line exists.
        #expect(eventually { ((try? Store(path: state).load().positions.count) ?? 0) == 1 }, "\(first.output)")
        try Files.append(lines(1...3), to: dir.file("app.log"))
        #expect(eventually { ((try? committedRequests(state)) ?? 0) == 3 }, "\(first.output)")
        first.kill()

        try Files.truncate(dir.file("app.log"))
        try Files.append(lines(4...13), to: dir.file("app.log"))
        let second = try ChildProcess(scimwatchExecutable(), ["run", "--config", config])
        defer { second.kill() }
        #expect(eventually { ((try? committedRequests(state)) ?? 0) >= 13 }, "\(second.output)")
        usleep(300_000)
        #expect(try committedRequests(state) == 13)
    }
}

/// The requests counted in the committed state of a store.
func committedRequests(_ path: String) throws -> UInt64 {
    let stored = try Store(path: path).load()
    guard let bytes = stored.engineState, let counters = try StateSections(decoding: bytes)["engine"] else { return 0 }
    var engine = IngestEngine()
    try engine.restoreState(counters)
    return engine.requests.requests.values.reduce(0, +)
}

/// Appends native lines with unique ids, sometimes in two writes (a partial line), and rotates by
/// rename every few thousand lines, until stopped.
final class LogWriter: @unchecked Sendable {
    let path: String
    private let lock = NSLock()
    private var stopping = false
    private(set) var linesWritten = 0
    private(set) var finished = false

    init(path: String) {
        self.path = path
    }

    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
    }

    private var shouldStop: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    func run() {
        var fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        var rotations = 0
        var n = 0
        while !shouldStop {
            for _ in 0..<50 {
                n += 1
                let line = Array((#"{"id":"c-\#(n)","time":\#(1_763_280_000_000 + n),"tenant":"acme","target":"t\#(n % 7)","operation":"update","status":\#(n % 13 == 0 ? 503 : 200)}"# + "\n").utf8)
                if n % 17 == 0 {
                    let half = line.count / 2
                    _ = line[..<half].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                    _ = line[half...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                } else {
                    _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                }
            }
            lock.lock()
            linesWritten = n
            lock.unlock()
            if n % 5000 == 0 {
                close(fd)
                rotations += 1
                rename(path, path + ".\(rotations)")
                fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            }
            usleep(2_000)
        }
        close(fd)
        lock.lock()
        finished = true
        lock.unlock()
    }
}
