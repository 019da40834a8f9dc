import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import ScimApp
import ScimCore
import ScimStore
import ScimTesting
import Synchronization
import Testing

/// `scimwatch run` as a child process polling endpoints served by the test: values appear on /metrics,
/// and disappear (poll_up 0, the error counted) once the endpoint fails.
@Suite struct PollingEndToEndTests {
    @Test func polledValuesAreServedAndWithdrawnWhenTheEndpointFails() async throws {
        let failing = Failing()
        let router = Router()
        router.get("/queue") { _, _ in
            failing.value ? json(#"{"error": "down"}"#, status: .internalServerError) : json(Files.read(samplePath("queue.json")))
        }
        router.get("/reconciler") { _, _ in json(Files.read(samplePath("reconciler.json"))) }
        let dir = try TemporaryDirectory(prefix: "polling")
        defer { dir.remove() }
        let state = dir.file("state.sqlite")
        try await LocalHTTPServer.withRunning(router, logger: quietLogger) { port in
            let config = dir.file("scimwatch.yaml")
            try """
                listen: 127.0.0.1:0
                state: \(state)
                sources:
                  - name: app
                    paths: ["\(dir.file("app.log"))"]
                    format: native
                pollers:
                  - name: queue
                    url: http://127.0.0.1:\(port)/queue
                    format: native
                    interval: 1s
                    timeout: 800ms
                  - name: reconciler
                    url: http://127.0.0.1:\(port)/reconciler
                    format: native
                    interval: 1s
                    timeout: 800ms
                """.write(toFile: config, atomically: true, encoding: .utf8)
            let child = try ChildProcess(scimwatchExecutable(), ["run", "--config", config])
            defer { child.kill() }
            let url = try #require(await output(of: child, matching: "http://127.0.0.1:[0-9]+/metrics", timeout: 30), "\(child.output)")

            var text = ""
            let served = try await eventuallyAsync(timeout: 30) {
                text = try await fetch(url).body
                return text.contains(#"scim_queue_depth{queue="provisioning"} 12"#)
                    && text.contains(#"scimwatch_poll_up{endpoint="queue"} 1"#)
                    && text.contains(#"scim_reconcile_runs_total{target="github",result="success"} 1"#)
                    && text.contains(#"scim_reconcile_drift_records{target="github",kind="mismatched"} 7"#)
            }
            #expect(served, "\(text)")
            try checkWithPromtool(text, in: dir)

            failing.value = true
            let withdrawn = try await eventuallyAsync(timeout: 30) {
                text = try await fetch(url).body
                return !text.contains("scim_queue_depth") && text.contains(#"scimwatch_poll_up{endpoint="queue"} 0"#)
                    && text.contains(#"scimwatch_poll_errors_total{endpoint="queue",reason="http_status"}"#)
                    && text.contains(#"scimwatch_poll_up{endpoint="reconciler"} 1"#)
            }
            #expect(withdrawn, "\(text)")
            #expect(text.contains(#"scim_reconcile_runs_total{target="github",result="success"} 1"#), "polled many times, counted once")
            try checkWithPromtool(text, in: dir)
            child.signal(SIGTERM)
            #expect(child.waitForExit(timeout: 20) == 0, "\(child.output)")
        }

        // The committed checkpoint carries the poll state across a restart.
        let stored = try Store(path: state).load()
        let sections = try StateSections(decoding: try #require(stored.engineState))
        var polls = PollState()
        try polls.restoreState(try #require(sections["polls"]))
        #expect(polls.targets["github"]?.counts == ["success": 1])
        #expect((polls.endpoints["queue"]?.errors[.httpStatus] ?? 0) >= 1)
    }
}

/// A flag the test flips while the server reads it.
final class Failing: Sendable {
    private let flag = Mutex(false)
    var value: Bool {
        get { flag.withLock { $0 } }
        set { flag.withLock { $0 = newValue } }
    }
}

/// Waits for `pattern` in a child's output without blocking a concurrency thread.
func output(of child: ChildProcess, matching pattern: String, timeout: TimeInterval) async -> String? {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let range = child.output.range(of: pattern, options: .regularExpression) { return String(child.output[range]) }
        if !child.isRunning { break }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return child.output.range(of: pattern, options: .regularExpression).map { String(child.output[$0]) }
}

/// `promtool check metrics` must pass with no finding.
func checkWithPromtool(_ exposition: String, in dir: TemporaryDirectory) throws {
    let promtool = try #require(which("promtool"), "promtool is installed by scripts/test.sh")
    let file = dir.file("metrics-\(UUID().uuidString.prefix(6)).prom")
    try exposition.write(toFile: file, atomically: true, encoding: .utf8)
    let check = try runProcess("/bin/sh", ["-c", "\(promtool) check metrics < \(file)"])
    #expect(check.status == 0 && check.stdout.isEmpty && check.stderr.isEmpty, "promtool: \(check.stdout)\(check.stderr)")
}
