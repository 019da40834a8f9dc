/// Counters keyed by a packed label key (see ``SeriesKey``).
public struct CounterFamily: Sendable {
    public private(set) var index = SeriesIndex()
    public private(set) var values: [UInt64] = []

    public init() {}

    @inline(__always)
    public mutating func add(_ key: UInt64, _ amount: UInt64 = 1) {
        values[series(key)] &+= amount
    }

    /// The index of `key`'s series, created at 0 when new (indexes never change).
    @inline(__always)
    public mutating func series(_ key: UInt64) -> Int {
        let (i, isNew) = index.index(of: key)
        if isNew { values.append(0) }
        return i
    }

    /// Adds to the series at an index that ``series(_:)`` returned.
    @inline(__always)
    public mutating func add(atSeries i: Int, _ amount: UInt64 = 1) { values[i] &+= amount }

    /// The value of one series (0 when absent).
    public func value(_ key: UInt64) -> UInt64 {
        index.existingIndex(of: key).map { values[$0] } ?? 0
    }

    /// Series as (key, value) pairs, for persistence and exposition.
    public var series: [(key: UInt64, value: UInt64)] {
        Array(zip(index.keys, values)).map { (key: $0.0, value: $0.1) }
    }

    /// Restores from (key, value) pairs.
    public init(series: [(key: UInt64, value: UInt64)]) {
        for (key, value) in series { add(key, value) }
    }
}

/// A histogram per packed label key, with fixed upper bounds (in seconds).
public struct HistogramFamily: Sendable {
    public let bounds: [Double]
    public private(set) var index = SeriesIndex()
    /// Per series, `bounds.count` non-cumulative bucket counts (the +Inf bucket is `counts - sum of these`).
    public private(set) var buckets: [UInt64] = []
    /// Per series, the sum and count side by side (one place written per observation, not two).
    private var totals: [(sum: Double, count: UInt64)] = []

    public var counts: [UInt64] { totals.map(\.count) }
    public func sum(_ i: Int) -> Double { totals[i].sum }

    public init(bounds: [Double]) {
        self.bounds = bounds
    }

    @inline(__always)
    public mutating func observe(_ key: UInt64, _ value: Double) {
        observe(atSeries: series(key), value)
    }

    /// The index of `key`'s series, created empty when new (indexes never change).
    @inline(__always)
    public mutating func series(_ key: UInt64) -> Int {
        let (i, isNew) = index.index(of: key)
        if isNew {
            buckets.append(contentsOf: repeatElement(0, count: bounds.count))
            totals.append((0, 0))
        }
        return i
    }

    /// Observes into the series at an index that ``series(_:)`` returned.
    @inline(__always)
    public mutating func observe(atSeries i: Int, _ value: Double) {
        let b = bounds.withUnsafeBufferPointer { firstBound(atLeast: value, in: $0) }
        if b < bounds.count { buckets[i * bounds.count + b] &+= 1 }
        totals[i].sum += value
        totals[i].count &+= 1
    }

    /// Cumulative bucket counts of series `i`, `+Inf` last.
    public func cumulative(_ i: Int) -> [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(bounds.count + 1)
        var running: UInt64 = 0
        for b in 0..<bounds.count {
            running &+= buckets[i * bounds.count + b]
            out.append(running)
        }
        out.append(totals[i].count)
        return out
    }

    /// A persisted series: key, the non-cumulative buckets, sum and count.
    public struct Series: Codable, Sendable {
        public var key: UInt64
        public var buckets: [UInt64]
        public var sum: Double
        public var count: UInt64
    }

    public var series: [Series] {
        (0..<index.count).map { i in
            Series(key: index.keys[i], buckets: Array(buckets[i * bounds.count..<(i + 1) * bounds.count]),
                   sum: totals[i].sum, count: totals[i].count)
        }
    }

    /// Restores persisted series; series whose bucket layout no longer matches `bounds` are dropped.
    public init(bounds: [Double], series: [Series]) {
        self.init(bounds: bounds)
        for s in series where s.buckets.count == bounds.count {
            let (_, isNew) = index.index(of: s.key)
            guard isNew else { continue }
            buckets.append(contentsOf: s.buckets)
            totals.append((s.sum, s.count))
        }
    }
}

/// Packs label ids into one 64-bit key: tenant and target take 20 bits each, so caps stay below 2^20.
public enum SeriesKey {
    public static let maxLabelValues = 1 << 20 - 1

    @inline(__always)
    public static func pack(tenant: LabelID = 0, target: LabelID = 0, small: UInt8 = 0, code: Int16 = 0) -> UInt64 {
        UInt64(UInt32(bitPattern: tenant)) << 40 | UInt64(UInt32(bitPattern: target)) << 16
            | UInt64(small) << 10 | UInt64(UInt16(bitPattern: code) & 0x3FF)
    }

    public static func tenant(_ key: UInt64) -> LabelID { LabelID(truncatingIfNeeded: key >> 40 & 0xFFFFF) }
    public static func target(_ key: UInt64) -> LabelID { LabelID(truncatingIfNeeded: key >> 16 & 0xFFFFF) }
    public static func small(_ key: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: key >> 10 & 0x3F) }
    public static func code(_ key: UInt64) -> Int16 { Int16(truncatingIfNeeded: key & 0x3FF) }
}
