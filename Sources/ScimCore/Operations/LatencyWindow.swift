/// Latencies of operations that succeeded within a sliding window of event time, for exact quantiles.
public struct LatencyWindow: Sendable {
    public let windowMs: Int64
    private var times: [Int64] = []
    private var latencies: [Int64] = []
    private var head = 0

    public init(windowMs: Int64) {
        self.windowMs = windowMs
    }

    public var count: Int { times.count - head }

    public mutating func add(latencyMs: Int64, at time: Int64) {
        times.append(time)
        latencies.append(latencyMs)
    }

    /// Drops what is older than the window ending at `now`.
    public mutating func trim(now: Int64) {
        while head < times.count, times[head] <= now - windowMs { head += 1 }
        if head > 4096, head * 2 > times.count {
            times.removeFirst(head)
            latencies.removeFirst(head)
            head = 0
        }
    }

    /// Exact quantiles by nearest rank (the value at position ceil(q * n) of the sorted latencies),
    /// with the count and sum over the window; `nil` values when the window is empty.
    public func summary(quantiles: [Double]) -> WindowSummary {
        var sorted = Array(latencies[head...])
        sorted.sort()
        let values: [Double?] = quantiles.map { q in
            guard !sorted.isEmpty else { return nil }
            let rank = Int((q * Double(sorted.count)).rounded(.up))
            return Double(sorted[min(max(rank, 1), sorted.count) - 1]) / 1000
        }
        return WindowSummary(quantiles: quantiles, values: values, count: sorted.count,
                             sumSeconds: Double(sorted.reduce(0, +)) / 1000)
    }
}

/// A computed window summary, as exposed by `scim_operation_latency_window_seconds`.
public struct WindowSummary: Sendable, Equatable {
    public var quantiles: [Double]
    public var values: [Double?]
    public var count: Int
    public var sumSeconds: Double
}
