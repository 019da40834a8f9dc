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
        let n = latencies.count
        let ranks = quantiles.map { q in min(max(Int((q * Double(n)).rounded(.up)), 1), n) - 1 }
        let values: [Double?] = n == 0 ? quantiles.map { _ in nil } : values(atRanks: ranks, of: latencies).map { Double($0) / 1000 }
        return WindowSummary(quantiles: quantiles, values: values, count: n,
                             sumSeconds: Double(latencies.reduce(0, &+)) / 1000)
    }

    /// The values at the nearest ranks `ranks` (0-based, each < count) of the sorted `latencies`.
    ///
    /// A large window is not selected in whole: one pass counts the values into logarithmic buckets (16
    /// per power of two, in order), which tells the bucket of each rank and its rank within; a second
    /// pass gathers those buckets' values only, to select in (a selection over the whole window for each
    /// quantile was most of a replay's summary time).
    static func values(atRanks ranks: [Int], of latencies: [Int64]) -> [Int64] {
        guard latencies.count > 4096 else {
            var values = latencies
            // Selection leaves nothing smaller after its rank, so a higher rank searches from there.
            var searchedFrom = 0
            return ranks.map { rank in
                if rank < searchedFrom { searchedFrom = 0 }
                defer { searchedFrom = rank }
                return select(&values, rank, from: searchedFrom)
            }
        }
        var counts = [Int](repeating: 0, count: bucketCount)
        for v in latencies { counts[bucket(v)] += 1 }
        // Each rank's bucket and its rank among that bucket's values.
        let located: [(bucket: Int, rank: Int)] = ranks.map { rank in
            var before = 0
            var b = 0
            while before + counts[b] <= rank {
                before += counts[b]
                b += 1
            }
            return (b, rank - before)
        }
        let needed = Array(Set(located.map(\.bucket))).sorted()
        var gathered = needed.map { b in [Int64]() }
        for (i, b) in needed.enumerated() { gathered[i].reserveCapacity(counts[b]) }
        for v in latencies {
            let b = bucket(v)
            if let i = needed.firstIndex(of: b) { gathered[i].append(v) }
        }
        return located.map { l in select(&gathered[needed.firstIndex(of: l.bucket)!], l.rank) }
    }

    /// Buckets of ``bucket(_:)``: 0-15 exact, then 16 per power of two up to 2^63.
    static let bucketCount = 60 * 16

    /// A logarithmic bucket, non-decreasing in the value: values below 16 have their own, and each power
    /// of two above is split in 16 by the four bits below its highest.
    @inline(__always)
    static func bucket(_ v: Int64) -> Int {
        guard v >= 16 else { return Int(max(v, 0)) }
        let high = 63 - v.leadingZeroBitCount
        return (high - 3) * 16 + Int((v >> (high - 4)) & 15)
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
