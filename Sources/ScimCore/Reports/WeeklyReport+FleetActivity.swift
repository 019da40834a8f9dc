extension WeeklyReport {
    /// Requests and deprovisions by day for a fleet report, from the growth (see ``CounterIncrements``) of
    /// `scim_requests_total` grouped by `code` and of `scim_operation_latency_seconds_bucket{class="deprovision"}`
    /// grouped by `le`. Attempts are every attempt the counter saw (late lines too); deprovisions are the
    /// histogram's `+Inf` bucket; a latency percentile is the upper bound of the histogram bucket holding it
    /// (nearest rank; past the last finite bound reads as that bound).
    public static func fleetActivity(requests: CounterIncrements, latency: CounterIncrements, week: ReportWeek) -> [Activity] {
        let days = week.dayBoundaries
        let bounds = latency.groups.compactMap { le in Double(le).map { (le, $0) } }.sorted { $0.1 < $1.1 }
        return (0..<7).map { d in
            let (start, end) = (days[d], days[d + 1])
            let attempts = requests.groups.reduce(UInt64(0)) { $0.addingSaturated(requests.total($1, from: start, to: end)) }
            let auth = requests.total("401", from: start, to: end).addingSaturated(requests.total("403", from: start, to: end))
            let limited = requests.total("429", from: start, to: end)
            let cumulative = bounds.map { ($0.1, latency.total($0.0, from: start, to: end)) }
            let deprovisions = cumulative.last { $0.0.isInfinite }?.1 ?? cumulative.map(\.1).max() ?? 0
            func quantile(_ q: Double) -> Double? {
                guard deprovisions > 0 else { return nil }
                let rank = max(1, UInt64((q * Double(deprovisions)).rounded(.up)))
                let finite = cumulative.filter { $0.0.isFinite }
                return finite.first { $0.1 >= rank }?.0 ?? finite.last?.0
            }
            return Activity(
                date: week.date(start), attempts: attempts,
                authFailureShare: attempts == 0 ? nil : round6(Double(auth) / Double(attempts)),
                rateLimitedShare: attempts == 0 ? nil : round6(Double(limited) / Double(attempts)),
                deprovisions: deprovisions, latencyP50: quantile(0.5), latencyP95: quantile(0.95), latencyP99: quantile(0.99))
        }
    }
}
