/// What the weekly report charts besides SLOs, per hour of event time over the last 15 days: attempts
/// with 401/403 and 429 answers, and the latency of succeeded deprovisions in log buckets. A ring of
/// hour slots, so the per-event cost is a comparison and a few increments. Persisted in the checkpoint's
/// `hourly` section.
public struct HourlyActivity: Sendable, Equatable {
    /// Hours kept: two weeks and a day.
    public static let keptHours = 15 * 24
    /// Latency bucket upper bounds, seconds: 1 s x 1.25^k up to a day and more, so a quantile read from
    /// them is at most 25% above the true value.
    public static let latencyBounds: [Double] = (0..<52).map { pow125($0) }
    static func pow125(_ k: Int) -> Double { (0..<k).reduce(1.0) { r, _ in r * 1.25 } }

    private var hour: [Int64]
    private var attempts: [UInt32]
    private var auth: [UInt32]
    private var limited: [UInt32]
    /// `keptHours` x (bounds + 1) counts; the last bucket of each hour is "above every bound".
    private var latency: [UInt32]
    private var newestHourStart: Int64 = .max
    private var newestSlot = 0

    public init() {
        hour = Array(repeating: .min, count: Self.keptHours)
        attempts = Array(repeating: 0, count: Self.keptHours)
        auth = attempts
        limited = attempts
        latency = Array(repeating: 0, count: Self.keptHours * (Self.latencyBounds.count + 1))
    }

    /// The slot of `time`'s hour, cleared when the hour is new; nil when older than the ring.
    @inline(__always)
    private mutating func slot(_ time: Int64) -> Int? {
        if time >= newestHourStart, time < newestHourStart + 3_600_000 { return newestSlot }
        let h = time.floorDiv(3_600_000)
        let s = Int(h.floorMod(Int64(Self.keptHours)))
        if hour[s] != h {
            guard h > hour[s] else { return nil }
            hour[s] = h
            attempts[s] = 0
            auth[s] = 0
            limited[s] = 0
            let w = Self.latencyBounds.count + 1
            for i in s * w..<(s + 1) * w { latency[i] = 0 }
        }
        if newestHourStart == .max || h * 3_600_000 > newestHourStart {
            newestHourStart = h * 3_600_000
            newestSlot = s
        }
        return s
    }

    /// One attempt with its counted status.
    @inline(__always)
    public mutating func recordAttempt(status: Int16, at time: Int64) {
        guard let s = slot(time) else { return }
        attempts[s] &+= 1
        if status == 401 || status == 403 { auth[s] &+= 1 }
        if status == 429 { limited[s] &+= 1 }
    }

    /// One deprovision that succeeded after `latencyMs`.
    public mutating func recordDeprovision(latencyMs: Int64, at time: Int64) {
        guard let s = slot(time) else { return }
        let seconds = Double(latencyMs) / 1000
        let b = Self.latencyBounds.withUnsafeBufferPointer { firstBound(atLeast: seconds, in: $0) }
        latency[s * (Self.latencyBounds.count + 1) + b] &+= 1
    }

    /// Sums over the hours starting in [start, end) (epoch ms).
    public func sum(from start: Int64, to end: Int64) -> Summary {
        var out = Summary(buckets: Array(repeating: 0, count: Self.latencyBounds.count + 1))
        let w = Self.latencyBounds.count + 1
        for s in 0..<Self.keptHours where hour[s] != .min && hour[s] * 3_600_000 >= start && hour[s] * 3_600_000 < end {
            out.attempts += UInt64(attempts[s])
            out.auth += UInt64(auth[s])
            out.limited += UInt64(limited[s])
            for b in 0..<w { out.buckets[b] += UInt64(latency[s * w + b]) }
        }
        return out
    }

    /// Counts over some hours.
    public struct Summary: Sendable, Equatable {
        public var attempts: UInt64 = 0
        public var auth: UInt64 = 0
        public var limited: UInt64 = 0
        public var buckets: [UInt64]

        public var deprovisions: UInt64 { buckets.reduce(0, +) }

        /// The upper bound (seconds) of the bucket holding the `q` quantile (nearest rank); nil with no
        /// deprovision.
        public func latencyQuantile(_ q: Double) -> Double? {
            let n = deprovisions
            guard n > 0 else { return nil }
            let rank = max(1, UInt64((q * Double(n)).rounded(.up)))
            var seen: UInt64 = 0
            for (b, c) in buckets.enumerated() {
                seen += c
                // Past the last bound (about a day) reads as the last bound: JSON has no infinity.
                if seen >= rank { return HourlyActivity.latencyBounds[min(b, HourlyActivity.latencyBounds.count - 1)] }
            }
            return HourlyActivity.latencyBounds.last
        }
    }

    /// For the checkpoint: the non-empty hours only.
    public func encoded() -> [UInt8] {
        var w = StateWriter()
        let used = (0..<Self.keptHours).filter { hour[$0] != .min }
        w.write(used.count)
        let width = Self.latencyBounds.count + 1
        for s in used {
            w.write(hour[s])
            w.write([UInt64(attempts[s]), UInt64(auth[s]), UInt64(limited[s])] + latency[s * width..<(s + 1) * width].map(UInt64.init))
        }
        return w.bytes
    }

    /// Restores what ``encoded()`` wrote.
    public mutating func restore(_ bytes: [UInt8]) throws(StateDecodingError) {
        var r = StateReader(bytes)
        self = HourlyActivity()
        let width = Self.latencyBounds.count + 1
        var newest = Int64.min
        for _ in 0..<(try r.readInt()) {
            let h = try r.readInt64()
            let values = try r.readUInt64s()
            guard values.count == 3 + width else { continue }
            let s = Int(h.floorMod(Int64(Self.keptHours)))
            hour[s] = h
            attempts[s] = UInt32(truncatingIfNeeded: values[0])
            auth[s] = UInt32(truncatingIfNeeded: values[1])
            limited[s] = UInt32(truncatingIfNeeded: values[2])
            for b in 0..<width { latency[s * width + b] = UInt32(truncatingIfNeeded: values[3 + b]) }
            newest = max(newest, h)
        }
        if newest != .min {
            newestHourStart = newest * 3_600_000
            newestSlot = Int(newest.floorMod(Int64(Self.keptHours)))
        }
    }
}

/// The index of the first of the ascending `bounds` at or above `value` (`bounds.count` when none is): a
/// binary search whose steps select rather than branch (6 steps for 52 bounds, each a conditional move;
/// a branch there mispredicted every other step, the latencies being in no order).
@inline(__always)
func firstBound(atLeast value: Double, in bounds: UnsafeBufferPointer<Double>) -> Int {
    guard !bounds.isEmpty else { return 0 }
    var base = 0
    var length = bounds.count
    while length > 1 {
        let half = length / 2
        base = bounds[base + half - 1] < value ? base + half : base
        length -= half
    }
    return base + (bounds[base] < value ? 1 : 0)
}
