/// The symptom alerts of slo.md, evaluated by the embedded engine like the rules of `scimwatch rules`:
/// one alert per symptom and severity, firing once its condition has held for the symptom's `for`.
public struct SymptomEvaluator: Sendable {
    public var thresholds: SymptomThresholds
    public internal(set) var alerts = AlertStates()
    /// The symptom alerts firing at the last evaluation.
    public internal(set) var firingNow: [AlertNotification] = []
    /// When each symptom's condition started to hold (for the `for` durations).
    private var pendingSince: [Symptom: Int64] = [:]

    /// Planned maintenance windows that apply to all alerts hold the symptom alerts too.
    public var maintenance: [MaintenanceWindow] = []

    public init(thresholds: SymptomThresholds = SymptomThresholds()) {
        self.thresholds = thresholds
    }

    /// Evaluates at `now` with the request counts, the overdue deprovisions and the adapters' inputs.
    public mutating func evaluate(now: Int64, counts: SymptomCounts, overdue: OverdueSummary, inputs: SymptomInputs,
                                  labels: Labels) -> [AlertNotification] {
        var out: [AlertNotification] = []
        firingNow = []
        if maintenance.holdsAlerts(of: nil, at: now) { return [] }
        let lastMinute = MinuteCounts.minute(of: now)
        func name(_ t: LabelID, _ g: LabelID) -> String { "\(labels.targets.values[Int(g)]) (\(labels.tenants.values[Int(t)]))" }

        func share(_ threshold: ShareThreshold, _ bad: (UInt64, UInt64, UInt64) -> UInt64) -> [(String, Int)] {
            counts.window(minutes: max(1, threshold.windowMs / 60_000), endingAt: lastMinute).compactMap { w in
                let b = bad(w.total, w.auth, w.limited)
                guard w.total >= UInt64(threshold.minRequests), Double(b) / Double(w.total) > threshold.ratio else { return nil }
                return (name(w.tenant, w.target), Int(b))
            }.sorted { $0.1 > $1.1 }
        }

        var conditions: [(Symptom, AlertSeverity, Int64, Bool, String, Evidence)] = []
        let auth = share(thresholds.authFailures) { _, a, _ in a }
        conditions.append((.authFailures, thresholds.authFailures.severity, thresholds.authFailures.forMs,
                           thresholds.authFailures.enabled && !auth.isEmpty,
                           "401/403 answers above \(Int(thresholds.authFailures.ratio * 100))% (expired or revoked credentials?)",
                           Evidence(topTargets: Array(auth.prefix(5)), topStatusCodes: [("401/403", auth.map(\.1).reduce(0, +))])))
        let limited = share(thresholds.rateLimited) { _, _, l in l }
        conditions.append((.rateLimited, thresholds.rateLimited.severity, thresholds.rateLimited.forMs,
                           thresholds.rateLimited.enabled && !limited.isEmpty,
                           "429 answers above \(Int(thresholds.rateLimited.ratio * 100))% (rate limited)",
                           Evidence(topTargets: Array(limited.prefix(5)), topStatusCodes: [("429", limited.map(\.1).reduce(0, +))])))
        conditions.append((.deprovisionsOverdue, thresholds.deprovisionsOverdue.severity, thresholds.deprovisionsOverdue.forMs,
                           thresholds.deprovisionsOverdue.enabled && overdue.count > 0,
                           "\(overdue.count) deprovision(s) overdue: access that should be gone is still there",
                           Evidence(topTargets: top(overdue.byTarget.map { (name($0.tenant, $0.target), $0.count) }),
                                    sampleCorrelationIDs: overdue.oldest.map(\.subject))))
        conditions.append((.pollDown, thresholds.pollDown.severity, thresholds.pollDown.forMs,
                           thresholds.pollDown.enabled && !inputs.pollsDown.isEmpty,
                           "poll endpoint(s) down: \(inputs.pollsDown.map(\.endpoint).joined(separator: ", "))",
                           Evidence(topTargets: inputs.pollsDown.map { ($0.endpoint, 1) })))
        conditions.append((.queueStuck, thresholds.queueStuck.severity, 0,
                           thresholds.queueStuck.enabled && inputs.queuesWithoutProgress.contains { now - $0.since >= thresholds.queueStuck.forMs },
                           "queue(s) with a backlog and no progress: \(inputs.queuesWithoutProgress.map(\.queue).joined(separator: ", "))",
                           Evidence(topTargets: inputs.queuesWithoutProgress.map { ($0.queue, Int((now - $0.since) / 60_000)) })))
        let stale = inputs.reconcilers.filter { r in
            let interval = thresholds.reconcilerStale.intervalsMs[r.target] ?? thresholds.reconcilerStale.intervalMs
            return now - (r.lastSuccess ?? r.firstSeen) >= ReconcilerThreshold.missedRuns * interval
        }
        conditions.append((.reconcilerStale, thresholds.reconcilerStale.severity, 0,
                           thresholds.reconcilerStale.enabled && !stale.isEmpty,
                           "reconciler without a successful run: \(stale.map(\.target).joined(separator: ", "))",
                           Evidence(topTargets: stale.map { ($0.target, 1) })))
        conditions.append((.sourceStalled, thresholds.sourceStalled.severity, 0,
                           thresholds.sourceStalled.enabled && inputs.sourcesStalled.contains { now - $0.since >= thresholds.sourceStalled.forMs },
                           "log source(s) stopped growing: \(inputs.sourcesStalled.map(\.source).joined(separator: ", "))",
                           Evidence(topTargets: inputs.sourcesStalled.map { ($0.source, 1) })))

        for (symptom, severity, forMs, holdsNow, summary, evidence) in conditions {
            if holdsNow { pendingSince[symptom] = pendingSince[symptom] ?? now } else { pendingSince[symptom] = nil }
            let fires = holdsNow && now - (pendingSince[symptom] ?? now) >= forMs
            let candidate = AlertNotification(alert: symptom.alertName, slo: nil, severity: severity, state: .firing,
                                              startsAt: now, summary: summary, evidence: evidence)
            if let change = alerts.update(candidate, holds: fires, now: now, keepFiringForMs: thresholds.keepFiringFor(symptom)) {
                out.append(change)
            }
            if let since = alerts.firing[candidate.dedupKey] {
                var current = candidate
                current.startsAt = since
                firingNow.append(current)
            }
        }
        return out
    }

    /// The five largest counts, by name on ties (names are unique per (tenant, target)).
    private func top(_ named: [(String, Int)]) -> [(String, Int)] {
        var counts: [String: Int] = [:]
        for (n, c) in named { counts[n, default: 0] += c }
        return counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5).map { ($0.key, $0.value) }
    }
}
