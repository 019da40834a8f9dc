import Foundation
import ScimApp
import ScimCore
import ScimTesting
import Testing

/// `reports:` in the configuration file: the schedule, formats and receivers, and every problem with
/// its key (no secret quoted).
@Suite struct ReportsConfigurationTests {
    let environment = ["SLACK_REPORT_URL": "https://hooks.slack.com/services/T1/B2/report-secret", "HOOK_TOKEN": "hook-secret"]

    @Test func aFullSectionLoads() throws {
        let configuration = try ConfigurationLoader.load(yaml: """
            reports:
              schedule: {weekday: tuesday, time: "07:30", time_zone: Europe/Paris}
              formats: [md, json]
              deliver:
                - {directory: /var/lib/scimwatch/reports}
                - {slack: {url: {env: SLACK_REPORT_URL}}}
                - name: managers
                  webhook: {url: "https://hooks.internal/reports", headers: {Authorization: {env: HOOK_TOKEN, prefix: "Bearer "}}, timeout: 5s}
            """, environment: environment)
        let reports = try #require(configuration.reports)
        #expect(reports.schedule == ReportSchedule(weekday: 2, hour: 7, minute: 30, timeZone: TimeZone(identifier: "Europe/Paris")!))
        #expect(reports.formats == [.md, .json])
        #expect(reports.receivers.map(\.name) == ["directory-0", "slack-1", "managers"])
        #expect(reports.receivers[0].kind == .directory("/var/lib/scimwatch/reports"))
        #expect(reports.receivers[1].kind == .slack(URL(string: environment["SLACK_REPORT_URL"]!)!))
        #expect(reports.receivers[2].headers.map(\.value) == ["Bearer hook-secret"] && reports.receivers[2].timeout == .seconds(5))
        #expect(reports.scheduleText == "tuesday 07:30 Europe/Paris, formats md json")
        // check-config lines show scheme and host only.
        #expect(reports.receivers[1].description == "slack-1: slack https://hooks.slack.com/..., timeout 10s")
        #expect(!reports.receivers.map(\.description).joined().contains("secret"))
        // Defaults: Monday 08:00 UTC, every format; no section = no scheduled delivery.
        let minimal = try ConfigurationLoader.load(yaml: "reports: {deliver: [{directory: /tmp/r}]}").reports
        #expect(minimal?.schedule == ReportSchedule() && minimal?.formats == [.html, .md, .json])
        #expect(try ConfigurationLoader.load(yaml: "listen: 127.0.0.1:0").reports == nil)
    }

    @Test func everyProblemNamesItsKey() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(yaml: """
                reports:
                  schedule: {weekday: someday, time: "8am", time_zone: Mars/Olympus, at: 1}
                  formats: [pdf]
                  deliver:
                    - {directory: ""}
                    - {slack: {url: {env: MISSING_URL}}}
                    - {webhook: {url: "ftp://hooks.internal/x?token=t0ken"}, directory: /tmp/x}
                    - {email: boss@example.com}
                    - {slack: {}}
                    - {name: twice, directory: /tmp/a}
                    - {name: twice, directory: /tmp/b}
                  extra: 1
                """, environment: environment)
        }
        let issues = try #require(error).issues
        let keys = Set(issues.map(\.key))
        for key in ["reports.schedule.weekday", "reports.schedule.time", "reports.schedule.time_zone", "reports.schedule.at",
                    "reports.formats[0]", "reports.deliver[0].directory", "reports.deliver[1].slack.url.env",
                    "reports.deliver[2]", "reports.deliver[2].webhook.url", "reports.deliver[3].email", "reports.deliver[3]",
                    "reports.deliver[4].slack.url", "reports.deliver[6].name", "reports.extra"] {
            #expect(keys.contains(key), "\(key) missing from \(issues)")
        }
        #expect(issues.first { $0.key == "reports.schedule.time_zone" }?.reason.contains("Mars/Olympus") == true)
        #expect(issues.first { $0.key == "reports.schedule.time" }?.reason.contains("HH:MM") == true)
        #expect(issues.first { $0.key == "reports.deliver[2]" }?.reason.contains("webhook and directory") == true)
        #expect(!issues.map(\.description).joined().contains("t0ken"))
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(yaml: "reports: {formats: [html]}") }
    }
}
