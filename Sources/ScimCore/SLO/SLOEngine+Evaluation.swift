extension SLOEngine {
    /// Evaluates every SLO at `now` (windows end with the minute of `now`) and returns the alert state
    /// changes. A ticket is not sent while the page of the same SLO fires (inhibition); it is tracked
    /// all the same, so it is sent if it still fires when the page resolves.
    /// `windowsEndingAt` (a minute) makes the windows end earlier than the minute of `now`, for replay,
    /// which evaluates at the start of a minute over the complete minutes before it.
    public mutating func evaluate(now: Int64, windowsEndingAt lastMinute: Int64? = nil, labels: Labels) -> [AlertNotification] {
        evaluatedAt = now
        let windowEnd = lastMinute.map { $0 * 60_000 } ?? now
        var out: [AlertNotification] = []
        firingNow = []
        for tracker in trackers {
            let d = tracker.definition
            // During maintenance an SLO's alerts make no state change: nothing pages for planned work,
            // and an alert still burning when the window ends fires then.
            if maintenance.holdsAlerts(of: d.name, at: now) { continue }
            var holds: [AlertSeverity: Bool] = [:]
            var rates: [AlertSeverity: [String: Double]] = [:]
            for tier in d.tiers {
                let long = tracker.window(tier.longWindowMs, now: windowEnd)
                let longRate = tracker.burnRate(tier.longWindowMs, now: windowEnd)
                let shortRate = tracker.burnRate(tier.shortWindowMs, now: windowEnd)
                let enoughTraffic = long.total >= UInt64(d.minEvents) && long.bad >= UInt64(d.minBadEvents)
                let fires = enoughTraffic && longRate > tier.factor && shortRate > tier.factor
                // The evidence of an alert shows the windows of the first (fastest) tier that fires, or of
                // its first tier when none does.
                let alreadyFiring = holds[tier.severity] ?? false
                if rates[tier.severity] == nil || (fires && !alreadyFiring) {
                    rates[tier.severity] = [WindowLabel.format(tier.longWindowMs): longRate,
                                            WindowLabel.format(tier.shortWindowMs): shortRate]
                }
                holds[tier.severity] = alreadyFiring || fires
            }
            for severity in AlertSeverity.allCases where holds[severity] != nil {
                let holdsNow = holds[severity] ?? false
                let wasFiring = alerts.isFiring(slo: d.name, severity: severity)
                // Budget and evidence cost a scan each: build the notification only when it is needed.
                guard holdsNow != wasFiring || (wasFiring && collectsFiring) else {
                    if holdsNow { alerts.conditionHoldsAgain(slo: d.name, severity: severity) }
                    continue
                }
                let longest = d.tiers.filter { $0.severity == severity }.map(\.longWindowMs).max() ?? 3_600_000
                let candidate = AlertNotification(
                    alert: severity == .page ? "SLOBurnRatePage" : "SLOBurnRateTicket", slo: d.name, severity: severity,
                    state: .firing, startsAt: now,
                    summary: "\(d.name) is burning its error budget too fast (objective \(d.objective))",
                    burnRates: rates[severity] ?? [:], budgetRemaining: tracker.budgetRemaining(now: windowEnd),
                    evidence: tracker.evidence(since: windowEnd - longest, labels: labels))
                let change = alerts.update(candidate, holds: holdsNow, now: now, keepFiringForMs: d.keepFiringFor(severity))
                if collectsFiring, let started = alerts.firing[candidate.dedupKey] {
                    var current = candidate
                    current.startsAt = started
                    firingNow.append(current)
                }
                guard let change else { continue }
                // Recorded before inhibition: a ticket held back by a page still fired, and reports say so.
                history.record(change, at: now)
                // The page was decided first: one still firing (kept firing included) holds the ticket back.
                if severity == .ticket && change.state == .firing && alerts.isFiring(slo: d.name, severity: .page) { continue }
                out.append(change)
            }
        }
        return out
    }

    /// The values of the `scim_slo_*` gauges at `now`, one per SLO.
    public func statuses(now: Int64) -> [SLOStatus] {
        trackers.map { t in
            let windows = WindowLabel.standardMs + [t.definition.periodMs]
            return SLOStatus(
                name: t.definition.name, objective: t.definition.objective, kind: t.definition.sli.kindName,
                eventsTotal: t.eventsTotal, badTotal: t.badTotal,
                windows: windows.map { w in
                    let counts = t.window(w, now: now)
                    let sli = counts.total == 0 ? Double.nan : 1 - Double(counts.bad) / Double(counts.total)
                    let burn = counts.total == 0 ? Double.nan : (Double(counts.bad) / Double(counts.total)) / t.definition.budget
                    return .init(label: WindowLabel.format(w), total: counts.total, bad: counts.bad, sli: sli, burnRate: burn)
                },
                budgetRemaining: t.budgetRemaining(now: now),
                firing: AlertSeverity.allCases.filter { alerts.isFiring(slo: t.definition.name, severity: $0) })
        }
    }
}

/// One SLO's values at a moment, for metrics, the API and reports.
public struct SLOStatus: Sendable, Equatable {
    public struct Window: Sendable, Equatable {
        public var label: String
        public var total: UInt64
        public var bad: UInt64
        /// Good / total; NaN with no events (no data is not success).
        public var sli: Double
        public var burnRate: Double
    }

    public var name: String
    public var objective: Double
    public var kind: String
    public var eventsTotal: UInt64
    public var badTotal: UInt64
    public var windows: [Window]
    public var budgetRemaining: Double
    public var firing: [AlertSeverity]

    public static func == (a: SLOStatus, b: SLOStatus) -> Bool {
        a.name == b.name && a.eventsTotal == b.eventsTotal && a.badTotal == b.badTotal && a.firing == b.firing
    }
}
