/// Request-level SLI counters (metrics.md): requests, durations, retries, bulk operations.
public struct RequestMetrics: Sendable {
    /// Upper bounds of `scim_request_duration_seconds`.
    public static let durationBounds: [Double] = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    /// `scim_requests_total{tenant,target,operation,code}`.
    public internal(set) var requests = CounterFamily()
    /// `scim_request_duration_seconds{target,operation}`.
    public internal(set) var durations = HistogramFamily(bounds: durationBounds)
    /// `scim_retries_total{tenant,target,operation}`.
    public internal(set) var retries = CounterFamily()
    /// `scim_bulk_operations_total{tenant,target,result}`; small = 0 succeeded, 1 failed.
    public internal(set) var bulk = CounterFamily()

    public init() {}

    /// Counts one event.
    @inline(__always)
    public mutating func record(_ e: Event) {
        guard let code = e.countedStatus else { return }
        let op = e.operation.rawValue
        requests.add(SeriesKey.pack(tenant: e.tenant, target: e.target, small: op, code: code))
        if e.durationMs >= 0 {
            durations.observe(SeriesKey.pack(target: e.target, small: op), e.durationMs / 1000)
        }
        if e.attempt >= 2 {
            retries.add(SeriesKey.pack(tenant: e.tenant, target: e.target, small: op))
        }
        if e.bulkTotal > 0 {
            let failed = UInt64(e.bulkFailed)
            let succeeded = UInt64(e.bulkTotal) - failed
            if succeeded > 0 { bulk.add(SeriesKey.pack(tenant: e.tenant, target: e.target, small: 0), succeeded) }
            if failed > 0 { bulk.add(SeriesKey.pack(tenant: e.tenant, target: e.target, small: 1), failed) }
        }
    }
}
