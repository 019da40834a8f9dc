/// How much a counter family grew in each minute, summed over its series (one per instance), from the
/// raw counter values Prometheus returns at each step of a `query_range` of
/// `last_over_time(COUNTER[1m])` with one-minute steps (the last scraped value of each minute: unlike the
/// bare name, it still has the last value of an instance that stopped inside the minute).
///
/// Exact arithmetic on each series, not PromQL's extrapolating `increase`:
/// - the growth between two consecutive points of a series is their difference, put in the minute that
///   ends at the later point (`(t - 1 ms)` floored to the minute: steps fall on whole minutes);
/// - a value below the previous one is a counter reset (the instance restarted without its state):
///   the growth is the new value, as counted from zero since the restart;
/// - a series that reappears after a gap is compared with its last value before the gap;
/// - a point at or before ``baselineMs`` (the first step of the range) is only the starting value;
/// - a series whose first point is after ``baselineMs`` is a new instance: its first value counts, from
///   zero, unless ``seed(_:)`` gave its value before the range (an instance that was down at the start).
///
/// Feed the answers of consecutive chunks in time order; points already seen (an overlap) are skipped.
public struct CounterIncrements: Sendable {
    /// The label that groups the series, e.g. `slo`; series without it are ignored.
    public let groupLabel: String
    /// Points at or before this time (epoch ms) are baselines, not growth.
    public let baselineMs: Int64
    /// group value -> minute (epoch ms / 60 000) -> growth in that minute.
    public private(set) var minutes: [String: [Int64: UInt64]] = [:]
    /// Counter resets seen (a value lower than the series' previous one).
    public private(set) var resets = 0
    /// Series that first appeared after the baseline and were counted from zero.
    public private(set) var newSeries = 0
    private var last: [String: PrometheusAnswer.Sample] = [:]

    public init(groupLabel: String, baselineMs: Int64) {
        self.groupLabel = groupLabel
        self.baselineMs = baselineMs
    }

    /// Takes the value of each series before the range (an instant query of `last_over_time(COUNTER[LONG])`
    /// at ``baselineMs``) as its starting value, so that an instance absent at the first step is compared
    /// with its value before it went away rather than counted from zero. Call before ``add(_:)``.
    public mutating func seed(_ answer: PrometheusAnswer) {
        for series in answer.series where series.labels[groupLabel] != nil {
            guard let value = series.samples.last?.value, value.isFinite, value >= 0 else { continue }
            last[Self.key(series.labels)] = PrometheusAnswer.Sample(timeMs: baselineMs, value: value)
        }
    }

    /// Adds the points of one answer (a `query_range` chunk).
    public mutating func add(_ answer: PrometheusAnswer) {
        for series in answer.series {
            guard let group = series.labels[groupLabel] else { continue }
            let key = Self.key(series.labels)
            for sample in series.samples where sample.value.isFinite && sample.value >= 0 {
                add(sample, series: key, group: group)
            }
        }
    }

    private mutating func add(_ sample: PrometheusAnswer.Sample, series key: String, group: String) {
        let growth: Double
        if let previous = last[key] {
            guard sample.timeMs > previous.timeMs else { return }
            if sample.value >= previous.value {
                growth = sample.value - previous.value
            } else {
                resets += 1
                growth = sample.value
            }
        } else if sample.timeMs <= baselineMs {
            growth = 0
        } else {
            newSeries += 1
            growth = sample.value
        }
        last[key] = sample
        // Past 2^53 a Double is no exact count (a foreign or corrupt series): clamped, and the sums saturate,
        // so that no answer can stop the report with an overflow.
        let amount = growth < 0x1p53 ? UInt64(growth.rounded()) : 1 << 53
        guard amount > 0 else { return }
        let minute = (sample.timeMs - 1).floorDiv(60_000)
        minutes[group, default: [:]][minute] = (minutes[group]?[minute] ?? 0).addingSaturated(amount)
    }

    /// The growth of `group` per minute, oldest first.
    public func perMinute(_ group: String) -> [(minute: Int64, count: UInt64)] {
        (minutes[group] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// How many series (instances x groups) had at least one point.
    public var seriesSeen: Int { last.count }

    /// The groups seen, sorted.
    public var groups: [String] { minutes.keys.sorted() }

    /// The growth of `group` in the minutes starting in [`startMs`, `endMs`).
    public func total(_ group: String, from startMs: Int64, to endMs: Int64) -> UInt64 {
        let first = startMs.floorDiv(60_000), end = endMs.floorDiv(60_000)
        return (minutes[group] ?? [:]).reduce(0) { $0.addingSaturated($1.key >= first && $1.key < end ? $1.value : 0) }
    }

    /// The whole growth of `group`.
    public func total(_ group: String) -> UInt64 { (minutes[group] ?? [:]).values.reduce(0) { $0.addingSaturated($1) } }

    /// A series' identity: every label (`__name__` too), sorted.
    static func key(_ labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1}")
    }
}

extension UInt64 {
    /// `self + other`, or `.max` where that overflows: sums of counts read from Prometheus.
    func addingSaturated(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
