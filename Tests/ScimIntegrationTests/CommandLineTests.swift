import Foundation
import ScimApp
import ScimTesting
import Testing

/// The real executable, as users and Prometheus meet it.
@Suite struct CommandLineTests {
    let bin = scimwatchExecutable()

    @Test func replayOutputPassesPromtoolCheckMetrics() throws {
        let dir = try TemporaryDirectory(prefix: "promtool")
        defer { dir.remove() }
        let log = dir.file("generated.log")
        let generated = try runProcess(bin, ["generate", "--lines", "20000", "--out", log])
        #expect(generated.status == 0)
        let replay = try runProcess(bin, ["replay", log])
        #expect(replay.status == 0)
        try replay.stdout.write(toFile: dir.file("metrics.prom"), atomically: true, encoding: .utf8)
        let promtool = try #require(which("promtool"), "promtool is installed by scripts/test.sh")
        // promtool reads the exposition on stdin; a shell pipes the file in.
        let check = try runProcess("/bin/sh", ["-c", "\(promtool) check metrics < \(dir.file("metrics.prom"))"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.isEmpty && check.stderr.isEmpty, "promtool findings: \(check.stdout)\(check.stderr)")
        #expect(replay.stdout.contains("scimwatch_log_lines_total{source=\"replay\"} 20000"))
    }

    @Test func replayReadsEverySampleFormat() throws {
        let cases: [(String, [String], String)] = [
            ("native.jsonl", [], #"scim_requests_total{tenant="tenant-01",target="salesforce",operation="disable",code="429"} 1"#),
            ("okta.jsonl", ["--format", "okta", "--tenant", "acme"], #"tenant="acme""#),
            ("entra-graph.jsonl", ["--format", "entra"], #"scim_requests_total{tenant="tenant-03",target="jira",operation="delete",code="200"} 1"#),
            ("entra-diagnostic.jsonl", ["--format", "entra"], #"scim_requests_total{tenant="tenant-03",target="jira",operation="delete",code="200"} 1"#),
        ]
        for (file, arguments, expected) in cases {
            let result = try runProcess(bin, ["replay"] + arguments + [samplePath(file)])
            #expect(result.status == 0, "\(file): \(result.stderr)")
            #expect(result.stdout.contains(expected), "\(file)")
            #expect(!result.stdout.contains("scimwatch_log_parse_errors_total{"), "\(file) had parse errors")
        }
    }

    @Test func checkConfigNamesEveryBadKeyAndFails() throws {
        let dir = try TemporaryDirectory(prefix: "config")
        defer { dir.remove() }
        let file = dir.file("bad.yaml")
        try """
            listen: nowhere
            colour: blue
            labels:
              tenant_cap: -3
            sources:
              - name: app
                paths: [/var/log/app/*.log]
                format: syslog
              - name: mapped
                paths: [/tmp/x.log]
                format: json
                mapping:
                  time: ts
            duplicates:
              window: forever
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try runProcess(bin, ["check-config", file])
        #expect(result.status != 0)
        for expected in ["listen:", "colour: unknown key", "labels.tenant_cap:", "sources[0].format: unknown format \"syslog\"",
                         "sources[1].mapping.target: required field has no rule", "duplicates.window:"] {
            #expect(result.stdout.contains(expected), "missing \(expected) in:\n\(result.stdout)")
        }
        let run = try runProcess(bin, ["run", "--config", file], timeout: 30)
        #expect(run.status != 0)
        #expect(run.stderr.contains("colour: unknown key"))
    }

    @Test func checkConfigAcceptsAGoodFile() throws {
        let dir = try TemporaryDirectory(prefix: "config")
        defer { dir.remove() }
        let file = dir.file("good.yaml")
        try """
            listen: 127.0.0.1:9999
            state: /tmp/scimwatch-test.sqlite
            sources:
              - name: okta
                paths: [/var/log/okta/*.jsonl]
                format: okta
                tenant: acme
              - name: custom
                paths: [/var/log/custom.log]
                format: json
                tenant: acme
                mapping:
                  time: ts
                  target: {path: app.name}
                  operation: {path: action, map: {deactivate: disable}}
                  status: http.status
            labels: {tenant_cap: 10, target_cap: 20}
            duplicates: {window: 12h, max_ids: 5000}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try runProcess(bin, ["check-config", file])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("source custom: json"))
    }

    @Test func helpAndVersion() throws {
        let help = try runProcess(bin, ["--help"])
        for command in ["run", "replay", "demo", "check-config", "generate"] { #expect(help.stdout.contains(command)) }
        let version = try runProcess(bin, ["--version"])
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }
}

@Suite struct SampleReplayTests {
    func replay(_ file: String, _ arguments: [String] = []) throws -> [String: Double] {
        let result = try runProcess(scimwatchExecutable(), ["replay"] + arguments + [samplePath(file)])
        #expect(result.status == 0, "\(result.stderr)")
        var values: [String: Double] = [:]
        for line in result.stdout.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            values[String(parts[0])] = Double(parts[1])
        }
        return values
    }

    func sum(_ values: [String: Double], _ prefix: String, _ filter: String = "") -> Double {
        values.filter { $0.key.hasPrefix(prefix + "{") && (filter.isEmpty || $0.key.contains(filter)) }.values.reduce(0, +)
    }

    @Test func nativeSampleGivesTheExpectedOperations() throws {
        let v = try replay("native.jsonl")
        // 45 lines: 8 requests; one is an epoch-ms line from 2025, a year before the rest: late, not an operation.
        #expect(v[#"scimwatch_events_late_total{source="replay"}"#] == 1)
        #expect(sum(v, "scim_operations_total", #"result="succeeded""#) == 30)
        #expect(sum(v, "scim_operations_total", #"result="failed""#) == 1)
        #expect(sum(v, "scim_operations_total", #"result="expired""#) == 0)
        #expect(v[#"scim_operations_open{tenant="tenant-00",target="salesforce",class="provision"}"#] == 1)
        #expect(sum(v, "scim_operations_open") == 1)
        #expect(sum(v, "scim_deprovisions_overdue") == 0)
        #expect(sum(v, "scim_operation_latency_seconds_count", #"class="deprovision""#) == 8)
    }

    @Test func aDeprovisionOpenedTwentyMinutesBeforeTheEndIsOverdue() throws {
        let dir = try TemporaryDirectory(prefix: "overdue")
        defer { dir.remove() }
        let file = dir.file("events.jsonl")
        try """
            {"time":"2026-11-16T10:00:00Z","tenant":"acme","target":"github","operation":"delete","phase":"requested","subject":"u1"}
            {"time":"2026-11-16T10:01:00Z","tenant":"acme","target":"github","operation":"delete","status":503,"subject":"u1"}
            {"time":"2026-11-16T10:15:00Z","tenant":"acme","target":"slack","operation":"delete","phase":"requested","subject":"u2"}
            {"time":"2026-11-16T10:20:00Z","tenant":"acme","target":"zoom","operation":"update","status":200}

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try runProcess(scimwatchExecutable(), ["replay", file])
        #expect(result.stdout.contains(#"scim_deprovisions_overdue{tenant="acme",target="github"} 1"#))
        #expect(result.stdout.contains(#"scim_operations_open{tenant="acme",target="slack",class="deprovision"} 1"#))
        #expect(!result.stdout.contains(#"scim_deprovisions_overdue{tenant="acme",target="slack"} 1"#))
        #expect(result.stdout.contains(#"scim_operations_open_oldest_age_seconds{class="deprovision"} 1200"#))
    }
}

@Suite struct MaintenanceConfigurationTests {
    @Test func maintenanceWindowsAreParsedAndValidated() throws {
        let loaded = try ConfigurationLoader.load(yaml: """
            maintenance:
              - {name: vendor, start: 2026-11-20T22:00:00Z, end: 2026-11-21T02:00:00Z, slos: [scim-requests], exclude_from_budget: true}
              - {name: sync, weekly: {day: sunday, start: "02:00", duration: 2h}}
            """)
        #expect(loaded.ingest.maintenance.map(\.name) == ["vendor", "sync"])
        #expect(loaded.ingest.maintenance.first?.excludeFromBudget == true)
        do {
            _ = try ConfigurationLoader.load(yaml: """
                maintenance:
                  - {start: 2026-11-21T02:00:00Z, end: 2026-11-20T22:00:00Z}
                  - {weekly: {day: funday, start: "25:00", duration: 2h}}
                """)
            Issue.record("accepted bad maintenance windows")
        } catch {
            let keys = error.issues.map(\.key)
            #expect(keys.contains("maintenance[0].end"))
            #expect(keys.contains("maintenance[1].weekly.day"))
            #expect(keys.contains("maintenance[1].weekly.start"))
        }
    }
}

@Suite struct EntraDocumentTests {
    /// The portal's download: one JSON array, pretty-printed over many lines.
    @Test func aPrettyPrintedArrayGivesTheSameCountsAsOneRecordPerLine() throws {
        let dir = try TemporaryDirectory(prefix: "entra-doc")
        defer { dir.remove() }
        let records = Files.read(samplePath("entra-graph.jsonl")).split(separator: "\n")
            .map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
        let pretty = try JSONSerialization.data(withJSONObject: records.compactMap { $0 }, options: [.prettyPrinted, .sortedKeys])
        try pretty.write(to: URL(fileURLWithPath: dir.file("download.json")))
        #expect(String(decoding: pretty, as: UTF8.self).split(separator: "\n").count > 100)
        let perLine = try runProcess(scimwatchExecutable(), ["replay", "--format", "entra", samplePath("entra-graph.jsonl")])
        let document = try runProcess(scimwatchExecutable(), ["replay", "--format", "entra", dir.file("download.json")])
        func requests(_ text: String) -> [String] { text.split(separator: "\n").filter { $0.hasPrefix("scim_requests_total{") }.map(String.init) }
        #expect(!requests(perLine.stdout).isEmpty)
        #expect(requests(document.stdout) == requests(perLine.stdout))
        #expect(!document.stdout.contains("scimwatch_log_parse_errors_total{"))

        // A download cut short is one invalid document, not a silence.
        let cut = String(decoding: pretty.prefix(pretty.count / 2), as: UTF8.self)
        try cut.write(toFile: dir.file("cut.json"), atomically: true, encoding: .utf8)
        let truncated = try runProcess(scimwatchExecutable(), ["replay", "--format", "entra", dir.file("cut.json")])
        #expect(truncated.stdout.contains(#"scimwatch_log_parse_errors_total{source="replay",reason="invalid_json"} 1"#))
    }
}
