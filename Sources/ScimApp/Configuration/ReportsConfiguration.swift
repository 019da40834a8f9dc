import Foundation
import ScimCore
import ScimNotifiers

/// `reports:`: the weekly report delivered on a schedule (slo.md, "delivered on a schedule").
public struct ReportsConfiguration: Sendable {
    /// `schedule: {weekday, time, time_zone}`: when, and the zone of the weeks and days (default Monday
    /// 08:00 UTC).
    public var schedule: ReportSchedule
    /// `formats`: the files a directory receiver writes (default html, md and json).
    public var formats: [ReportFormat]
    /// `deliver`: where each report goes.
    public var receivers: [ReportReceiver]

    public init(schedule: ReportSchedule = ReportSchedule(), formats: [ReportFormat] = ReportFormat.allCases,
                receivers: [ReportReceiver] = []) {
        self.schedule = schedule
        self.formats = formats
        self.receivers = receivers
    }

    /// One line for `check-config`, without secrets.
    public var scheduleText: String {
        let day = ConfigurationLoader.weekdays[max(1, min(7, schedule.weekday)) - 1]
        return "\(day) " + String(format: "%02d:%02d", schedule.hour, schedule.minute) + " \(ReportWeek.name(of: schedule.timeZone))"
            + ", formats \(formats.map(\.rawValue).joined(separator: " "))"
    }
}

/// One place a scheduled report goes (`reports.deliver[]`).
public struct ReportReceiver: Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Writes `scimwatch-report-2026-W47.<format>` for each format into this directory.
        case directory(String)
        /// A Slack incoming webhook: `{"text": <the Markdown summary>}`.
        case slack(URL)
        /// A JSON webhook: the week, its span, its time zone and the Markdown summary.
        case webhook(URL)
    }

    /// `name`: unique, the `receiver` label (default `<kind>-<index>`). Its last delivered week is stored
    /// under this name.
    public var name: String
    public var kind: Kind
    /// `headers` (webhook): values resolved from text, `{env: NAME}` or `{file: PATH}`.
    public var headers: [SenderHeader]
    /// `timeout`: the longest one HTTP attempt may take (default 10s).
    public var timeout: Duration

    public init(name: String, kind: Kind, headers: [SenderHeader] = [], timeout: Duration = .seconds(10)) {
        self.name = name
        self.kind = kind
        self.headers = headers
        self.timeout = timeout
    }

    /// Where it POSTs, nil for a directory.
    public var url: URL? {
        switch kind {
        case .directory: nil
        case .slack(let url), .webhook(let url): url
        }
    }

    /// One line for `check-config` and logs: scheme and host only (webhook URLs hold tokens).
    public var description: String {
        switch kind {
        case .directory(let path):
            return "\(name): directory \(path)"
        case .slack(let url), .webhook(let url):
            let display = ReceiverConfiguration(receiver: Receiver(name: name, kind: .webhook), url: url).displayURL
            var line = "\(name): \(kind == .slack(url) ? "slack" : "webhook") \(display), timeout \(PollerConfiguration.text(timeout))"
            if !headers.isEmpty { line += ", headers \(headers.map(\.name).joined(separator: " "))" }
            return line
        }
    }
}
