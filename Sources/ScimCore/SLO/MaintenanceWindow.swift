/// A planned maintenance (slo.md): alerts of the SLOs it names make no state change while it lasts,
/// so nobody is paged for planned work; its events still count unless `excludeFromBudget`.
public struct MaintenanceWindow: Sendable, Equatable {
    public enum Schedule: Sendable, Equatable {
        /// From `start` to `end`, epoch ms.
        case once(start: Int64, end: Int64)
        /// Every week on `weekday` (1 = Monday ... 7 = Sunday, UTC) from `startMinute` of the day, for `durationMs`.
        case weekly(weekday: Int, startMinute: Int, durationMs: Int64)
    }

    public var name: String
    public var schedule: Schedule
    /// The SLOs it applies to (empty = all SLOs and the symptom alerts).
    public var slos: [String]
    /// When true, events during the window do not count for those SLOs at all.
    public var excludeFromBudget: Bool

    public init(name: String, schedule: Schedule, slos: [String] = [], excludeFromBudget: Bool = false) {
        self.name = name
        self.schedule = schedule
        self.slos = slos
        self.excludeFromBudget = excludeFromBudget
    }

    /// Whether the window applies to `slo` (nil = a symptom alert).
    public func applies(to slo: String?) -> Bool {
        slos.isEmpty || slo.map { slos.contains($0) } ?? false
    }

    /// Whether `time` (epoch ms) falls inside the window.
    public func covers(_ time: Int64) -> Bool {
        switch schedule {
        case .once(let start, let end):
            return time >= start && time < end
        case .weekly(let weekday, let startMinute, let duration):
            let week: Int64 = 7 * 86_400_000
            // 1970-01-01 was a Thursday (weekday 4); the window's start within the week, from Monday 00:00.
            let mondayOffset: Int64 = 3 * 86_400_000
            let sinceMonday = (time + mondayOffset).floorMod(week)
            let start = Int64(weekday - 1) * 86_400_000 + Int64(startMinute) * 60_000
            let into = (sinceMonday - start).floorMod(week)
            return into < duration
        }
    }
}

extension MaintenanceWindow {
    /// The spans of this window (start inclusive, end exclusive, epoch ms) that overlap [`from`, `to`),
    /// oldest first and at most `limit` of them: a report lists each weekly occurrence separately.
    public func occurrences(from: Int64, to: Int64, limit: Int = 64) -> [(start: Int64, end: Int64)] {
        switch schedule {
        case .once(let start, let end):
            return start < to && end > from ? [(start, end)] : []
        case .weekly(let weekday, let startMinute, let duration):
            let week: Int64 = 7 * 86_400_000
            // 1970-01-05 was the first Monday after the epoch; occurrence k starts at base + k weeks.
            let base: Int64 = 4 * 86_400_000 + Int64(weekday - 1) * 86_400_000 + Int64(startMinute) * 60_000
            var out: [(start: Int64, end: Int64)] = []
            var k = (from - duration - base).floorDiv(week)
            while out.count < limit {
                let start = base + k * week
                if start >= to { break }
                if start + duration > from { out.append((start, start + duration)) }
                k += 1
            }
            return out
        }
    }
}

extension Array where Element == MaintenanceWindow {
    /// Whether alerts of `slo` are held at `time`.
    public func holdsAlerts(of slo: String?, at time: Int64) -> Bool {
        contains { $0.applies(to: slo) && $0.covers(time) }
    }

    /// Whether events of `slo` at `time` are left out of its budget.
    @inline(__always)
    public func excludes(_ slo: String, at time: Int64) -> Bool {
        !isEmpty && contains { $0.excludeFromBudget && $0.applies(to: slo) && $0.covers(time) }
    }
}
