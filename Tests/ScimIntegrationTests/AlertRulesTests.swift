import Foundation
import ScimTesting
import Testing

/// Alerts/: the committed rules are what `scimwatch rules` prints, and Prometheus' and Alertmanager's
/// own tools accept them and prove what fires.
@Suite struct AlertRulesTests {
    let bin = scimwatchExecutable()
    let alerts = packageRoot() + "/Alerts"

    func tool(_ name: String, _ package: String) throws -> String {
        try #require(which(name), "\(name) is installed by scripts/test.sh (Debian package \(package))")
    }

    @Test func committedRulesAreWhatTheCommandPrints() throws {
        let printed = try runProcess(bin, ["rules"])
        #expect(printed.status == 0, "\(printed.stderr)")
        let committed = try String(contentsOfFile: alerts + "/scimwatch-rules.yml", encoding: .utf8)
        #expect(printed.stdout == committed, "Alerts/scimwatch-rules.yml is stale: run scripts/generate-alerts.sh")
    }

    @Test func promtoolChecksTheCommittedRules() throws {
        let check = try runProcess(try tool("promtool", "prometheus"), ["check", "rules", alerts + "/scimwatch-rules.yml"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("SUCCESS"), "\(check.stdout)")
    }

    @Test func promtoolUnitTestsProveWhatFires() throws {
        let tests = try FileManager.default.contentsOfDirectory(atPath: alerts + "/tests").filter { $0.hasSuffix(".yml") }.sorted()
        #expect(tests.count >= 2)
        let run = try runProcess(try tool("promtool", "prometheus"), ["test", "rules"] + tests.map { alerts + "/tests/" + $0 })
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    }

    @Test func amtoolAcceptsTheExampleAlertmanagerConfiguration() throws {
        let check = try runProcess(try tool("amtool", "prometheus-alertmanager"), ["check-config", alerts + "/alertmanager.yml"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("1 inhibit rules"), "\(check.stdout)")
    }

    @Test func rulesFromAConfigurationPassPromtool() throws {
        let dir = try TemporaryDirectory(prefix: "rules")
        defer { dir.remove() }
        let config = dir.file("scimwatch.yaml")
        try """
            period: 28d
            slos:
              - name: github-provision
                sli: {kind: operation_success, classes: [provision]}
                objective: 0.99
                targets: [github]
                tiers: {page_fast: false}
              - name: bulk
                sli: {kind: bulk_success}
                objective: 0.9
                min_events: 0
                tiers: [{severity: page, long: 2h, short: 10m, factor: 8}]
            symptoms:
              rate_limited: false
              reconciler_stale: {interval: 6h, intervals: {github: 30m}}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let printed = try runProcess(bin, ["rules", "--config", config])
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stdout.contains("- name: scimwatch-slo-github-provision\n"))
        #expect(!printed.stdout.contains("provision-success") && !printed.stdout.contains("alert: RateLimited"))
        let rules = dir.file("rules.yml")
        try printed.stdout.write(toFile: rules, atomically: true, encoding: .utf8)
        let check = try runProcess(try tool("promtool", "prometheus"), ["check", "rules", rules])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

        let listed = try runProcess(bin, ["check-config", config])
        #expect(listed.status == 0, "\(listed.stdout)")
        #expect(listed.stdout.contains("  slo github-provision: operation_success of provision, objective 99% over 28d, targets github; page 6h/30m x5.6; ticket 1d/2h x2.8, 3d/6h x0.933333; at least 10 events and 2 bad events"), "\(listed.stdout)")
        #expect(listed.stdout.contains("  slo bulk: bulk_success, objective 90% over 28d; page 2h/10m x8; at least 0 events and 2 bad events"), "\(listed.stdout)")
        #expect(listed.stdout.contains("rate_limited off"), "\(listed.stdout)")
    }

    @Test func aBadSLOConfigurationPrintsNoRules() throws {
        let dir = try TemporaryDirectory(prefix: "rules")
        defer { dir.remove() }
        let config = dir.file("bad.yaml")
        try """
            slos:
              - {name: x, sli: {kind: operation_success, classes: [provison]}, objective: 99.9}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let printed = try runProcess(bin, ["rules", "--config", config])
        #expect(printed.status != 0)
        #expect(printed.stdout.isEmpty)
        #expect(printed.stderr.contains("slos[0].sli.classes[0]: unknown class \"provison\""), "\(printed.stderr)")
        #expect(printed.stderr.contains("slos[0].objective: must be a number between 0 and 1"), "\(printed.stderr)")
        let checked = try runProcess(bin, ["check-config", config])
        #expect(checked.status != 0)
        #expect(checked.stdout.contains("slos[0].sli.classes[0]: unknown class \"provison\""), "\(checked.stdout)")
    }
}
