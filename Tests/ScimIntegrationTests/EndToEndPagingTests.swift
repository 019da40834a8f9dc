import Foundation
import ScimCore
import ScimTesting
import Testing

/// `scimwatch run` with a real Alertmanager: a burst of failures appended to a log becomes a page that
/// Alertmanager holds, with its labels and evidence.
@Suite struct EndToEndPagingTests {
    @Test func aBurstOfFailuresInALogPagesAlertmanager() async throws {
        let binary = try #require(which("prometheus-alertmanager") ?? which("alertmanager"), "installed by scripts/test.sh")
        let dir = try TemporaryDirectory(prefix: "e2e-page")
        defer { dir.remove() }
        try "route: {receiver: \"null\"}\nreceivers: [{name: \"null\"}]\n".write(toFile: dir.file("am.yml"), atomically: true, encoding: .utf8)
        let alertmanager = try ChildProcess(binary, [
            "--config.file=\(dir.file("am.yml"))", "--storage.path=\(dir.file("am-data"))",
            "--web.listen-address=127.0.0.1:0", "--cluster.listen-address=",
        ])
        defer { alertmanager.kill() }
        let listening = try #require(
            await output(of: alertmanager, matching: "msg=\"Listening on\" address=127.0.0.1:[0-9]+", timeout: 30), "\(alertmanager.output)")
        let port = try #require(Int(listening.split(separator: ":").last ?? ""))

        try """
            listen: 127.0.0.1:0
            state: \(dir.file("state.sqlite"))
            sources: [{name: app, paths: ["\(dir.file("*.log"))"], format: native}]
            tailer: {poll_interval: 50ms}
            receivers:
              - {name: am, kind: alertmanager, url: "http://127.0.0.1:\(port)"}
            """.write(toFile: dir.file("config.yaml"), atomically: true, encoding: .utf8)
        let scimwatch = try ChildProcess(scimwatchExecutable(), ["run", "--config", dir.file("config.yaml")])
        defer { scimwatch.kill() }
        #expect(scimwatch.waitForOutput(matching: "serving http", timeout: 30) != nil, "\(scimwatch.output)")

        var lines = ""
        let now = WallClockForTests.milliseconds()
        for i in 0..<200 {
            lines += #"{"time":\#(now + Int64(i)),"tenant":"acme","target":"zoom","operation":"update","status":\#(i % 10 == 0 ? 200 : 401),"correlation_id":"c-\#(i)"}"# + "\n"
        }
        try Files.append(lines, to: dir.file("app.log"))

        var page: JSONValue?
        let held = try await eventuallyAsync(timeout: 30) {
            let answer = try await fetch("http://127.0.0.1:\(port)/api/v2/alerts")
            page = try JSONValue.parse(Array(answer.body.utf8)).arrayValue?.first {
                $0.value(atPath: "labels.alertname")?.stringValue == "SLOBurnRatePage"
                    && $0.value(atPath: "labels.slo")?.stringValue == "scim-requests"
            }
            return page != nil
        }
        #expect(held, "Alertmanager never held the page:\n\(scimwatch.output.suffix(3000))")
        #expect(page?.value(atPath: "labels.severity")?.stringValue == "page")
        #expect(page?.value(atPath: "annotations.top_targets")?.stringValue?.hasPrefix("zoom") == true)
        #expect(page?.value(atPath: "annotations.top_status_codes")?.stringValue?.hasPrefix("401") == true)
    }
}

enum WallClockForTests {
    static func milliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
