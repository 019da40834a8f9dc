import Foundation

extension WeeklyReport {
    /// A self-contained page: inline CSS (with print rules), inline SVG charts each followed by its data
    /// as a table, no script. What a manager opens or prints.
    public func html() -> String {
        var b = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        b += "<title>SLO report \(week)</title><style>\(Self.css)</style></head><body>"
        b += "<h1>SLO report \(week)</h1><p class=\"sub\">\(start) to \(end) (\(HTML.escape(timeZone))), as of \(asOf)</p>"
        b += "<table><thead><tr><th>SLO</th><th>objective</th><th>week</th><th>period</th><th>budget left</th>"
        b += "<th>failures allowed</th><th>status</th><th>change</th></tr></thead><tbody>"
        for s in slos {
            b += "<tr><td>\(HTML.escape(s.name))</td><td>\(Self.percent(s.objective))</td><td>\(Self.percent(s.week.sli))</td>"
            b += "<td>\(Self.percent(s.period.sli))</td><td>\(Self.percent(s.budgetLeft))</td>"
            b += "<td>\(s.failuresAllowed.map(String.init) ?? "-")</td>"
            b += "<td><span class=\"st \(s.status.replacingOccurrences(of: " ", with: "-"))\">\(s.status)</span></td>"
            b += "<td>\(Self.points(s.change))</td></tr>"
        }
        b += "</tbody></table>"
        b += maintenanceSection()
        for s in slos { b += section(s) }
        b += activitySection()
        b += pollSection()
        b += "<section><h2>Alerts</h2>"
        if alerts.isEmpty {
            b += "<p>No SLO alert fired this week.</p>"
        } else {
            b += "<table><thead><tr><th>severity</th><th>alert</th><th>SLO</th><th>start</th><th>end</th><th>budget spent</th></tr></thead><tbody>"
            for a in alerts {
                b += "<tr><td>\(a.severity)</td><td>\(HTML.escape(a.alert))</td><td>\(HTML.escape(a.slo ?? ""))</td>"
                b += "<td>\(a.start)</td><td>\(a.end ?? "still firing")</td><td>\(Self.percent(a.budgetSpent))</td></tr>"
            }
            b += "</tbody></table>"
        }
        b += "</section><section><h2>Top failing</h2><p class=\"sub\">From \(HTML.escape(topFailing.basis)).</p><div class=\"cols\">"
        for (title, list) in [("Targets", topFailing.targets), ("Tenants", topFailing.tenants), ("Status codes", topFailing.statusCodes)] {
            b += "<table><thead><tr><th>\(title)</th><th>bad</th></tr></thead><tbody>"
            b += list.isEmpty ? "<tr><td colspan=\"2\">none</td></tr>" : list.map { "<tr><td>\(HTML.escape($0.value))</td><td>\($0.bad)</td></tr>" }.joined()
            b += "</tbody></table>"
        }
        b += "</div></section><section><h2>Overdue deprovisions</h2>"
        if let n = overdueDeprovisions.count {
            b += "<p>\(n) overdue.</p>"
            if !overdueDeprovisions.oldest.isEmpty {
                b += "<ul>" + overdueDeprovisions.oldest.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>"
            }
        } else {
            b += "<p>Unknown: \(HTML.escape(overdueDeprovisions.reason ?? "not recorded")).</p>"
        }
        b += "</section>"
        if !notes.isEmpty { b += "<section><h2>Notes</h2><ul>" + notes.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul></section>" }
        return b + "</body></html>\n"
    }

    /// One SLO: its daily SLI and its budget burn-down, each chart followed by its table.
    func section(_ s: SLO) -> String {
        let days = s.days.map { String($0.date.suffix(5)) }
        let lowest = s.days.compactMap(\.sli).min() ?? s.objective
        let floor = max(0, min(lowest, s.objective) - s.objective.distance(to: 1))
        let sli = SVGChart(title: "\(s.name): daily SLI", labels: days, values: s.days.map(\.sli), yMin: floor, yMax: 1,
                           reference: (s.objective, "objective \(Self.percent(s.objective))"), format: { Self.percent($0) },
                           marked: s.days.map { $0.maintenance != nil })
        let budgets = s.days.compactMap(\.budgetLeft)
        let burn = SVGChart(title: "\(s.name): budget left at the end of each day", labels: days, values: s.days.map(\.budgetLeft),
                            yMin: min(0, budgets.min() ?? 0), yMax: 1, reference: nil, format: { Self.percent($0) },
                            marked: s.days.map { $0.maintenance != nil })
        var b = "<section class=\"slo\"><h2>\(HTML.escape(s.name)) <span class=\"st \(s.status.replacingOccurrences(of: " ", with: "-"))\">\(s.status)</span></h2>"
        b += "<p>\(s.week.events) events, \(s.week.bad) bad this week\(s.week.events == 0 ? ": no data, not 100%" : "").</p>"
        b += "<div class=\"cols\"><figure>\(sli.svg())</figure><figure>\(burn.svg())</figure></div>"
        b += "<table class=\"fallback\"><caption>\(HTML.escape(s.name)) by day</caption><thead><tr><th>day</th><th>events</th><th>bad</th><th>SLI</th><th>budget left</th><th>maintenance</th></tr></thead><tbody>"
        for d in s.days {
            b += "<tr\(d.maintenance == nil ? "" : " class=\"maint\"")><td>\(d.date)</td><td>\(d.events)</td><td>\(d.bad)</td><td>\(Self.percent(d.sli))</td>"
            b += "<td>\(Self.percent(d.budgetLeft))</td><td>\(HTML.escape(d.maintenance?.joined(separator: ", ") ?? ""))</td></tr>"
        }
        return b + "</tbody></table></section>"
    }

