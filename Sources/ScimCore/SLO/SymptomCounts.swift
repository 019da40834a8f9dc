/// Attempts, 401/403 and 429 answers per (tenant, target) and minute, over the last few minutes: what
/// the auth-failure and rate-limit symptom alerts look at. Bounded by the label caps and the ring size.
public struct SymptomCounts: Sendable {
    static let ringMinutes: Int64 = 32

    struct Ring: Sendable {
        var minute: [Int64] = Array(repeating: .min, count: Int(SymptomCounts.ringMinutes))
        var total: [UInt32] = Array(repeating: 0, count: Int(SymptomCounts.ringMinutes))
        var auth: [UInt32] = Array(repeating: 0, count: Int(SymptomCounts.ringMinutes))
        var limited: [UInt32] = Array(repeating: 0, count: Int(SymptomCounts.ringMinutes))
    }

    private var index = SeriesIndex()
    private var rings: [Ring] = []

    public init() {}

    @inline(__always)
    public mutating func record(tenant: LabelID, target: LabelID, status: Int16, at time: Int64) {
        let (i, isNew) = index.index(of: SeriesKey.pack(tenant: tenant, target: target))
        if isNew { rings.append(Ring()) }
        let m = MinuteCounts.minute(of: time)
        let slot = Int(m.floorMod(Self.ringMinutes))
        if rings[i].minute[slot] != m {
            guard m > rings[i].minute[slot] else { return } // older than the ring: too late to matter
            rings[i].minute[slot] = m
            rings[i].total[slot] = 0
            rings[i].auth[slot] = 0
            rings[i].limited[slot] = 0
        }
        rings[i].total[slot] &+= 1
        if status == 401 || status == 403 { rings[i].auth[slot] &+= 1 }
        if status == 429 { rings[i].limited[slot] &+= 1 }
    }

    /// Per (tenant, target): attempts, 401/403 and 429 over the `minutes` ending with `lastMinute`.
    func window(minutes: Int64, endingAt lastMinute: Int64) -> [(tenant: LabelID, target: LabelID, total: UInt64, auth: UInt64, limited: UInt64)] {
        let span = min(minutes, Self.ringMinutes)
        return index.keys.enumerated().map { i, key in
            var total: UInt64 = 0, auth: UInt64 = 0, limited: UInt64 = 0
            for k in 0..<span {
                let m = lastMinute - k
                let slot = Int(m.floorMod(Self.ringMinutes))
                guard rings[i].minute[slot] == m else { continue }
                total += UInt64(rings[i].total[slot])
                auth += UInt64(rings[i].auth[slot])
                limited += UInt64(rings[i].limited[slot])
            }
            return (SeriesKey.tenant(key), SeriesKey.target(key), total, auth, limited)
        }
    }
}

/// What the engine cannot see by itself for the symptom alerts: poll and tailer health.
public struct SymptomInputs: Sendable {
    /// Poll endpoints failing, with when they started failing (epoch ms).
    public var pollsDown: [(endpoint: String, since: Int64)] = []
    /// Queues with depth > 0 whose processed count last moved at the time given.
    public var queuesWithoutProgress: [(queue: String, since: Int64)] = []
    /// Reconciler targets and their last successful run (nil = never seen one).
    public var reconcilers: [(target: String, lastSuccess: Int64?, firstSeen: Int64)] = []
    /// Sources whose files exist but have not grown since the time given.
    public var sourcesStalled: [(source: String, since: Int64)] = []

    public init() {}
}
