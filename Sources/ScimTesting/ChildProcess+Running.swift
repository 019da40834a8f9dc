import Foundation

/// A long-running child process (a `scimwatch run` or `demo`), its output collected as it comes.
public final class ChildProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var collected = ""

    public init(_ executable: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock()
            self.collected += String(decoding: data, as: UTF8.self)
            self.lock.unlock()
        }
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Everything printed so far (stdout and stderr).
    public var output: String {
        lock.lock()
        defer { lock.unlock() }
        return collected
    }

    /// The first match of `pattern` (a regular expression) in the output, waiting up to `timeout`.
    public func waitForOutput(matching pattern: String, timeout: TimeInterval) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let range = output.range(of: pattern, options: .regularExpression) { return String(output[range]) }
            usleep(50_000)
        } while Date() < deadline && process.isRunning
        return output.range(of: pattern, options: .regularExpression).map { String(output[$0]) }
    }

    public func signal(_ signal: Int32) {
        if process.isRunning { Foundation.kill(process.processIdentifier, signal) }
    }

    /// Kills with SIGKILL and reaps.
    public func kill() {
        signal(SIGKILL)
        process.waitUntilExit()
    }

    /// The exit status, or `nil` if still running after `timeout`.
    public func waitForExit(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { return nil }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
