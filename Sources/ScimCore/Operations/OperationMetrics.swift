/// The operation SLI metrics of metrics.md, fed by ``OperationTransition``s.
public struct OperationMetrics: Sendable {
    /// Buckets of `scim_operation_latency_seconds`: 1s to 1 day.
    public static let latencyBounds: [Double] = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400]
    public static let windowQuantiles: [Double] = [0.5, 0.95, 0.99]

    /// `scim_operations_total{tenant,target,class,result}`; small = class << 2 | result.
    public private(set) var resolved = CounterFamily()
    /// `scim_operation_latency_seconds{target,class}` of succeeded operations.
    public private(set) var latency = HistogramFamily(bounds: latencyBounds)
    /// By (tenant, target, class), the indexes of its `resolved` series (one per result, -1 until made)
    /// and of its `latency` series: one lookup per resolved operation instead of two.
    private var seriesIndexes: [(resolved: (Int32, Int32, Int32), latency: Int32)] = []
    /// By tenant id, then target id << 2 | class: the index in `seriesIndexes` plus one (0: none yet).
    /// Label ids are small and dense (capped per label), so two array reads find an operation's series,
    /// where a hash probe was a fifth of this type's samples. Rows grow to the largest target id seen
    /// with their tenant: 16 bytes per (tenant, target) pair, 80 KB at the default caps.
    private var classRows: [[Int32]] = []
    /// `scim_operations_open{tenant,target,class}` and `scim_deprovisions_overdue{tenant,target}`, as of
    /// the last ``recountOpen(_:)``: counted from the open operations when a snapshot is taken, not
    /// moved per event (two lookups an operation saved). A series once seen stays, at 0: an open series
    /// for every (tenant, target, class) that resolved an operation, an overdue one for every pair that
    /// had an overdue deprovision.
    public internal(set) var open = GaugeFamily()
    public internal(set) var overdue = GaugeFamily()
    /// Succeeded latencies within the sliding window, tagged with their class.
    var window: LatencyWindow
    /// The last ``windowSummaries()`` and the ``windowsVersion`` it is of: a replay's final checkpoint and
    /// its output take one after the other, and selecting exact quantiles is not free.
    private var summaries: (version: UInt64, values: [WindowSummary]) = (.max, [])
    private var windowsVersion: UInt64 = 0

    public init(windowMs: Int64 = 3_600_000) {
        window = LatencyWindow(windowMs: windowMs)
    }

    static func small(_ c: LifecycleClass, _ r: OperationResult) -> UInt8 { c.rawValue << 2 | r.rawValue }

    /// Sets the open and overdue gauges from the correlator's open operations.
    mutating func recountOpen(_ operations: OperationCorrelator) {
        open.zeroAll()
        overdue.zeroAll()
        for key in resolved.index.keys {
            let small = SeriesKey.small(key)
            open.add(SeriesKey.pack(tenant: SeriesKey.tenant(key), target: SeriesKey.target(key), small: small >> 2), 0)
        }
        for (_, op) in operations.open.facts {
            open.add(SeriesKey.pack(tenant: op.tenant, target: op.target, small: op.lifecycleClass.rawValue), 1)
            if op.overdue { overdue.add(SeriesKey.pack(tenant: op.tenant, target: op.target), 1) }
        }
    }

    mutating func apply(_ t: OperationTransition) {
        switch t {
        case .overdue(let op, _):
            overdue.add(SeriesKey.pack(tenant: op.tenant, target: op.target), 0)
        case .resolved(let op, let result, let time, let latencyMs, _):
            let c = classSeries(tenant: op.tenant, target: op.target, op.lifecycleClass)
            var r = Self.resolvedIndex(seriesIndexes[c].resolved, result)
            if r < 0 {
                r = Int32(resolved.series(SeriesKey.pack(tenant: op.tenant, target: op.target, small: Self.small(op.lifecycleClass, result))))
                Self.setResolvedIndex(&seriesIndexes[c].resolved, result, r)
            }
            resolved.add(atSeries: Int(r))
            guard result == .succeeded else { return }
            if seriesIndexes[c].latency < 0 {
                seriesIndexes[c].latency = Int32(latency.series(SeriesKey.pack(target: op.target, small: op.lifecycleClass.rawValue)))
            }
            latency.observe(atSeries: Int(seriesIndexes[c].latency), Double(latencyMs) / 1000)
            window.add(latencyMs: latencyMs, at: time, tag: op.lifecycleClass.rawValue)
            windowsVersion &+= 1
        }
    }

    /// The index in `seriesIndexes` of (tenant, target, class), made when new.
    @inline(__always)
    private mutating func classSeries(tenant: LabelID, target: LabelID, _ c: LifecycleClass) -> Int {
        let t = Int(tenant)
        let k = Int(target) << 2 | Int(c.rawValue)
        if t < classRows.count, k < classRows[t].count, classRows[t][k] > 0 { return Int(classRows[t][k]) - 1 }
        if t >= classRows.count { classRows += Array(repeating: [], count: t - classRows.count + 1) }
        if k >= classRows[t].count { classRows[t] += Array(repeating: 0, count: k - classRows[t].count + 4) }
        seriesIndexes.append(((-1, -1, -1), -1))
        classRows[t][k] = Int32(seriesIndexes.count)
        return seriesIndexes.count - 1
    }

    private static func resolvedIndex(_ t: (Int32, Int32, Int32), _ r: OperationResult) -> Int32 {
        switch r {
        case .succeeded: t.0
        case .failed: t.1
        case .expired: t.2
        }
    }

    private static func setResolvedIndex(_ t: inout (Int32, Int32, Int32), _ r: OperationResult, _ i: Int32) {
        switch r {
        case .succeeded: t.0 = i
        case .failed: t.1 = i
        case .expired: t.2 = i
        }
    }

    /// Restores the counters from a checkpoint (the series indexes are made again as operations resolve).
    mutating func restore(resolved: CounterFamily, latency: HistogramFamily) {
        self.resolved = resolved
        self.latency = latency
        classRows = []
        seriesIndexes = []
    }

    mutating func trimWindows(now: Int64) {
        if window.trim(now: now) { windowsVersion &+= 1 }
    }

    /// The window summaries by class.
    public mutating func windowSummaries() -> [WindowSummary] {
        if summaries.version != windowsVersion {
            summaries = (windowsVersion, window.summaries(quantiles: Self.windowQuantiles, tags: LifecycleClass.allCases.count))
        }
        return summaries.values
    }
}
