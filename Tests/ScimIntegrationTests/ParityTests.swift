import Foundation
import ScimCore
import ScimTesting
import Testing

/// The embedded evaluator and Prometheus evaluating `Alerts/` fire and resolve the same alerts at the
/// same minutes (within one evaluation interval) on the same incident: a token expiry in a steady day.
@Suite struct ParityTests {
    let minutes = 240
    let perMinute = 20

    /// Bad events per minute: 90% of one target (half the traffic) fails with 401 for 30 minutes.
    func bad(_ minute: Int) -> Int { (60..<90).contains(minute) ? 9 : 0 }

    @Test func prometheusFiresAndResolvesTheSameAlertsAtTheSameMinutes() throws {
        let dir = try TemporaryDirectory(prefix: "parity")
        defer { dir.remove() }
        // 1. The embedded evaluator, through replay.
        let start = EventTime.parseRFC3339("2026-11-16T06:00:00Z")!
        var log = ""
        for minute in 0..<minutes {
            for i in 0..<perMinute {
                let time = EventTime.format(start + Int64(minute) * 60_000 + Int64(i) * 2_000)
                let status = i < 2 * bad(minute) && i % 2 == 0 ? 401 : 200
                log += #"{"time":"\#(time)","tenant":"acme","target":"\#(i % 2 == 0 ? "github" : "slack")","operation":"update","status":\#(status)}"# + "\n"
            }
        }
        try log.write(toFile: dir.file("day.log"), atomically: true, encoding: .utf8)
        let replay = try runProcess(scimwatchExecutable(), ["replay", "--alerts-out", dir.file("alerts.jsonl"), dir.file("day.log")])
        #expect(replay.status == 0, "\(replay.stderr)")
        let transitions = try Files.read(dir.file("alerts.jsonl")).split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["slo"] as? String == "scim-requests" }
        let page = transitions.filter { $0["severity"] as? String == "page" }
        #expect(page.map { $0["state"] as? String } == ["firing", "resolved"], "\(transitions)")

        // 2. The same per-minute counters as Prometheus would scrape them, and promtool expectations
        //    one interval either side of each transition the embedded evaluator decided.
        var events = [0]
        var bads = [0]
        for minute in 0..<minutes {
            events.append(events.last! + perMinute)
            bads.append(bads.last! + bad(minute))
        }
        func minuteOf(_ t: [String: Any]) -> Int {
            Int((EventTime.parseRFC3339(t["time"] as! String)! - start) / 60_000)
        }
        var checks = ""
        for t in transitions {
            let m = minuteOf(t)
            let alert = t["alert"] as! String
            let severity = t["severity"] as! String
            let firing = t["state"] as? String == "firing"
            let present = "\n        exp_alerts:\n          - exp_labels: {slo: scim-requests, severity: \(severity)}"
            let absent = "\n        exp_alerts: []"
            checks += "      - eval_time: \(m - 2)m\n        alertname: \(alert)\(firing ? absent : present)\n"
            checks += "      - eval_time: \(m + 1)m\n        alertname: \(alert)\(firing ? present : absent)\n"
        }
        let test = """
            rule_files:
              - rules.yml
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: 'scim_slo_events_total{slo="scim-requests",instance="a",job="scimwatch"}'
                    values: '\(events.map(String.init).joined(separator: " "))'
                  - series: 'scim_slo_bad_events_total{slo="scim-requests",instance="a",job="scimwatch"}'
                    values: '\(bads.map(String.init).joined(separator: " "))'
                alert_rule_test:
            \(checks)
            """
        try test.write(toFile: dir.file("parity.yml"), atomically: true, encoding: .utf8)
        // The committed rules, without their annotations (promtool would compare them too).
        try Self.withoutAnnotations(Files.read(packageRoot() + "/Alerts/scimwatch-rules.yml"))
            .write(toFile: dir.file("rules.yml"), atomically: true, encoding: .utf8)
        let promtool = try #require(which("promtool"))
        let result = try runProcess(promtool, ["test", "rules", dir.file("parity.yml")])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    static func withoutAnnotations(_ rules: String) -> String {
        var out: [Substring] = []
        var skipDeeperThan: Int?
        for line in rules.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = line.prefix { $0 == " " }.count
            if let depth = skipDeeperThan, indent > depth { continue }
            skipDeeperThan = nil
            if line.trimmingCharacters(in: .whitespaces) == "annotations:" {
                skipDeeperThan = indent
                continue
            }
            out.append(line)
        }
        return out.joined(separator: "\n")
    }
}
