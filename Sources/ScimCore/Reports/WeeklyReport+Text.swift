import Foundation

/// The output formats of the weekly report.
public enum ReportFormat: String, Sendable, CaseIterable {
    case html, md, json

    /// The HTTP content type.
    public var contentType: String {
        switch self {
        case .html: "text/html; charset=utf-8"
        case .md: "text/markdown; charset=utf-8"
        case .json: "application/json"
        }
    }
}

extension WeeklyReport {
    /// The report in `format`.
    public func render(_ format: ReportFormat) -> String {
        switch format {
        case .html: html()
        case .md: markdown()
        case .json: json()
        }
    }

    /// Pretty JSON with sorted keys: the documented, stable shape. A value without data (an SLI of a week
    /// without events, an alert still firing's end) is left out rather than shown as 0 or 100%.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self), let text = String(data: data, encoding: .utf8) else { return "{}\n" }
        return text + "\n"
    }

    /// A Markdown summary: a table of SLOs, then alerts, top failing sources, overdue deprovisions and notes.
    public func markdown() -> String {
        var out = "# SLO report \(week)\n\n"
        out += "\(start) to \(end) (\(timeZone)), as of \(asOf).\n\n"
        out += "| SLO | objective | week | period | budget left | failures allowed | status | change |\n"
        out += "|---|---|---|---|---|---|---|---|\n"
        for s in slos {
            out += "| \(s.name) | \(Self.percent(s.objective)) | \(Self.percent(s.week.sli)) | \(Self.percent(s.period.sli))"
            out += " | \(Self.percent(s.budgetLeft)) | \(s.failuresAllowed.map(String.init) ?? "-") | \(s.status) | \(Self.points(s.change)) |\n"
        }
        out += "\n## Maintenance windows\n\n"
        if maintenance.isEmpty { out += "None this week.\n" }
        for m in maintenance {
            out += "- \(m.name): \(m.start) to \(m.end); holds the alerts of \(m.slos.joined(separator: ", "))"
            out += m.symptomAlerts ? " and the symptom alerts" : ""
            out += "; events \(m.excludedFromBudget ? "excluded from" : "counted in") the budget; days \(m.dates.joined(separator: ", "))\n"
        }
        for s in slos {
            out += "\n## \(s.name)\n\n\(s.week.events) events, \(s.week.bad) bad this week"
            out += s.week.events == 0 ? " (no data).\n\n" : ".\n\n"
            out += "| day | events | bad | SLI | budget left | maintenance |\n|---|---|---|---|---|---|\n"
            for d in s.days {
                out += "| \(d.date) | \(d.events) | \(d.bad) | \(Self.percent(d.sli)) | \(Self.percent(d.budgetLeft))"
                out += " | \(d.maintenance?.joined(separator: ", ") ?? "") |\n"
            }
        }
        out += "\n## Requests and deprovisions by day\n\n"
        out += "| day | attempts | 401/403 | 429 | deprovisions | p50 | p95 | p99 |\n|---|---|---|---|---|---|---|---|\n"
        for a in activity {
            out += "| \(a.date) | \(a.attempts) | \(Self.percent(a.authFailureShare)) | \(Self.percent(a.rateLimitedShare))"
            out += " | \(a.deprovisions) | \(Self.seconds(a.latencyP50)) | \(Self.seconds(a.latencyP95)) | \(Self.seconds(a.latencyP99)) |\n"
        }
        out += "\nLatencies are upper bounds of \(latencyBuckets).\n"
        out += "\n## Queue backlog and drift by day\n\n"
        out += queues.isEmpty ? "No queue reading this week.\n" : Self.markdownTable(Self.queueColumns, queueRows)
        out += "\n"
        if drift.isEmpty {
            out += "No reconciler run reported drift this week.\n"
        } else {
            out += Self.markdownTable(Self.driftColumns, driftRows)
            out += "\nDrift = missing + orphaned + mismatched records of the runs that finished that day.\n"
        }
        out += "\n## Alerts\n\n"
        if alerts.isEmpty { out += "No SLO alert fired this week.\n" }
        for a in alerts {
            out += "- \(a.severity) \(a.alert) \(a.slo ?? ""): \(a.start) to \(a.end ?? "still firing"), budget spent \(Self.percent(a.budgetSpent))\n"
        }
        out += "\n## Top failing\n\nFrom \(topFailing.basis).\n\n"
        for (title, list) in [("Targets", topFailing.targets), ("Tenants", topFailing.tenants), ("Status codes", topFailing.statusCodes)] {
            out += "- \(title): " + (list.isEmpty ? "none" : list.map { "\($0.value) (\($0.bad))" }.joined(separator: ", ")) + "\n"
        }
        out += "\n## Overdue deprovisions\n\n"
        if let n = overdueDeprovisions.count {
            out += "\(n) overdue" + (overdueDeprovisions.oldest.isEmpty ? ".\n" : ": " + overdueDeprovisions.oldest.joined(separator: ", ") + ".\n")
        } else {
            out += "Unknown: \(overdueDeprovisions.reason ?? "not recorded").\n"
        }
        if !notes.isEmpty { out += "\n## Notes\n\n" + notes.map { "- \($0)\n" }.joined() }
        return out
    }

    /// `99.95%`, or `no data`.
    static func percent(_ x: Double?) -> String {
        guard let x else { return "no data" }
        return String(format: "%.2f%%", x * 100)
    }

    /// `≤ 38s`, `≤ 12.4m`, `≤ 1.5h`, or `-`: a latency bucket's upper bound.
    static func seconds(_ x: Double?) -> String {
        guard let x else { return "-" }
        if x < 60 { return String(format: "≤ %.0fs", x) }
        if x < 3600 { return String(format: "≤ %.1fm", x / 60) }
        return String(format: "≤ %.1fh", x / 3600)
    }

    /// A Markdown table; a `|` in a cell (a queue or target name) is escaped so that it stays one cell.
    static func markdownTable(_ columns: [String], _ rows: [[String]]) -> String {
        var out = "| " + columns.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: columns.count) + "\n"
        for row in rows { out += "| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
        return out
    }

    /// The queue backlog table of HTML and Markdown: its columns, then a row per queue and day.
    static let queueColumns = ["day", "queue", "readings", "largest depth", "last depth", "largest dead letters", "last dead letters"]
    var queueRows: [[String]] {
        queues.flatMap { q in
            q.days.map { d in
                [d.date, q.queue, String(d.readings), Self.amount(d.maxDepth), Self.amount(d.lastDepth),
                 Self.amount(d.maxDeadLetters), Self.amount(d.lastDeadLetters)]
            }
        }
    }

    /// The reconciler drift table of HTML and Markdown: its columns, then a row per target and day.
    static let driftColumns = ["day", "target", "largest drift", "last drift"]
    var driftRows: [[String]] {
        drift.flatMap { t in t.days.map { d in [d.date, t.target, Self.amount(d.maxDrift), Self.amount(d.lastDrift)] } }
    }

    /// `12`, `3.50`, or `no data`: a polled count.
    static func amount(_ x: Double?) -> String {
        guard let x else { return "no data" }
        return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(format: "%.2f", x)
    }

    /// `+0.12 pt` (percentage points), or `-`.
    static func points(_ x: Double?) -> String {
        guard let x else { return "-" }
        return String(format: "%+.2f pt", x * 100)
    }
}
