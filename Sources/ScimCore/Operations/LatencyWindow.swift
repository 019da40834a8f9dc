/// Latencies of operations that succeeded within a sliding window of event time, for exact quantiles.
/// Each latency carries a tag (the operation metrics use the lifecycle class), so that one window, one
/// append per operation, serves every class; a summary can be of one tag.
public struct LatencyWindow: Sendable {
    public let windowMs: Int64
    /// Succeeded operations in the order they resolved: time, and latency << 8 | tag.
    private var entries: [(time: Int64, latencyAndTag: Int64)] = []
    private var head = 0

    public init(windowMs: Int64) {
        self.windowMs = windowMs
    }

    public var count: Int { entries.count - head }

    /// `latencyMs` must not be negative.
    public mutating func add(latencyMs: Int64, at time: Int64, tag: UInt8 = 0) {
        entries.append((time, latencyMs << 8 | Int64(tag)))
    }

    /// Drops what is older than the window ending at `now`; returns whether anything was.
    @discardableResult
    public mutating func trim(now: Int64) -> Bool {
        let before = head
        while head < entries.count, entries[head].time <= now - windowMs { head += 1 }
        let dropped = head != before
        if head > 4096, head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
        return dropped
    }

    /// Exact quantiles by nearest rank (the value at position ceil(q * n) of the sorted latencies),
    /// with the count and sum over the window; `nil` values when the window is empty.
    public func summary(quantiles: [Double]) -> WindowSummary {
        Self.summary(of: entries[head...].map { $0.latencyAndTag >> 8 }, quantiles: quantiles)
    }

    /// The summary of each tag in `0..<tags`, from one pass over the window.
    public func summaries(quantiles: [Double], tags: Int) -> [WindowSummary] {
        var byTag = [[Int64]](repeating: [], count: tags)
        for e in entries[head...] {
            let tag = Int(UInt8(truncatingIfNeeded: e.latencyAndTag))
            if tag < tags { byTag[tag].append(e.latencyAndTag >> 8) }
        }
        return byTag.map { Self.summary(of: $0, quantiles: quantiles) }
    }

    private static func summary(of latencies: [Int64], quantiles: [Double]) -> WindowSummary {
        var values = latencies
        let n = values.count
        // Selection, not a full sort: each quantile is one nearest-rank element (O(n) on average). A
        // selection leaves nothing smaller after its rank, so a higher quantile searches from there.
        var searchedFrom = 0
        let results: [Double?] = quantiles.map { q in
            guard n > 0 else { return nil }
            let rank = min(max(Int((q * Double(n)).rounded(.up)), 1), n) - 1
            if rank < searchedFrom { searchedFrom = 0 }
            let value = Self.select(&values, rank, from: searchedFrom)
            searchedFrom = rank
            return Double(value) / 1000
        }
        return WindowSummary(quantiles: quantiles, values: results, count: n,
                             sumSeconds: Double(values.reduce(0, +)) / 1000)
    }

    /// The element that would be at `k` if `values` were sorted (Hoare's quickselect; reorders `values`
    /// so that nothing before `k` is larger and nothing after it smaller). `from`: the elements before it
    /// are known to be no larger than the rest (a previous selection's rank).
    static func select(_ values: inout [Int64], _ k: Int, from lowerBound: Int = 0) -> Int64 {
        var low = lowerBound
        var high = values.count - 1
        while low < high {
            let pivot = values[(low + high) / 2]
            var i = low
            var j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { high = j } else if k >= i { low = i } else { return values[k] }
        }
        return values[k]
    }
}

/// A computed window summary, as exposed by `scim_operation_latency_window_seconds`.
public struct WindowSummary: Sendable, Equatable {
    public var quantiles: [Double]
    public var values: [Double?]
    public var count: Int
    public var sumSeconds: Double
}
