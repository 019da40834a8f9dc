extension WeeklyReport {
    /// The weekly report of a fleet of sidecars, from the growth of `scim_slo_events_total` and
    /// `scim_slo_bad_events_total` summed over the instances Prometheus scrapes (see ``CounterIncrements``).
    ///
    /// The per-minute growth is fed into the SLO engine's per-minute counts and the report is computed by
    /// ``compute(slo:labels:overdue:week:now:activity:)``, so every figure means what it means in a sidecar's
    /// report, with one difference said in the notes: the minutes are those of the scrapes, not of the events.
    /// The alerts are Prometheus's own firings of the `scimwatch rules` burn-rate alerts (`firings`), with
    /// the budget spent computed from the same counts; `activity` is ``fleetActivity(requests:latency:week:)``
    /// (nil: left empty). What the SLO counters do not carry (top failing, which deprovisions are overdue) is
    /// left empty and named in the notes.
    /// `overdueCount` is the fleet's `sum(scim_deprovisions_overdue)` at `now`, used only for the current week.
    public static func compute(fleetEvents events: CounterIncrements, bad: CounterIncrements, definitions: [SLODefinition],
                               firings: [FleetAlertFirings.Firing] = [], activity: [Activity]? = nil, week: ReportWeek,
                               now: Int64, prometheus: String, overdueCount: Int?) -> WeeklyReport {
        var engine = SLOEngine(definitions: definitions)
        for i in engine.trackers.indices {
            let name = engine.trackers[i].definition.name
            var perMinute: [Int64: (total: UInt64, bad: UInt64)] = [:]
            for (m, n) in events.perMinute(name) { perMinute[m, default: (0, 0)].total = n }
            for (m, n) in bad.perMinute(name) { perMinute[m, default: (0, 0)].bad = n }
            for (m, c) in perMinute.sorted(by: { $0.key < $1.key }) {
                engine.trackers[i].count(total: UInt32(clamping: c.total), bad: UInt32(clamping: c.bad), at: m * 60_000)
            }
        }
        for f in firings {
            let tracker = engine.trackers.first { $0.definition.name == f.slo }
            let budget = { (t: Int64) in tracker.map { $0.budgetRemaining(now: t - 1) } }
            engine.history.record(.init(alert: f.alert, slo: f.slo, severity: f.severity, state: .firing, at: f.startMs,
                                        startsAt: f.startMs, budgetRemaining: budget(f.startMs)))
            if let end = f.endMs {
                engine.history.record(.init(alert: f.alert, slo: f.slo, severity: f.severity, state: .resolved, at: end,
                                            startsAt: f.startMs, budgetRemaining: budget(end)))
            }
        }
        var report = compute(slo: engine, labels: Labels(), overdue: [], week: week, now: now)
        let isCurrent = now >= week.startMs && now < week.endMs
        report.activity = activity ?? []
        report.topFailing = TopFailing(
            basis: "nothing in Prometheus: its SLO counters have no target, tenant or status label", targets: [], tenants: [], statusCodes: [])
        if !isCurrent {
            report.overdueDeprovisions = .pastWeek
        } else if let overdueCount {
            report.overdueDeprovisions = Overdue(known: true, count: overdueCount, oldest: [])
        } else {
            report.overdueDeprovisions = Overdue(known: false, count: nil, oldest: [], reason: "Prometheus scrapes no scimwatch now")
        }
        report.latencyBuckets = Self.fleetLatencyBuckets
        report.notes = fleetNotes(events: events, bad: bad, definitions: definitions, prometheus: prometheus,
                                  overdueKnown: report.overdueDeprovisions.known, isCurrent: isCurrent, hasActivity: activity != nil)
            + report.notes
        return report
    }

    static func fleetNotes(events: CounterIncrements, bad: CounterIncrements, definitions: [SLODefinition], prometheus: String,
                           overdueKnown: Bool, isCurrent: Bool, hasActivity: Bool) -> [String] {
        var notes = [
            "Fleet report from Prometheus at \(prometheus): scim_slo_events_total and scim_slo_bad_events_total summed over \(events.seriesSeen) series (every instance and SLO); objectives and periods come from the configuration.",
            "Counts are by scrape time at one-minute resolution, not by event time: an event counts in the minute Prometheus scraped it, so a late line, or an event read near the end of a day or week, can fall on another day or week than in a sidecar's own report.",
            "Counter resets are exact, not extrapolated: each series' growth is the difference of its last raw value in each minute, a drop is a restart counted from zero (\(events.resets + bad.resets) seen), and a series with no value in the 7 days before the range counts from zero when it first appears (\(events.newSeries) such series of events).",
            "Alerts are Prometheus's own firings of the `scimwatch rules` burn-rate alerts (ALERTS, at one-minute steps: none if those rules are not loaded); the alerts each sidecar decided on its own counts are not in Prometheus.",
            "Top failing targets, tenants and status codes are not known from the SLO counters.",
        ]
        notes.append(hasActivity
            ? "Requests and deprovisions by day come from scim_requests_total (every attempt, late lines too) and the scim_operation_latency_seconds histogram of deprovisions, at one-hour steps by scrape time; a latency is the upper bound of the histogram's bucket, not of a 25% bucket."
            : "Requests and deprovisions by day are not known.")
        if overdueKnown {
            notes.append("Overdue deprovisions: the sum of scim_deprovisions_overdue over the instances scraped when the report was made; which ones, each sidecar's own report says.")
        } else if isCurrent {
            notes.append("Overdue deprovisions are unknown: Prometheus scrapes no scimwatch now.")
        }
        let configured = Set(definitions.map(\.name))
        let unknown = Set(events.groups + bad.groups).subtracting(configured).sorted()
        if !unknown.isEmpty {
            notes.append("Prometheus has counts for SLOs the configuration does not define, left out: \(unknown.joined(separator: ", ")).")
        }
        return notes
    }
}
