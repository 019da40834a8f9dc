import Foundation

/// When the weekly report is delivered (`reports.schedule`): a weekday and a time of day in a time zone,
/// every week. Pure: ``due(at:lastDelivered:)`` decides from `now` and the last week delivered, so a
/// restart never delivers a week twice and a schedule missed while the process was down is caught up
/// as soon as it runs again.
public struct ReportSchedule: Sendable, Equatable {
    /// 1 = Monday ... 7 = Sunday, in ``timeZone``.
    public var weekday: Int
    /// The time of day, in ``timeZone``.
    public var hour: Int
    public var minute: Int
    /// The zone of the schedule and of the weeks and days of the reports it delivers.
    public var timeZone: TimeZone

    /// Monday 08:00 UTC unless told otherwise.
    public init(weekday: Int = 1, hour: Int = 8, minute: Int = 0, timeZone: TimeZone = .gmt) {
        self.weekday = weekday
        self.hour = hour
        self.minute = minute
        self.timeZone = timeZone
    }

    /// The week to deliver at `now` (epoch ms), or nil when nothing is due: the last complete week before
    /// the latest scheduled time at or before `now`, unless `lastDelivered` (a label such as `2026-W47`)
    /// is that week or a later one. Only the latest week is caught up: a process down for three weeks
    /// delivers one report when it comes back, not three.
    public func due(at now: Int64, lastDelivered: String?) -> ReportWeek? {
        let week = ReportWeek.lastComplete(before: latestOccurrence(atOrBefore: now), timeZone: timeZone)
        // Labels are zero-padded (`2026-W05`), so they sort as the weeks do.
        if let lastDelivered, lastDelivered >= week.label { return nil }
        return week
    }

    /// The latest scheduled time at or before `now` (epoch ms).
    public func latestOccurrence(atOrBefore now: Int64) -> Int64 {
        let week = ReportWeek(containing: now, timeZone: timeZone)
        let time = occurrence(in: week)
        return time <= now ? time : occurrence(in: week.previous)
    }

    /// The first scheduled time after `now` (epoch ms): when the next report is due.
    public func nextOccurrence(after now: Int64) -> Int64 {
        let week = ReportWeek(containing: now, timeZone: timeZone)
        let time = occurrence(in: week)
        return time > now ? time : occurrence(in: ReportWeek(containing: week.endMs, timeZone: timeZone))
    }

    /// The scheduled time in `week` (epoch ms): its weekday at the time of day, on the local clock, so it
    /// stays at 08:00 across a DST change. A time that a DST jump skips is read past the jump.
    public func occurrence(in week: ReportWeek) -> Int64 {
        let dayStart = week.dayBoundaries[max(1, min(7, weekday)) - 1]
        let cal = ReportWeek.calendar(timeZone)
        var c = cal.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(dayStart) / 1000))
        c.hour = hour
        c.minute = minute
        c.second = 0
        guard let date = cal.date(from: c) else { return dayStart + Int64(hour * 3_600_000 + minute * 60_000) }
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
