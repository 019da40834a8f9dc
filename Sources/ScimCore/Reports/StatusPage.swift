import Foundation

/// The status page `GET /`: every SLO with its budget bar and state, the alerts firing, the sources and
/// pollers with their health, the overdue deprovisions. Plain HTML from one snapshot; it refreshes
/// itself every 15 seconds with a meta tag, so it needs no script.
public enum StatusPage {
    /// A source whose lag passes this many bytes is shown as behind.
    public static let lagWarningBytes: Int64 = 8 << 20

    /// The page for `snapshot`, with ages relative to `now` (epoch ms).
    public static func html(_ snapshot: MetricsSnapshot, now: Int64) -> String {
        let e = snapshot.engine
        var b = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"15\">"
        b += "<title>scimwatch status</title><style>\(css)</style></head><body>"
        b += "<h1>scimwatch</h1><p class=\"sub\">version \(HTML.escape(snapshot.version)), as of \(ReportWeek.timestamp(now)); "
        b += "<a href=\"/reports/weekly\">weekly report</a> · <a href=\"/metrics\">metrics</a></p>"
        b += "<h2>SLOs</h2><table><thead><tr><th>SLO</th><th>objective</th><th>SLI over the period</th><th>error budget left</th><th>state</th></tr></thead><tbody>"
        for s in e.slos {
            let period = s.windows.last
            let left = period.map { $0.total } == 0 ? nil : s.budgetRemaining
            let state = s.firing.contains(.page) ? "paging" : s.firing.isEmpty ? (left == nil ? "no data" : "ok") : "ticket"
            b += "<tr><td>\(HTML.escape(s.name))</td><td>\(WeeklyReport.percent(s.objective))</td>"
            b += "<td>\(WeeklyReport.percent(period.flatMap { $0.sli.isNaN ? nil : $0.sli }))</td>"
            b += "<td>\(bar(left))</td><td><span class=\"st \(state.replacingOccurrences(of: " ", with: "-"))\">\(state)</span></td></tr>"
        }
        b += "</tbody></table><h2>Alerts firing</h2>"
        b += e.firingAlerts.isEmpty ? "<p>None.</p>" : "<ul>" + e.firingAlerts.map {
            "<li>\(HTML.escape($0.key)) since \(ReportWeek.timestamp($0.since))</li>"
        }.joined() + "</ul>"
        b += "<h2>Sources</h2><table><thead><tr><th>source</th><th>files</th><th>lag</th><th>parse errors</th><th>events</th><th>health</th></tr></thead><tbody>"
        for (i, name) in e.sourceNames.enumerated() {
            let stats = i < e.sources.count ? e.sources[i] : SourceStats()
            let lag = i < snapshot.lagBytes.count ? snapshot.lagBytes[i] : 0
            let files = i < snapshot.openFiles.count ? snapshot.openFiles[i] : 0
            let health = files == 0 ? "no files" : lag > lagWarningBytes ? "behind" : "ok"
            b += "<tr><td>\(HTML.escape(name))</td><td>\(files)</td><td>\(lag) B</td><td>\(stats.parseErrorTotal)</td>"
            b += "<td>\(stats.events)</td><td><span class=\"st \(health == "ok" ? "ok" : "warn")\">\(health)</span></td></tr>"
        }
        b += "</tbody></table><h2>Pollers</h2>"
        let pollers = snapshot.polls.endpoints.sorted { $0.key < $1.key }
        if pollers.isEmpty {
            b += "<p>No poller configured.</p>"
        } else {
            b += "<table><thead><tr><th>poller</th><th>state</th><th>last reading</th><th>last failure</th></tr></thead><tbody>"
            for (name, p) in pollers {
                b += "<tr><td>\(HTML.escape(name))</td><td><span class=\"st \(p.up ? "ok" : "down")\">\(p.up ? "up" : "down")</span></td>"
                b += "<td>\(p.readAt.map(ReportWeek.timestamp) ?? "never")</td><td>\(HTML.escape(p.lastFailure?.description ?? ""))</td></tr>"
            }
            b += "</tbody></table>"
        }
        b += "<h2>Overdue deprovisions</h2>"
        if e.overdue.isEmpty {
            b += "<p>None.</p>"
        } else {
            b += "<table><thead><tr><th>target</th><th>tenant</th><th>subject</th><th>open since</th></tr></thead><tbody>"
            for op in e.overdue.prefix(50) {
                b += "<tr><td>\(HTML.escape(e.labels.targets.values[safe: Int(op.target)] ?? "?"))</td>"
                b += "<td>\(HTML.escape(e.labels.tenants.values[safe: Int(op.tenant)] ?? "?"))</td>"
                b += "<td>\(HTML.escape(op.subject))</td><td>\(ReportWeek.timestamp(op.openedAt))</td></tr>"
            }
            b += "</tbody></table>" + (e.overdue.count > 50 ? "<p>\(e.overdue.count - 50) more.</p>" : "")
        }
        return b + "</body></html>\n"
    }

    /// A bar for the budget left: full = untouched, empty (and red) = spent or overspent.
    static func bar(_ left: Double?) -> String {
        guard let left else { return "no data" }
        let width = Int((min(max(left, 0), 1) * 100).rounded())
        let tone = left < 0 ? "down" : left < WeeklyReport.atRiskBelow ? "warn" : "ok"
        return "<span class=\"bar\"><span class=\"fill \(tone)\" style=\"width:\(width)%\"></span></span> \(WeeklyReport.percent(left))"
    }

    static let css = """
        body{font-family:system-ui,sans-serif;color:#1b1f24;margin:24px auto;max-width:1000px;padding:0 16px}
        h1{margin:0;font-size:24px}h2{font-size:18px;margin:20px 0 6px}.sub{color:#57606a}
        table{border-collapse:collapse;font-size:14px}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left}
        thead th{background:#f6f8fa}.st{border-radius:10px;padding:1px 8px;color:#fff;background:#57606a;font-size:13px}
        .st.ok{background:#1a7f37}.st.warn,.st.ticket{background:#9a6700}.st.down,.st.paging{background:#cf222e}
        .bar{display:inline-block;width:160px;height:10px;background:#eaeef2;border-radius:5px;vertical-align:middle}
        .fill{display:block;height:10px;border-radius:5px}.fill.ok{background:#1a7f37}.fill.warn{background:#9a6700}
        .fill.down{background:#cf222e}
        """
}
