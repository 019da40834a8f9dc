extension WeeklyReport {
    /// Computes the report of `week` from the SLO engine's per-minute counts and alert history.
    /// `overdue` (the live overdue list) is used only when `now` falls in the week: for a past week
    /// nothing records which deprovisions were overdue when it ended, so the report says "unknown".
    /// `activity` gives the daily request and deprovision rows (empty aggregates leave them without data),
    /// `polls` the queue backlog and drift by day.
    public static func compute(slo engine: SLOEngine, labels: Labels, overdue: [OpenOperation], week: ReportWeek,
                               now: Int64, activity: HourlyActivity = HourlyActivity(), polls: PollHistory = PollHistory()) -> WeeklyReport {
        let days = week.dayBoundaries
        let isCurrent = now >= week.startMs && now < week.endMs
        var notes: [String] = []
        let held = engine.maintenance.flatMap { w in
            w.occurrences(from: week.startMs, to: week.endMs).map { (window: w, start: $0.start, end: $0.end) }
        }.sorted { ($0.start, $0.window.name) < ($1.start, $1.window.name) }
        func touches(_ o: (window: MaintenanceWindow, start: Int64, end: Int64), day d: Int) -> Bool {
            o.start < days[d + 1] && o.end > days[d]
        }
        let slos = engine.trackers.map { t -> SLO in
            let periodMinutes = max(1, t.definition.periodMs / 60_000)
            let weekCounts = counts(t, from: week.startMs, to: week.endMs)
            let period = t.minutes.sum(minutes: periodMinutes, endingAt: week.endMs / 60_000 - 1)
            let previous = counts(t, from: week.previous.startMs, to: week.previous.endMs)
            let oldestKept = t.minutes.newestMinute == .min ? Int64.max : (t.minutes.newestMinute - Int64(t.minutes.capacity) + 1) * 60_000
            if t.minutes.newestMinute != .min, oldestKept > week.endMs - t.definition.periodMs {
                notes.append("\(t.definition.name): counts before \(ReportWeek.timestamp(oldestKept)) are no longer kept; the period figures cover less than the full period.")
            }
            let series = (0..<7).map { d -> Day in
                let c = counts(t, from: days[d], to: days[d + 1])
                let burn = t.minutes.sum(minutes: periodMinutes, endingAt: days[d + 1] / 60_000 - 1)
                var marks: [String] = []
                for o in held where o.window.applies(to: t.definition.name) && touches(o, day: d) && !marks.contains(o.window.name) {
                    marks.append(o.window.name)
                }
                return Day(date: week.date(days[d]), events: c.events, bad: c.bad, sli: c.sli,
                           budgetLeft: budgetLeft(burn.total, burn.bad, t.definition), maintenance: marks.isEmpty ? nil : marks)
            }
            let left = budgetLeft(period.total, period.bad, t.definition)
            let allowed: Int64? = period.total == 0 ? nil
                : Int64((Double(period.total) * t.definition.budget + 1e-9).rounded(.down)) - Int64(period.bad)
            let status: String
            if weekCounts.events == 0 {
                status = "no data"
            } else if let l = left, l < 0 {
                status = "breached"
            } else if let l = left, l < atRiskBelow {
                status = "at risk"
            } else {
                status = "met"
            }
            return SLO(
                name: t.definition.name, kind: t.definition.sli.kindName, objective: t.definition.objective,
                periodDays: Double(t.definition.periodMs) / 86_400_000, week: weekCounts,
                period: Counts(events: period.total, bad: period.bad, sli: sli(period.total, period.bad)),
                budgetLeft: left, failuresAllowed: allowed, status: status, previousWeekSLI: previous.sli,
                change: weekCounts.sli.flatMap { w in previous.sli.map { round6(w - $0) } }, days: series)
        }
        if let kept = engine.trackers.compactMap(\.badTally.oldestKept).max(), kept > week.startMs {
            notes.append("Top failing counts only the bad events since \(ReportWeek.timestamp(kept)) (hourly tallies are kept \(BadTally.keptHours / 24) days).")
        }
        let (queues, drift) = pollSeries(polls, week: week)
        if let kept = polls.oldestKept, kept > week.startMs {
            notes.append("Queue backlog and drift count only the readings since \(ReportWeek.timestamp(kept)) (hourly readings are kept \(PollHistory.keptHours / 24) days).")
        }
        if !isCurrent { notes.append("Overdue deprovisions at the end of a past week are not recorded.") }
        let overdueSection = isCurrent
            ? Overdue(known: true, count: overdue.count, oldest: overdue.prefix(10).map { op in
                "\(labels.targets.values[safe: Int(op.target)] ?? "?")/\(labels.tenants.values[safe: Int(op.tenant)] ?? "?") \(op.subject)"
            })
            : .pastWeek
        return WeeklyReport(
            week: week.label,
            timeZone: ReportWeek.name(of: week.timeZone), start: ReportWeek.timestamp(week.startMs),
            end: ReportWeek.timestamp(week.endMs), asOf: ReportWeek.timestamp(now), slos: slos,
            maintenance: held.map { o in
                Maintenance(name: o.window.name, start: ReportWeek.timestamp(o.start), end: ReportWeek.timestamp(o.end),
                            slos: o.window.slos.isEmpty ? engine.trackers.map(\.definition.name) : o.window.slos,
                            symptomAlerts: o.window.slos.isEmpty, excludedFromBudget: o.window.excludeFromBudget,
                            dates: (0..<7).filter { touches(o, day: $0) }.map { week.date(days[$0]) })
            },
            activity: (0..<7).map { d in
                let s = activity.sum(from: days[d], to: days[d + 1])
                return Activity(
                    date: week.date(days[d]), attempts: s.attempts,
                    authFailureShare: s.attempts == 0 ? nil : round6(Double(s.auth) / Double(s.attempts)),
                    rateLimitedShare: s.attempts == 0 ? nil : round6(Double(s.limited) / Double(s.attempts)),
                    deprovisions: s.deprovisions, latencyP50: s.latencyQuantile(0.5).map(round6),
                    latencyP95: s.latencyQuantile(0.95).map(round6), latencyP99: s.latencyQuantile(0.99).map(round6))
            },
            queues: queues, drift: drift, alerts: alerts(engine, week: week, now: now), topFailing: topFailing(engine, labels: labels, week: week),
            overdueDeprovisions: overdueSection, notes: notes)
    }

    /// Poll readings folded from UTC hours into the report's days (an hour counts in the day it starts).
    static func pollSeries(_ polls: PollHistory, week: ReportWeek) -> ([QueueSeries], [DriftSeries]) {
        let days = week.dayBoundaries
        let perDay = (0..<7).map { polls.summary(from: days[$0], to: days[$0 + 1]) }
        let whole = polls.summary(from: week.startMs, to: week.endMs)
        let queues = whole.queues.keys.sorted().prefix(PollHistory.maxNames).map { name in
            QueueSeries(queue: name, days: (0..<7).map { d in
                let q = perDay[d].queues[name]
                return QueueDay(date: week.date(days[d]), readings: q?.readings ?? 0, maxDepth: q?.depth.max, lastDepth: q?.depth.last,
                                maxDeadLetters: q?.deadLetters?.max, lastDeadLetters: q?.deadLetters?.last)
            })
        }
        let drift = whole.drift.keys.sorted().prefix(PollHistory.maxNames).map { target in
            DriftSeries(target: target, days: (0..<7).map { d in
                let g = perDay[d].drift[target]
                return DriftDay(date: week.date(days[d]), maxDrift: g?.max, lastDrift: g?.last)
            })
        }
        return (Array(queues), Array(drift))
    }

    static func counts(_ t: SLOTracker, from start: Int64, to end: Int64) -> Counts {
        let c = t.minutes.sum(minutes: max(1, (end - start) / 60_000), endingAt: end / 60_000 - 1)
        return Counts(events: c.total, bad: c.bad, sli: sli(c.total, c.bad))
    }

    static func sli(_ total: UInt64, _ bad: UInt64) -> Double? {
        total == 0 ? nil : round6(1 - Double(bad) / Double(total))
    }

    static func budgetLeft(_ total: UInt64, _ bad: UInt64, _ d: SLODefinition) -> Double? {
        total == 0 ? nil : round6(1 - Double(bad) / (Double(total) * d.budget))
    }

    /// Six decimals: enough for a 99.9999% objective, and stable text in the goldens.
    static func round6(_ x: Double) -> Double { (x * 1_000_000).rounded() / 1_000_000 }

    /// Pairs firing and resolved changes into firings, keeps those overlapping the week.
    static func alerts(_ engine: SLOEngine, week: ReportWeek, now: Int64) -> [Alert] {
        var open: [String: AlertHistory.Entry] = [:]
        // (start, budget left at the start, end): the start's budget is unknown when the history lost its firing entry.
        var spans: [(AlertHistory.Entry, startBudget: Double?, end: AlertHistory.Entry?)] = []
        for e in engine.history.entries {
            let key = "\(e.slo ?? e.alert)/\(e.severity.rawValue)"
            if e.state == .firing {
                open[key] = e
            } else {
                let start = open.removeValue(forKey: key)
                spans.append((start ?? e, start?.budgetRemaining, e))
            }
        }
        spans += open.values.map { ($0, $0.budgetRemaining, nil) }
        let reportEnd = min(week.endMs, now)
        return spans
            .filter { $0.0.startsAt < week.endMs && ($0.end?.at ?? .max) >= week.startMs }
            .sorted { ($0.0.startsAt, $0.0.slo ?? "") < ($1.0.startsAt, $1.0.slo ?? "") }
            .map { start, startBudget, end in
                let tracker = engine.trackers.first { $0.definition.name == start.slo }
                let endBudget = end?.budgetRemaining ?? tracker.map { t in
                    let w = t.window(t.definition.periodMs, now: reportEnd - 1)
                    return w.total == 0 ? 1 : 1 - Double(w.bad) / (Double(w.total) * t.definition.budget)
                }
                let spent = startBudget.flatMap { s in endBudget.map { round6(s - $0) } }
                return Alert(alert: start.alert, slo: start.slo, severity: start.severity.rawValue,
                             start: ReportWeek.timestamp(start.startsAt), end: end.map { ReportWeek.timestamp($0.at) },
                             budgetSpent: spent)
            }
    }

    /// The week's bad events by target, tenant and status, summed over the SLOs' hourly tallies.
    static func topFailing(_ engine: SLOEngine, labels: Labels, week: ReportWeek) -> TopFailing {
        var targets: [String: Int] = [:], tenants: [String: Int] = [:], codes: [String: Int] = [:]
        for t in engine.trackers {
            let totals = t.badTally.totals(from: week.startMs, to: week.endMs)
            for (k, v) in totals.targets { targets[labels.targets.values[safe: Int(k)] ?? "?", default: 0] += v }
            for (k, v) in totals.tenants { tenants[labels.tenants.values[safe: Int(k)] ?? "?", default: 0] += v }
            for (k, v) in totals.statuses where k >= 0 { codes[String(k), default: 0] += v }
        }
        func top(_ d: [String: Int]) -> [Count] {
            d.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5).map { Count(value: $0.key, bad: $0.value) }
        }
        return TopFailing(basis: "every bad event of every SLO, by hour (kept \(BadTally.keptHours / 24) days); an event bad for two SLOs counts twice",
                          targets: top(targets), tenants: top(tenants), statusCodes: top(codes))
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { i >= 0 && i < count ? self[i] : nil }
}
