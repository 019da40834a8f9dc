/// The operation SLI metrics of metrics.md, fed by ``OperationTransition``s.
public struct OperationMetrics: Sendable {
    /// Buckets of `scim_operation_latency_seconds`: 1s to 1 day.
    public static let latencyBounds: [Double] = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400]
    public static let windowQuantiles: [Double] = [0.5, 0.95, 0.99]

    /// `scim_operations_total{tenant,target,class,result}`; small = class << 2 | result.
    public internal(set) var resolved = CounterFamily()
    /// `scim_operation_latency_seconds{target,class}` of succeeded operations.
    public internal(set) var latency = HistogramFamily(bounds: latencyBounds)
    /// `scim_operations_open{tenant,target,class}`.
    public internal(set) var open = GaugeFamily()
    /// `scim_deprovisions_overdue{tenant,target}`.
    public internal(set) var overdue = GaugeFamily()
    /// Succeeded latencies per class within the sliding window.
    var windows: [LatencyWindow]

    public init(windowMs: Int64 = 3_600_000) {
        windows = LifecycleClass.allCases.map { _ in LatencyWindow(windowMs: windowMs) }
    }

    static func small(_ c: LifecycleClass, _ r: OperationResult) -> UInt8 { c.rawValue << 2 | r.rawValue }

    /// Counts an operation that was opened (or restored open).
    mutating func opened(_ op: OpenOperation) {
        open.add(SeriesKey.pack(tenant: op.tenant, target: op.target, small: op.lifecycleClass.rawValue), 1)
        if op.overdue { overdue.add(SeriesKey.pack(tenant: op.tenant, target: op.target), 1) }
    }

    mutating func apply(_ t: OperationTransition) {
        switch t {
        case .opened(let op):
            opened(op)
        case .resolved(let op, let result, let time, let latencyMs, let wasOpen):
            resolved.add(SeriesKey.pack(tenant: op.tenant, target: op.target, small: Self.small(op.lifecycleClass, result)))
            if wasOpen {
                open.add(SeriesKey.pack(tenant: op.tenant, target: op.target, small: op.lifecycleClass.rawValue), -1)
                if op.overdue { overdue.add(SeriesKey.pack(tenant: op.tenant, target: op.target), -1) }
            }
            if result == .succeeded {
                latency.observe(SeriesKey.pack(target: op.target, small: op.lifecycleClass.rawValue), Double(latencyMs) / 1000)
                windows[Int(op.lifecycleClass.rawValue)].add(latencyMs: latencyMs, at: time)
            }
        case .overdue(let op, _):
            overdue.add(SeriesKey.pack(tenant: op.tenant, target: op.target), 1)
        }
    }

    mutating func trimWindows(now: Int64) {
        for i in windows.indices { windows[i].trim(now: now) }
    }

    /// The window summaries by class.
    public func windowSummaries() -> [WindowSummary] {
        windows.map { $0.summary(quantiles: Self.windowQuantiles) }
    }
}
