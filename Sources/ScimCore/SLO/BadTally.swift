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

    private(set) var hours: [Int64: Hour] = [:]
    private var newestHour: Int64 = .min

    public init() {}

    mutating func add(time: Int64, tenant: LabelID, target: LabelID, status: Int16) {
        let h = time.floorDiv(3_600_000)
        if h > newestHour {
            newestHour = h
            // Once per new hour: forget the hours that left the span.
            for old in hours.keys where old <= h - Self.keptHours { hours[old] = nil }
        }
        guard h > newestHour - Self.keptHours else { return }
        hours[h, default: Hour()].targets[target, default: 0] &+= 1
        hours[h, default: Hour()].tenants[tenant, default: 0] &+= 1
        hours[h, default: Hour()].statuses[status, default: 0] &+= 1
    }

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
        w.write(hours.count)
        for (h, c) in hours.sorted(by: { $0.key < $1.key }) {
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
            t.hours[h] = Hour(
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
