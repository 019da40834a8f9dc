/// The part of the engine that readers see: small, copied at each publication. The big structures
/// (duplicate window, open operations) stay with the writer; what readers need of them is computed here.
public struct EngineSnapshot: Sendable {
    public var labels: Labels
    public var requests: RequestMetrics
    public var sources: [SourceStats]
    public var sourceNames: [String]
    public var latestEventTime: Int64
    public var now: Int64
    /// `scim_operations_total`, `scim_operation_latency_seconds`, open and overdue gauges.
    public var operationsResolved: CounterFamily
    public var operationLatency: HistogramFamily
    public var operationsOpen: GaugeFamily
    public var deprovisionsOverdue: GaugeFamily
    /// The window summaries by ``LifecycleClass/rawValue``.
    public var latencyWindows: [WindowSummary]
    /// Age of the oldest open operation by class, seconds (nil when none is open).
    public var oldestOpenAge: [Double?]
    /// Overdue deprovisions, oldest first (at most ``IngestEngine/overdueListLimit``).
    public var overdue: [OpenOperation]
    /// Every SLO's windows, budget and alert state at ``now``.
    public var slos: [SLOStatus]
    /// Alerts firing now: dedup key and start time (epoch ms).
    public var firingAlerts: [(key: String, since: Int64)]
    /// The SLO engine itself (per-minute counts, alert history), for weekly reports served over HTTP.
    /// A copy-on-write share: the writer copies the minute arrays (about 0.4 MB per 30-day SLO) on its
    /// first change after each publication, which costs far less than a checkpoint.
    public var slo: SLOEngine
    /// Hourly request and deprovision aggregates (a copy-on-write share too), for weekly reports.
    public var hourly: HourlyActivity
}

extension IngestEngine {
    /// How many overdue deprovisions a snapshot lists.
    public static let overdueListLimit = 1000

    /// A snapshot for readers. Computes the window quantiles, oldest ages and open gauges, so call it once
    /// per publication.
    public mutating func snapshot() -> EngineSnapshot {
        operationMetrics.recountOpen(operations)
        let ages: [Double?] = LifecycleClass.allCases.map { c in
            operations.oldestOpenTime(of: c).map { now == .min ? 0 : Double(max(0, now - $0)) / 1000 }
        }
        return EngineSnapshot(
            labels: labels, requests: requests, sources: sources, sourceNames: sourceNames,
            latestEventTime: latestEventTime, now: now,
            operationsResolved: operationMetrics.resolved, operationLatency: operationMetrics.latency,
            operationsOpen: operationMetrics.open, deprovisionsOverdue: operationMetrics.overdue,
            latencyWindows: operationMetrics.windowSummaries(), oldestOpenAge: ages,
            overdue: operations.overdueOperations(limit: Self.overdueListLimit),
            slos: slo.statuses(now: now == .min ? 0 : now),
            firingAlerts: slo.alerts.firing.sorted { $0.key < $1.key }.map { (key: $0.key, since: $0.value) },
            slo: slo, hourly: hourly)
    }
}
