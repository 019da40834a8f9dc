import Foundation
import ScimCore
import ScimTesting
import Testing

/// Backtesting through `replay --alerts-out`, and a page decided by a running `scimwatch run`.
@Suite struct AlertingTests {
    /// Three hours of steady traffic with a 30-minute token expiry (90% 401s on github) in the middle.
    func tokenExpiryLog(at path: String) throws {
        var text = ""
        let start = EventTime.parseRFC3339("2026-11-16T06:00:00Z")!
        for minute in 0..<180 {
            for i in 0..<20 {
                let expired = (60..<90).contains(minute) && i < 18
                let time = EventTime.format(start + Int64(minute) * 60_000 + Int64(i) * 1000)
                text += #"{"time":"\#(time)","tenant":"acme","target":"\#(i % 2 == 0 ? "github" : "slack")","operation":"update","status":\#(expired ? 401 : 200),"id":"e-\#(minute)-\#(i)"}"# + "\n"
            }
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func replayWritesEveryAlertTransitionAsAJSONLine() throws {
        let dir = try TemporaryDirectory(prefix: "alerts")
        defer { dir.remove() }
        try tokenExpiryLog(at: dir.file("expiry.log"))
        let result = try runProcess(scimwatchExecutable(), ["replay", "--alerts-out", dir.file("alerts.jsonl"), dir.file("expiry.log")])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = Files.read(dir.file("alerts.jsonl")).split(separator: "\n")
        let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
        let pages = objects.filter { $0["slo"] as? String == "scim-requests" && $0["severity"] as? String == "page" }
        #expect(pages.map { $0["state"] as? String } == ["firing", "resolved"])
        #expect(pages.first?["alert"] as? String == "SLOBurnRatePage")
        // 90% of one target's half of the traffic is 45% bad (90x the 0.5% budget). Three minutes in, the
        // 6h/30m tier (6x) fires first: its 6h window holds only the 63 minutes seen so far.
        #expect(pages.first?["time"] as? String == "2026-11-16T07:03:00.000Z")
        let rates = pages.first?["burn_rates"] as? [String: Double] ?? [:]
        #expect(Set(rates.keys) == ["6h", "30m"] && rates.values.allSatisfy { $0 > 6 })
        // The condition clears once the 30m window no longer burns at more than 6x, 29 minutes after the
        // expiry ends; the page resolves its keep_firing_for (5m) later.
        #expect(pages.last?["time"] as? String == "2026-11-16T08:04:00.000Z")
        #expect(result.stdout.contains(#"scim_slo_alert_firing{slo="scim-requests",severity="page"} 0"#))
    }

    /// The demo's incidents start in its second minute, with burn rates at their factors; each alert is
    /// sent once, and none resolves within its keep_firing_for (5m) of firing.
    @Test func theDemosFirstMinuteSendsEachAlertOnceWithoutAFlap() throws {
        let dir = try TemporaryDirectory(prefix: "demo-flap")
        defer { dir.remove() }
        let demo = try ChildProcess(scimwatchExecutable(), ["demo", "--listen", "127.0.0.1:0", "--dir", dir.file("demo"), "--for", "150"])
        defer { demo.kill() }
        #expect(demo.waitForExit(timeout: 240) == 0, "\(demo.output)")
        let sent = demo.output.split(separator: "\n").filter { $0.contains("receiver=console") && $0.contains("notification sent") }
        let firings = sent.filter { $0.contains("state=firing") }.compactMap { $0.firstMatch(of: /dedup_key=(\S+)/)?.1 }
        #expect(!firings.isEmpty, "\(demo.output)")
        #expect(Set(firings).count == firings.count, "an alert was sent twice: \(sent)")
        #expect(!sent.contains { $0.contains("state=resolved") }, "\(sent)")
    }

    @Test func aRunningScimwatchPagesOnABurstOfFailures() throws {
        let dir = try TemporaryDirectory(prefix: "page")
        defer { dir.remove() }
        try """
            listen: 127.0.0.1:0
            state: \(dir.file("state.sqlite"))
            sources: [{name: app, paths: ["\(dir.file("*.log"))"], format: native}]
            tailer: {poll_interval: 50ms}
            """.write(toFile: dir.file("config.yaml"), atomically: true, encoding: .utf8)
        let child = try ChildProcess(scimwatchExecutable(), ["run", "--config", dir.file("config.yaml")])
        defer { child.kill() }
        #expect(child.waitForOutput(matching: "serving http", timeout: 30) != nil, "\(child.output)")
        var lines = ""
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        for i in 0..<100 {
            lines += #"{"time":\#(now + Int64(i)),"tenant":"acme","target":"zoom","operation":"update","status":\#(i % 10 == 0 ? 200 : 401),"correlation_id":"c-\#(i)"}"# + "\n"
        }
        try Files.append(lines, to: dir.file("app.log"))
        let paged = child.waitForOutput(matching: #"\[PAGE firing\] SLOBurnRatePage slo=scim-requests.*targets zoom"#, timeout: 30)
        #expect(paged != nil, "\(child.output.suffix(2000))")
    }
}
