/// Bad events of one SLO counted by hour of event time and by target, tenant and status code, for the
/// weekly report's "top failing". Hours (not days) so a week in any whole-hour time zone is exact.
/// Only bad events pay for it; label ids are the engine's (persisted with it), statuses as they came
/// (-1 for an operation that failed, expired or was late).
public struct BadTally: Sendable, Equatable {
    /// Hours kept: two weeks and a day, so the last complete week is always covered.
    public static let keptHours: Int64 = 15 * 24

    struct Hour: Sendable, Equatable {
        var targets: [LabelID: UInt32] = [:]
        var tenants: [LabelID: UInt32] = [:]
        var statuses: [Int16: UInt32] = [:]
    }

    /// The hours before the newest one.
    private var past: [Int64: Hour] = [:]
    private var newestHour: Int64 = .min
    /// The newest hour as arrays indexed by label id and status + 1: a burst of bad events costs
    /// increments, not hashing three dictionaries per bad event.
    private var newestTargets: [UInt32] = []
    private var newestTenants: [UInt32] = []
    private var newestStatuses: [UInt32] = []

    public init() {}

    mutating func add(time: Int64, tenant: LabelID, target: LabelID, status: Int16) {
        let h = time.floorDiv(3_600_000)
        if h > newestHour {
            fold()
            newestHour = h
            // Once per new hour: forget the hours that left the span.
            for old in past.keys where old <= h - Self.keptHours { past[old] = nil }
        }
        if h == newestHour {
            Self.increment(&newestTargets, Int(target))
            Self.increment(&newestTenants, Int(tenant))
            Self.increment(&newestStatuses, Int(status) + 1)
            return
        }
        guard h > newestHour - Self.keptHours else { return }
        past[h, default: Hour()].targets[target, default: 0] &+= 1
        past[h, default: Hour()].tenants[tenant, default: 0] &+= 1
        past[h, default: Hour()].statuses[status, default: 0] &+= 1
    }

    @inline(__always)
    private static func increment(_ a: inout [UInt32], _ i: Int) {
        guard i >= 0 else { return }
        if i >= a.count { a.append(contentsOf: repeatElement(0, count: i - a.count + 1)) }
        a[i] &+= 1
    }

    /// Moves the newest hour's arrays into ``past`` (adding to what a restore put there).
    private mutating func fold() {
        guard newestHour != .min else { return }
        let hour = Self.sparse(targets: newestTargets, tenants: newestTenants, statuses: newestStatuses)
        if hour != Hour() { past[newestHour] = Self.merge(past[newestHour], hour) }
        newestTargets = []
        newestTenants = []
        newestStatuses = []
    }

    private static func sparse(targets: [UInt32], tenants: [UInt32], statuses: [UInt32]) -> Hour {
        var hour = Hour()
        for (i, c) in targets.enumerated() where c > 0 { hour.targets[LabelID(i)] = c }
        for (i, c) in tenants.enumerated() where c > 0 { hour.tenants[LabelID(i)] = c }
        for (i, c) in statuses.enumerated() where c > 0 { hour.statuses[Int16(i - 1)] = c }
        return hour
    }

    private static func merge(_ a: Hour?, _ b: Hour) -> Hour {
        guard var out = a else { return b }
        for (k, v) in b.targets { out.targets[k, default: 0] &+= v }
        for (k, v) in b.tenants { out.tenants[k, default: 0] &+= v }
        for (k, v) in b.statuses { out.statuses[k, default: 0] &+= v }
        return out
    }

    /// Every kept hour, the newest included.
    var hours: [Int64: Hour] {
        guard newestHour != .min else { return past }
        var all = past
        let newest = Self.sparse(targets: newestTargets, tenants: newestTenants, statuses: newestStatuses)
        if newest != Hour() { all[newestHour] = Self.merge(all[newestHour], newest) }
        return all
    }

    public static func == (a: BadTally, b: BadTally) -> Bool { a.newestHour == b.newestHour && a.hours == b.hours }

    /// Bad events per target, tenant and status over the hours starting in [start, end) (epoch ms).
    public func totals(from start: Int64, to end: Int64) -> (targets: [LabelID: Int], tenants: [LabelID: Int], statuses: [Int16: Int]) {
        var targets: [LabelID: Int] = [:], tenants: [LabelID: Int] = [:], statuses: [Int16: Int] = [:]
        for (h, counts) in hours where h * 3_600_000 >= start && h * 3_600_000 < end {
            for (k, v) in counts.targets { targets[k, default: 0] += Int(v) }
            for (k, v) in counts.tenants { tenants[k, default: 0] += Int(v) }
            for (k, v) in counts.statuses { statuses[k, default: 0] += Int(v) }
        }
        return (targets, tenants, statuses)
    }

    /// The earliest hour start still kept (epoch ms), or nil when empty.
    public var oldestKept: Int64? { newestHour == .min ? nil : (newestHour - Self.keptHours + 1) * 3_600_000 }

    func encode(into w: inout StateWriter) {
        w.write(newestHour)
        let all = hours
        w.write(all.count)
        for (h, c) in all.sorted(by: { $0.key < $1.key }) {
            w.write(h)
            for map in [c.targets.map { (Int64($0.key), $0.value) }, c.tenants.map { (Int64($0.key), $0.value) },
                        c.statuses.map { (Int64($0.key), $0.value) }] {
                w.write(map.count)
                for (k, v) in map.sorted(by: { $0.0 < $1.0 }) {
                    w.write(k)
                    w.write(UInt64(v))
                }
            }
        }
    }

    static func decode(from r: inout StateReader) throws(StateDecodingError) -> BadTally {
        var t = BadTally()
        t.newestHour = try r.readInt64()
        for _ in 0..<(try r.readInt()) {
            let h = try r.readInt64()
            var maps: [[Int64: UInt32]] = []
            for _ in 0..<3 {
                var m: [Int64: UInt32] = [:]
                for _ in 0..<(try r.readInt()) {
                    let k = try r.readInt64()
                    m[k] = UInt32(truncatingIfNeeded: try r.readUInt64())
                }
                maps.append(m)
            }
            t.past[h] = Hour(
                targets: Dictionary(uniqueKeysWithValues: maps[0].map { (LabelID(truncatingIfNeeded: $0.key), $0.value) }),
                tenants: Dictionary(uniqueKeysWithValues: maps[1].map { (LabelID(truncatingIfNeeded: $0.key), $0.value) }),
                statuses: Dictionary(uniqueKeysWithValues: maps[2].map { (Int16(truncatingIfNeeded: $0.key), $0.value) }))
        }
        return t
    }
}

extension SLOEngine {
    /// Every SLO's ``BadTally``, for the checkpoint's `bad_tally` section.
    public func encodedTallies() -> [UInt8] {
        var w = StateWriter()
        w.write(trackers.count)
        for t in trackers {
            w.write(t.definition.name)
            t.badTally.encode(into: &w)
        }
        return w.bytes
    }

    /// Restores what ``encodedTallies()`` wrote; SLOs no longer configured are skipped.
    public mutating func restoreTallies(_ bytes: [UInt8]) throws(StateDecodingError) {
        var r = StateReader(bytes)
        for _ in 0..<(try r.readInt()) {
            let name = try r.readString()
            let tally = try BadTally.decode(from: &r)
            if let i = trackers.firstIndex(where: { $0.definition.name == name }) { trackers[i].badTally = tally }
        }
    }
}
