import Foundation

/// An ISO 8601 week (Monday to Sunday) in a time zone: the span a weekly report covers.
/// Foundation's ISO calendar does the arithmetic, so weeks 52/53 and DST days come out right.
public struct ReportWeek: Sendable, Equatable {
    /// The ISO week-numbering year and week, e.g. 2026 and 47.
    public var year: Int
    public var week: Int
    public var timeZone: TimeZone

    /// Fails (returns nil) when the week does not exist in that year.
    public init?(year: Int, week: Int, timeZone: TimeZone = .gmt) {
        guard (1...53).contains(week) else { return nil }
        self.year = year
        self.week = week
        self.timeZone = timeZone
        guard let start = Self.calendar(timeZone).date(
            from: DateComponents(weekday: 2, weekOfYear: week, yearForWeekOfYear: year)) else { return nil }
        // Week 53 of a 52-week year normalises into next year's week 1: reject it.
        let c = Self.calendar(timeZone).dateComponents([.weekOfYear, .yearForWeekOfYear], from: start)
        guard c.weekOfYear == week, c.yearForWeekOfYear == year else { return nil }
    }

    /// Parses `2026-W47` (also `2026-w47`).
    public init?(parsing text: String, timeZone: TimeZone = .gmt) {
        let parts = text.uppercased().split(separator: "-W")
        guard parts.count == 2, let y = Int(parts[0]), let w = Int(parts[1]) else { return nil }
        self.init(year: y, week: w, timeZone: timeZone)
    }

    /// The week containing `timeMs`.
    public init(containing timeMs: Int64, timeZone: TimeZone = .gmt) {
        let c = Self.calendar(timeZone).dateComponents(
            [.weekOfYear, .yearForWeekOfYear], from: Date(timeIntervalSince1970: Double(timeMs) / 1000))
        year = c.yearForWeekOfYear ?? 1970
        week = c.weekOfYear ?? 1
        self.timeZone = timeZone
    }

    /// The last week that ended at or before `nowMs`: the default of a report.
    public static func lastComplete(before nowMs: Int64, timeZone: TimeZone = .gmt) -> ReportWeek {
        ReportWeek(containing: nowMs, timeZone: timeZone).previous
    }

    /// `2026-W47`.
    public var label: String {
        "\(year)-W\(week < 10 ? "0" : "")\(week)"
    }

    /// The week before this one.
    public var previous: ReportWeek {
        ReportWeek(containing: startMs - 86_400_000, timeZone: timeZone)
    }

    /// Midnight at the start of each of the 8 day boundaries (Monday 00:00 ... next Monday 00:00), epoch ms.
    public var dayBoundaries: [Int64] {
        let cal = Self.calendar(timeZone)
        let start = cal.date(from: DateComponents(weekday: 2, weekOfYear: week, yearForWeekOfYear: year)) ?? Date(timeIntervalSince1970: 0)
        return (0...7).map { d in
            Int64(((cal.date(byAdding: .day, value: d, to: start) ?? start).timeIntervalSince1970 * 1000).rounded())
        }
    }

    /// Monday 00:00 (epoch ms), inclusive.
    public var startMs: Int64 { dayBoundaries[0] }
    /// The next Monday 00:00 (epoch ms), exclusive.
    public var endMs: Int64 { dayBoundaries[7] }

    /// `2026-11-16` for a time in this week's time zone.
    public func date(_ timeMs: Int64) -> String {
        let c = Self.calendar(timeZone).dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(timeMs) / 1000))
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// The zone's name for people: `Europe/Paris`, and `UTC` where Foundation on Linux says "GMT".
    public static func name(of zone: TimeZone) -> String {
        zone.identifier == "GMT" ? "UTC" : zone.identifier
    }

    /// `2026-11-16T09:30:00Z` (UTC, for machines).
    public static func timestamp(_ timeMs: Int64) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = .gmt
        return f.string(from: Date(timeIntervalSince1970: Double(timeMs) / 1000))
    }

    static func calendar(_ timeZone: TimeZone) -> Calendar {
        var cal = Calendar(identifier: .iso8601)
        cal.timeZone = timeZone
        return cal
    }
}
