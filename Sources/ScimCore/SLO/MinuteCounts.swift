/// Good and bad event counts per minute of event time for one SLO, over a bounded span of minutes
/// (the period plus a week), so every window is an exact ratio of sums of whole minutes.
public struct MinuteCounts: Sendable, Equatable {
    /// How many minutes are kept.
    public let capacity: Int
    /// The minute (epoch ms / 60 000) of slot `newestMinute % capacity`.
    public private(set) var newestMinute: Int64 = .min
    private var totals: [UInt32]
    private var bads: [UInt32]
    /// The newest minute's start (epoch ms) and slot, for the fast path of ``add(total:bad:at:)``.
    private var newestMinuteStart: Int64 = .max
    private var newestSlot = 0

    public init(capacityMinutes: Int) {
        capacity = max(capacityMinutes, 60)
        totals = Array(repeating: 0, count: capacity)
        bads = Array(repeating: 0, count: capacity)
    }

    @inline(__always)
    static func minute(of timeMs: Int64) -> Int64 { timeMs.floorDiv(60_000) }

    /// Adds events at `timeMs`. Returns false (and counts nothing) when the minute is older than the span.
    @discardableResult
    public mutating func add(total: UInt32, bad: UInt32, at timeMs: Int64) -> Bool {
        // Most events fall in the newest minute: skip the division and the modulo for them.
        if timeMs >= newestMinuteStart, timeMs < newestMinuteStart + 60_000 {
            totals[newestSlot] &+= total
            bads[newestSlot] &+= bad
            return true
        }
        let m = Self.minute(of: timeMs)
        if newestMinute == .min {
            newestMinute = m
            newestMinuteStart = m * 60_000
            newestSlot = Int(m.floorMod(Int64(capacity)))
        }
        if m > newestMinute { advance(to: m) }
        guard m > newestMinute - Int64(capacity) else { return false }
        let slot = Int(m.floorMod(Int64(capacity)))
        totals[slot] &+= total
        bads[slot] &+= bad
        return true
    }

    /// Moves the newest minute forward, clearing the minutes that fall out of the span.
    mutating func advance(to m: Int64) {
        let steps = min(m - newestMinute, Int64(capacity))
        for k in 1...max(steps, 1) where steps > 0 {
            let slot = Int((newestMinute + k).floorMod(Int64(capacity)))
            totals[slot] = 0
            bads[slot] = 0
        }
        newestMinute = m
        newestMinuteStart = m * 60_000
        newestSlot = Int(m.floorMod(Int64(capacity)))
    }

    /// Sums over the `minutes` whole minutes ending with minute `lastMinute` (inclusive). The minutes
    /// are at most two contiguous runs of slots (the ring wraps once): summed without a division per
    /// minute, since a burn-rate evaluation sums days of minutes for many series.
    public func sum(minutes: Int64, endingAt lastMinute: Int64) -> (total: UInt64, bad: UInt64) {
        guard newestMinute != .min else { return (0, 0) }
        let first = max(lastMinute - minutes + 1, newestMinute - Int64(capacity) + 1)
        let last = min(lastMinute, newestMinute)
        guard first <= last else { return (0, 0) }
        let start = Int(first.floorMod(Int64(capacity)))
        let count = Int(last - first + 1)
        let head = min(count, capacity - start)
        let total = Self.sum(totals, start, head) &+ Self.sum(totals, 0, count - head)
        let bad = Self.sum(bads, start, head) &+ Self.sum(bads, 0, count - head)
        return (total, bad)
    }

    @inline(__always)
    private static func sum(_ values: [UInt32], _ start: Int, _ count: Int) -> UInt64 {
        values.withUnsafeBufferPointer { v in
            var s: UInt64 = 0
            for i in start..<(start + count) { s &+= UInt64(v[i]) }
            return s
        }
    }

    /// The non-empty minutes, oldest first, for persistence: (minute, total, bad).
    public var nonEmptyMinutes: [(Int64, UInt32, UInt32)] {
        guard newestMinute != .min else { return [] }
        return (0..<Int64(capacity)).reversed().compactMap { back in
            let m = newestMinute - back
            let slot = Int(m.floorMod(Int64(capacity)))
            return totals[slot] == 0 && bads[slot] == 0 ? nil : (m, totals[slot], bads[slot])
        }
    }

    /// Restores what ``nonEmptyMinutes`` returned.
    public mutating func restore(newestMinute: Int64, minutes: [(Int64, UInt32, UInt32)]) {
        self.newestMinute = newestMinute
        newestMinuteStart = newestMinute * 60_000
        newestSlot = Int(newestMinute.floorMod(Int64(capacity)))
        for (m, t, b) in minutes where m > newestMinute - Int64(capacity) && m <= newestMinute {
            let slot = Int(m.floorMod(Int64(capacity)))
            totals[slot] = t
            bads[slot] = b
        }
    }

    public static func == (a: MinuteCounts, b: MinuteCounts) -> Bool {
        a.newestMinute == b.newestMinute && a.nonEmptyMinutes.map { [$0.0, Int64($0.1), Int64($0.2)] }
            == b.nonEmptyMinutes.map { [$0.0, Int64($0.1), Int64($0.2)] }
    }
}

extension BinaryInteger {
    /// The remainder with the sign of the divisor (for ring buffer slots of negative minutes).
    @inlinable func floorMod(_ d: Self) -> Self {
        let r = self % d
        return r < 0 ? r + d : r
    }
}
