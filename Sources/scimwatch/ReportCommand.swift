import ArgumentParser
import Foundation
import ScimApp
import ScimCore

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the weekly SLO report from the state file (no log is read), or for a fleet from Prometheus.",
        discussion: """
            The week is an ISO week; by default the last complete one in the time zone.

            With --prometheus, the report covers every sidecar that Prometheus scrapes: query_range of \
            last_over_time(scim_slo_events_total[1m]) and the same of scim_slo_bad_events_total (each series' last raw \
            value every minute) over the longest SLO period plus a week, in chunks of at most 11,000 points; each \
            series' growth is the difference of its values, summed over the instances (a value that drops is a restart, \
            counted from zero; a series with no value in the 7 days before the range counts from zero). The SLOs come \
            from --config (default: the built-in ones). Counts are by scrape time, not \
            event time. The alerts are Prometheus's own firings of the `scimwatch rules` burn-rate alerts (ALERTS); \
            requests and deprovisions by day come from scim_requests_total and the deprovision latency histogram \
            at one-hour steps; top failing and the list of overdue deprovisions are not in Prometheus and are left \
            empty (the notes say so); the overdue count of the current week is sum(scim_deprovisions_overdue). An unreachable Prometheus or a bad answer exits non-zero with the URL \
            and the reason.
            """)

    @Option(name: .long, help: "ISO week, e.g. 2026-W47 (default: the last complete week).")
    var week: String?

    @Option(name: .long, help: "html, md or json.")
    var format: ReportFormat = .html

    @Option(name: .long, help: "Write the report to this file instead of standard output.")
    var out: String?

    @Option(name: .long, help: "YAML configuration: the SLOs and the state path.")
    var config: String?

    @Option(name: .long, help: "SQLite state file (default: the configuration's).")
    var state: String?

    @Option(name: .long, help: ArgumentHelp("Prometheus base URL, e.g. http://prometheus:9090: a fleet report from its scim_slo_* counters instead of the state file.", valueName: "url"))
    var prometheus: String?

    @Option(name: .long, help: "Time zone of the week and its days, e.g. Europe/Paris.")
    var timeZone: String = "UTC"

    func run() async throws {
        guard let zone = TimeZone(identifier: timeZone) else {
            throw ValidationError("--time-zone \(timeZone) is not a time zone: use a name like Europe/Paris or UTC")
        }
        let report: WeeklyReport
        if let prometheus {
            guard state == nil else { throw ValidationError("--prometheus and --state are two sources of the report: give one") }
            guard let url = URL(string: prometheus), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw ValidationError("--prometheus \(prometheus) is not an http(s) URL: write it like http://prometheus:9090")
            }
            report = try await FleetReportBuilder.weekly(
                configuration: try loadConfiguration(config), prometheus: url, week: week, timeZone: zone)
        } else {
            report = try ReportBuilder.weekly(
                configuration: try loadConfiguration(config), statePath: state, week: week, timeZone: zone)
        }
        let text = report.render(format)
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: Data(text.utf8)) else {
                throw ValidationError("cannot write \(out)")
            }
        } else {
            print(text, terminator: "")
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
