import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ScimTesting
import Testing

/// `scimwatch demo` as a child process, scraped over a real socket, stopped with SIGTERM.
@Suite struct LiveServerTests {
    @Test func demoServesGrowingMetricsOverHTTPAndStopsOnSIGTERM() async throws {
        let dir = try TemporaryDirectory(prefix: "demo")
        defer { dir.remove() }
        let child = try ChildProcess(scimwatchExecutable(), ["demo", "--listen", "127.0.0.1:0", "--dir", dir.path, "--for", "60"])
        defer { child.kill() }
        let url = try #require(child.waitForOutput(matching: "http://127.0.0.1:[0-9]+/metrics", timeout: 30), "\(child.output)")
        var text = ""
        let served = try await eventuallyAsync(timeout: 20) {
            text = try await fetch(url).body
            return text.contains("scim_requests_total{")
        }
        #expect(served, "no requests counted yet:\n\(text.prefix(2000))")
        let polled = try await eventuallyAsync(timeout: 20) {
            text = try await fetch(url).body
            return text.contains(#"scimwatch_poll_up{endpoint="demo-queues"} 1"#) && text.contains(#"scim_queue_depth{queue="provisioning"}"#)
                && text.contains(#"scim_reconcile_runs_total{target="github""#)
        }
        #expect(polled, "the demo's endpoints are not polled:\n\(text.suffix(3000))")
        let openMetrics = try await fetch(url, accept: "application/openmetrics-text;version=1.0.0")
        #expect(openMetrics.contentType.hasPrefix("application/openmetrics-text"))
        #expect(openMetrics.body.hasSuffix("# EOF\n"))
        let ready = try await fetch(url.replacingOccurrences(of: "/metrics", with: "/readyz"))
        #expect(ready.status == 200)
        child.signal(SIGTERM)
        #expect(child.waitForExit(timeout: 20) == 0)
    }
}

func fetch(_ url: String, accept: String? = nil) async throws -> (status: Int, contentType: String, body: String) {
    var request = URLRequest(url: URL(string: url)!)
    request.timeoutInterval = 5
    if let accept { request.setValue(accept, forHTTPHeaderField: "Accept") }
    let (data, response) = try await URLSession.shared.data(for: request)
    let http = response as! HTTPURLResponse
    return (http.statusCode, http.value(forHTTPHeaderField: "Content-Type") ?? "", String(decoding: data, as: UTF8.self))
}

func eventuallyAsync(timeout: TimeInterval, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if (try? await condition()) == true { return true }
        try await Task.sleep(for: .milliseconds(200))
    }
    return try await condition()
}