    /// Queue backlog and reconciler drift by day: a chart per queue and target (the first six of each), then
    /// every value in tables. Days without a reading show "no data", never 0.
    func pollSection() -> String {
        var b = "<section class=\"slo\"><h2>Queue backlog and drift</h2>"
        guard !queues.isEmpty || !drift.isEmpty else { return b + "<p>No poll reading this week.</p></section>" }
        func chart(_ title: String, _ labels: [String], _ values: [Double?]) -> String {
            let top = max(1, values.compactMap { $0 }.max() ?? 0)
            return "<figure>" + SVGChart(title: title, labels: labels, values: values, yMin: 0, yMax: top, reference: nil,
                                         format: { Self.amount($0) }).svg() + "</figure>"
        }
        b += "<div class=\"cols\">"
        for q in queues.prefix(6) {
            b += chart("Queue \(q.queue): largest depth by day", q.days.map { String($0.date.suffix(5)) }, q.days.map(\.maxDepth))
        }
        for t in drift.prefix(6) {
            b += chart("Drift of \(t.target): largest by day", t.days.map { String($0.date.suffix(5)) }, t.days.map(\.maxDrift))
        }
        b += "</div>"
        b += queues.isEmpty ? "<p>No queue reading this week.</p>"
            : Self.htmlTable(caption: "Queue backlog by day", Self.queueColumns, queueRows)
        b += drift.isEmpty ? "<p>No reconciler run reported drift this week.</p>"
            : Self.htmlTable(caption: "Reconciler drift by day (missing + orphaned + mismatched records of the runs that finished that day)",
                             Self.driftColumns, driftRows)
        return b + "</section>"
    }

