import ArgumentParser
import Foundation
import ScimApp
import ScimCore

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the weekly SLO report from the state file (no log is read).",
        discussion: "The week is an ISO week; by default the last complete one in the time zone.")

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

    @Option(name: .long, help: "Time zone of the week and its days, e.g. Europe/Paris.")
    var timeZone: String = "UTC"

    func run() async throws {
        guard let zone = TimeZone(identifier: timeZone) else {
            throw ValidationError("--time-zone \(timeZone) is not a time zone: use a name like Europe/Paris or UTC")
        }
        let report = try ReportBuilder.weekly(
            configuration: try loadConfiguration(config), statePath: state, week: week, timeZone: zone)
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
