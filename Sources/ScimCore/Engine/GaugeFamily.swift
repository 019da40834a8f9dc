/// Gauges keyed by a packed label key, moved up and down by deltas.
public struct GaugeFamily: Sendable {
    public private(set) var index = SeriesIndex()
    public private(set) var values: [Int64] = []

    public init() {}

    @inline(__always)
    public mutating func add(_ key: UInt64, _ delta: Int64) {
        let (i, isNew) = index.index(of: key)
        if isNew { values.append(0) }
        values[i] += delta
    }

    /// Sets every series to 0 (they stay: a gauge that was seen is exposed at 0, not dropped).
    public mutating func zeroAll() {
        for i in values.indices { values[i] = 0 }
    }

    public func value(_ key: UInt64) -> Int64 {
        index.existingIndex(of: key).map { values[$0] } ?? 0
    }

    public var series: [(key: UInt64, value: Int64)] {
        zip(index.keys, values).map { (key: $0.0, value: $0.1) }
    }
}
