/// Latencies of operations that succeeded within a sliding window of event time, for exact quantiles.
/// Each latency carries a tag (the operation metrics use the lifecycle class), so that one window, one
/// append per operation, serves every class; a summary can be of one tag.
public struct LatencyWindow: Sendable {
    public let windowMs: Int64
    /// Succeeded operations in the order they resolved.
    private var entries = ChunkedFIFO(filler: Entry(time: 0, latencyAndTag: 0))

    struct Entry: BitwiseCopyable, Sendable {
        var time: Int64
        /// latency << 8 | tag
        var latencyAndTag: Int64
        var latency: Int64 { latencyAndTag >> 8 }
        var tag: Int { Int(UInt8(truncatingIfNeeded: latencyAndTag)) }
    }

    public init(windowMs: Int64) {
        self.windowMs = windowMs
    }

    public var count: Int { entries.count }

    /// `latencyMs` must not be negative.
    @inline(__always)
    public mutating func add(latencyMs: Int64, at time: Int64, tag: UInt8 = 0) {
        entries.append(Entry(time: time, latencyAndTag: latencyMs << 8 | Int64(tag)))
    }

    /// Drops what is older than the window ending at `now`; returns whether anything was.
    @discardableResult
    public mutating func trim(now: Int64) -> Bool {
        let cutoff = now - windowMs
        return entries.removeFirst { $0.time <= cutoff } > 0
    }

    /// Exact quantiles by nearest rank (the value at position ceil(q * n) of the sorted latencies),
    /// with the count and sum over the window, whatever the tags; `nil` values when the window is empty.
    public func summary(quantiles: [Double]) -> WindowSummary {
        entries.withBuffers { Self.summaries(quantiles: quantiles, groups: 1, byTag: false, of: $0) }[0]
    }

    /// The summary of each tag in `0..<tags`, from two passes over the window.
    public func summaries(quantiles: [Double], tags: Int) -> [WindowSummary] {
        entries.withBuffers { Self.summaries(quantiles: quantiles, groups: tags, byTag: true, of: $0) }
    }

    /// The values at the nearest ranks `ranks` (0-based, each < count) of the sorted `latencies`.
    static func values(atRanks ranks: [Int], of latencies: [Int64]) -> [Int64] {
        let entries = latencies.map { Entry(time: 0, latencyAndTag: $0 << 8) }
        return entries.withUnsafeBufferPointer { select(groups: 1, byTag: false, ranks: { _ in ranks }, of: [$0]) }.values[0]
    }

    private static func summaries(quantiles: [Double], groups: Int, byTag: Bool,
                                  of entries: [UnsafeBufferPointer<Entry>]) -> [WindowSummary] {
        let ranksOfCount = { (n: Int) in quantiles.map { q in min(max(Int((q * Double(n)).rounded(.up)), 1), n) - 1 } }
        let selection = select(groups: groups, byTag: byTag, ranks: { n in n == 0 ? [] : ranksOfCount(n) }, of: entries)
        return (0..<groups).map { g in
            let n = selection.counts[g]
            return WindowSummary(quantiles: quantiles,
                                 values: n == 0 ? quantiles.map { _ in nil } : selection.values[g].map { Double($0) / 1000 },
                                 count: n, sumSeconds: Double(selection.sums[g]) / 1000)
        }
    }

