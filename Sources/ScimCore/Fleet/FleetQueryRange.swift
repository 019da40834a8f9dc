/// The span and steps of the `query_range` queries behind a fleet report, cut into chunks that
/// Prometheus accepts (it refuses more than ``maxPointsPerSeries`` points per series in one query).
public struct FleetQueryRange: Sendable, Equatable {
    /// Prometheus's limit of points per series in one `query_range` answer.
    public static let maxPointsPerSeries = 11_000

    /// The first step: its values are the baseline of every series (epoch ms, a whole minute).
    public var startMs: Int64
    /// The last step (epoch ms, a whole minute), at least ``startMs`` unless the range is empty.
    public var endMs: Int64
    /// One minute: the resolution of the SLO engine's counts.
    public var stepMs: Int64 = 60_000

    public init(startMs: Int64, endMs: Int64, stepMs: Int64 = 60_000) {
        self.startMs = startMs
        self.endMs = endMs
        self.stepMs = stepMs
    }

    /// What the report of `week` reads for SLOs of these `periods` (ms): the same span as the SLO engine
    /// keeps (the longest period plus a week, and at least the previous week), ending at the week's end
    /// or at `now` (rounded up to the minute) if sooner. Empty when the week starts after `now`.
    public init(week: ReportWeek, periodsMs: [Int64], now: Int64) {
        let span = max((periodsMs.max() ?? 0) + 7 * 86_400_000, 14 * 86_400_000)
        startMs = (week.endMs - span).floorDiv(60_000) * 60_000
        let nowStep = (now + 59_999).floorDiv(60_000) * 60_000
        endMs = min(week.endMs, nowStep)
    }

    /// What the requests and deprovisions by day read: the week alone at one-hour steps (the counters
    /// of requests have a series per tenant, target, operation and code: minutes would be too many points),
    /// ending at the week's end or at `now` rounded up to the step if sooner.
    public static func activity(of week: ReportWeek, now: Int64) -> FleetQueryRange {
        let hour: Int64 = 3_600_000
        let nowStep = week.startMs + max(0, now - week.startMs + hour - 1) / hour * hour
        return FleetQueryRange(startMs: week.startMs, endMs: now < week.startMs ? week.startMs - hour : min(week.endMs, nowStep), stepMs: hour)
    }

    public var isEmpty: Bool { endMs < startMs }

    /// Consecutive, non-overlapping chunks of at most `maxPoints` steps each, oldest first.
    public func chunks(maxPoints: Int = FleetQueryRange.maxPointsPerSeries) -> [(startMs: Int64, endMs: Int64)] {
        guard !isEmpty else { return [] }
        let span = Int64(max(1, maxPoints) - 1) * stepMs
        var out: [(Int64, Int64)] = []
        var start = startMs
        while start <= endMs {
            let end = min(start + span, endMs)
            out.append((start, end))
            start = end + stepMs
        }
        return out
    }
}