    /// A data table under a chart (`fallback`), every cell escaped.
    static func htmlTable(caption: String, _ columns: [String], _ rows: [[String]]) -> String {
        var b = "<table class=\"fallback\"><caption>\(HTML.escape(caption))</caption><thead><tr>"
        b += columns.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows { b += "<tr>" + row.map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>" }
        return b + "</tbody></table>"
    }

    /// The maintenance windows of the week: when, which SLOs, whether their events count.
    func maintenanceSection() -> String {
        var b = "<section><h2>Maintenance windows</h2>"
        guard !maintenance.isEmpty else { return b + "<p>None this week.</p></section>" }
        b += "<p class=\"sub\">Alerts of these SLOs made no state change during the windows; shaded days on the charts below.</p>"
        b += "<table><thead><tr><th>window</th><th>start</th><th>end</th><th>SLOs</th><th>symptom alerts</th><th>budget</th><th>days</th></tr></thead><tbody>"
        for m in maintenance {
            b += "<tr><td>\(HTML.escape(m.name))</td><td>\(m.start)</td><td>\(m.end)</td><td>\(HTML.escape(m.slos.joined(separator: ", ")))</td>"
            b += "<td>\(m.symptomAlerts ? "held" : "not held")</td><td>\(m.excludedFromBudget ? "excluded" : "counted")</td>"
            b += "<td>\(m.dates.joined(separator: ", "))</td></tr>"
        }
        return b + "</tbody></table></section>"
    }

    /// 401/403 and 429 shares and deprovision latency by day: three charts and one table.
    func activitySection() -> String {
        let days = activity.map { String($0.date.suffix(5)) }
        func shareChart(_ title: String, _ values: [Double?]) -> SVGChart {
            SVGChart(title: title, labels: days, values: values, yMin: 0, yMax: max(0.05, values.compactMap { $0 }.max() ?? 0),
                     reference: nil, format: { Self.percent($0) })
        }
        let p95 = activity.map(\.latencyP95)
        let latency = SVGChart(title: "Deprovision latency p95 by day", labels: days, values: p95, yMin: 0,
                               yMax: max(60, p95.compactMap { $0 }.max() ?? 0), reference: nil, format: { Self.seconds($0) })
        var b = "<section class=\"slo\"><h2>Requests and deprovisions</h2><div class=\"cols\">"
        b += "<figure>\(shareChart("401/403 share of attempts by day", activity.map(\.authFailureShare)).svg())</figure>"
        b += "<figure>\(shareChart("429 share of attempts by day", activity.map(\.rateLimitedShare)).svg())</figure>"
        b += "<figure>\(latency.svg())</figure></div>"
        b += "<table class=\"fallback\"><caption>Requests and deprovisions by day (latencies are upper bounds of \(HTML.escape(latencyBuckets)))</caption>"
        b += "<thead><tr><th>day</th><th>attempts</th><th>401/403</th><th>429</th><th>deprovisions</th><th>p50</th><th>p95</th><th>p99</th></tr></thead><tbody>"
        for a in activity {
            b += "<tr><td>\(a.date)</td><td>\(a.attempts)</td><td>\(Self.percent(a.authFailureShare))</td><td>\(Self.percent(a.rateLimitedShare))</td>"
            b += "<td>\(a.deprovisions)</td><td>\(Self.seconds(a.latencyP50))</td><td>\(Self.seconds(a.latencyP95))</td><td>\(Self.seconds(a.latencyP99))</td></tr>"
        }
        return b + "</tbody></table></section>"
    }

    static let css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1f24;margin:24px auto;max-width:1120px;padding:0 16px}
        h1{font-size:26px;margin:0}h2{font-size:19px;margin:22px 0 6px}.sub{color:#57606a;margin:4px 0 14px}
        table{border-collapse:collapse;margin:8px 0;font-size:14px}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:right}
        th:first-child,td:first-child{text-align:left}thead th{background:#f6f8fa}caption{text-align:left;color:#57606a;font-size:13px}
        .cols{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0}
        .st{border-radius:10px;padding:1px 8px;font-size:13px;color:#fff;background:#57606a}
        .st.met{background:#1a7f37}.st.at-risk{background:#9a6700}.st.breached{background:#cf222e}
        svg .ct{font-size:13px;font-weight:600;fill:#1b1f24}svg .ax{font-size:11px;fill:#57606a}
        svg .axis{stroke:#57606a}svg .grid{stroke:#eaeef2}svg .bar{fill:#0969da}svg .bar.low{fill:#cf222e}
        svg .ref{stroke:#cf222e;stroke-dasharray:4 3}svg .ref-label{fill:#cf222e}
        svg .maint{fill:#fff1c2}tr.maint td{background:#fff8e1}
        @media print{body{margin:0;max-width:none}.slo,table,figure{break-inside:avoid}a{color:inherit}
        .st{color:#000;border:1px solid #000;background:none!important}}
        """
}