    /// For each group of `entries` (their tag when `byTag`, tags from `groups` on left out; else one
    /// group of all): the count, the sum, and the latencies at the nearest ranks `ranks(count)` (0-based)
    /// of its sorted latencies.
    ///
    /// Nothing is sorted or copied in whole: one pass counts each group's values into logarithmic buckets
    /// (16 per power of two, in order), which tells the bucket of each rank and its rank within; a second
    /// pass gathers those buckets' values only, to select in (a selection over the whole window for each
    /// quantile was most of a replay's summary time, and copying the window by tag most of the rest).
    static func select(groups: Int, byTag: Bool, ranks: (Int) -> [Int], of entries: [UnsafeBufferPointer<Entry>])
        -> (counts: [Int], sums: [Int64], values: [[Int64]]) {
        var sums = [Int64](repeating: 0, count: groups)
        var bucketCounts = [Int](repeating: 0, count: groups * bucketCount)
        // The group of an entry without a branch on `byTag` per entry: its tag, masked to 0 when not by tag.
        let tagMask = byTag ? 0xFF : 0
        // Through buffer pointers: this loop runs over the whole window, and the arrays' checks per
        // element were most of its time. Counts are the sums of the buckets, taken after.
        sums.withUnsafeMutableBufferPointer { sums in
            bucketCounts.withUnsafeMutableBufferPointer { bucketCounts in
                forEachLatency(in: entries, groups: groups, tagMask: tagMask) { g, v, b in
                    sums[g] &+= v
                    bucketCounts[b] &+= 1
                }
            }
        }
        let counts = (0..<groups).map { g in bucketCounts[g * bucketCount..<(g + 1) * bucketCount].reduce(0, +) }
        // Each rank's bucket, and its rank among that bucket's values; the buckets needed get a gather
        // slot: a run of one flat array, as long as the bucket's count (`runStarts`: each run's start,
        // then the end of the last).
        var slotOfBucket = [Int32](repeating: -1, count: groups * bucketCount)
        var runStarts = [0]
        var located: [[(slot: Int, rank: Int)]] = []
        for g in 0..<groups {
            located.append(ranks(counts[g]).map { rank in
                var before = 0
                var b = g * bucketCount
                while before + bucketCounts[b] <= rank {
                    before += bucketCounts[b]
                    b += 1
                }
                if slotOfBucket[b] < 0 {
                    slotOfBucket[b] = Int32(runStarts.count - 1)
                    runStarts.append(runStarts[runStarts.count - 1] + bucketCounts[b])
                }
                return (Int(slotOfBucket[b]), rank - before)
            })
        }
        var gathered = gather(entries, groups: groups, tagMask: tagMask, slotOfBucket: slotOfBucket, runStarts: runStarts)
        // A later rank in the same bucket searches from the previous one's (selection leaves nothing
        // smaller after its rank); ranks come in increasing order. In buffer pointers, as the gather.
        var searchedFrom = [Int](repeating: 0, count: runStarts.count - 1)
        let values = gathered.withUnsafeMutableBufferPointer { gathered in
            located.map { group in
                group.map { l in
                    if l.rank < searchedFrom[l.slot] { searchedFrom[l.slot] = 0 }
                    defer { searchedFrom[l.slot] = l.rank }
                    let run = UnsafeMutableBufferPointer(rebasing: gathered[runStarts[l.slot]..<runStarts[l.slot + 1]])
                    return selectRank(run, l.rank, from: searchedFrom[l.slot])
                }
            }
        }
        return (counts, sums, values)
    }

    /// The latencies of the entries whose group and bucket have a gather slot, each slot's in its run
    /// (from `runStarts[slot]`), through buffer pointers: an array's checks per element (and a nested
    /// array's, per append) were most of this pass's time.
    private static func gather(_ entries: [UnsafeBufferPointer<Entry>], groups: Int, tagMask: Int,
                               slotOfBucket: [Int32], runStarts: [Int]) -> [Int64] {
        var gathered = [Int64](repeating: 0, count: runStarts[runStarts.count - 1])
        guard !gathered.isEmpty else { return gathered }
        var ends = runStarts
        gathered.withUnsafeMutableBufferPointer { gathered in
            ends.withUnsafeMutableBufferPointer { ends in
                slotOfBucket.withUnsafeBufferPointer { slotOfBucket in
                    forEachLatency(in: entries, groups: groups, tagMask: tagMask) { _, v, b in
                        let slot = Int(slotOfBucket[b])
                        if slot >= 0 {
                            gathered[ends[slot]] = v
                            ends[slot] += 1
                        }
                    }
                }
            }
        }
        return gathered
    }

    /// Calls `body` with each entry's group (its tag masked by `tagMask`; tags from `groups` on are
    /// left out), latency, and index in a table of ``bucketCount`` buckets per group: the loop of both
    /// passes over the window.
    @inline(__always)
    private static func forEachLatency(in entries: [UnsafeBufferPointer<Entry>], groups: Int, tagMask: Int,
                                       _ body: (_ group: Int, _ latency: Int64, _ bucketIndex: Int) -> Void) {
        for buffer in entries {
            for e in buffer {
                let g = e.tag & tagMask
                guard g < groups else { continue }
                let v = e.latency
                body(g, v, g * bucketCount + bucket(v))
            }
        }
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
    static func selectRank(_ values: UnsafeMutableBufferPointer<Int64>, _ k: Int, from lowerBound: Int = 0) -> Int64 {
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
