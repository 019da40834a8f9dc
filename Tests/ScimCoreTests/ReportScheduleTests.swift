import Foundation
import ScimCore
import Testing

/// The pure decision "is a weekly report due at `now`, given the last week delivered".
@Suite struct ReportScheduleTests {
    static let hour: Int64 = 3_600_000
    static let minute: Int64 = 60_000
    static let day: Int64 = 86_400_000
    /// Monday 2026-11-16 00:00Z (2026-W47).
    static let w47: Int64 = 1_794_787_200_000
    static let paris = TimeZone(identifier: "Europe/Paris")!
    /// Monday 08:00 in Paris.
    static let schedule = ReportSchedule(weekday: 1, hour: 8, minute: 0, timeZone: paris)

    @Test func theLastCompleteWeekIsDueOnceTheScheduledTimePasses() {
        // Paris is UTC+1 in November: 08:00 there is 07:00Z.
        #expect(Self.schedule.occurrence(in: ReportWeek(containing: Self.w47, timeZone: Self.paris)) == Self.w47 + 7 * Self.hour)
        #expect(Self.schedule.due(at: Self.w47 + 7 * Self.hour - 1, lastDelivered: "2026-W45") == nil)
        #expect(Self.schedule.due(at: Self.w47 + 7 * Self.hour, lastDelivered: "2026-W45")?.label == "2026-W46")
        #expect(Self.schedule.due(at: Self.w47 + 7 * Self.hour, lastDelivered: "2026-W45")?.timeZone == Self.paris)
        #expect(Self.schedule.nextOccurrence(after: Self.w47) == Self.w47 + 7 * Self.hour)
        #expect(Self.schedule.nextOccurrence(after: Self.w47 + 7 * Self.hour) == Self.w47 + 7 * Self.day + 7 * Self.hour)
    }

    @Test func aWeekAlreadyDeliveredIsNotDeliveredAgain() {
        for now in [Self.w47 + 7 * Self.hour, Self.w47 + 3 * Self.day, Self.w47 + 7 * Self.day + 6 * Self.hour] {
            #expect(Self.schedule.due(at: now, lastDelivered: "2026-W46") == nil)
        }
        #expect(Self.schedule.due(at: Self.w47 + 7 * Self.day + 7 * Self.hour, lastDelivered: "2026-W46")?.label == "2026-W47")
    }

    @Test func aMissedScheduleIsDeliveredLaterAndOnlyTheLatestWeek() {
        // Down at 08:00 Monday, back on Thursday: W46 is due at once.
        #expect(Self.schedule.due(at: Self.w47 + 3 * Self.day, lastDelivered: "2026-W45")?.label == "2026-W46")
        // Never delivered before.
        #expect(Self.schedule.due(at: Self.w47 + 3 * Self.day, lastDelivered: nil)?.label == "2026-W46")
        // Down for three weeks: one report, the latest, not three.
        #expect(Self.schedule.due(at: Self.w47 + 14 * Self.day + 8 * Self.hour, lastDelivered: "2026-W44")?.label == "2026-W48")
    }

    @Test func theLocalTimeHoldsAcrossTheDSTWeek() {
        // Europe moves to summer time on Sunday 2026-03-29 (the end of W13): 08:00 in Paris is 07:00Z on
        // Monday 23 March and 06:00Z on Monday 30 March.
        let w13: Int64 = 1_774_224_000_000, w14: Int64 = 1_774_828_800_000
        #expect(Self.schedule.occurrence(in: ReportWeek(year: 2026, week: 13, timeZone: Self.paris)!) == w13 + 7 * Self.hour)
        #expect(Self.schedule.occurrence(in: ReportWeek(year: 2026, week: 14, timeZone: Self.paris)!) == w14 + 6 * Self.hour)
        #expect(Self.schedule.due(at: w14 + 6 * Self.hour - 1, lastDelivered: "2026-W12") == nil)
        let due = Self.schedule.due(at: w14 + 6 * Self.hour + 30 * Self.minute, lastDelivered: "2026-W12")
        #expect(due?.label == "2026-W13")
        // The week delivered is the DST week in Paris: Sunday has 23 hours, the week 167.
        #expect(due.map { $0.endMs - $0.startMs } == 167 * Self.hour)
        // 02:30 on the night of the jump does not exist in Paris; it is read as the instant 01:30Z.
        let night = ReportSchedule(weekday: 7, hour: 2, minute: 30, timeZone: Self.paris)
        #expect(night.occurrence(in: ReportWeek(year: 2026, week: 13, timeZone: Self.paris)!) == w14 - Self.day + 90 * Self.minute)
    }

    @Test func weeksAcrossANewYearCompareInOrder() {
        // Monday 2027-01-04 (2027-W01) at 09:00Z: 2026 has 53 weeks, and W53 is due after W52.
        let w01: Int64 = 1_799_020_800_000
        let utc = ReportSchedule(weekday: 1, hour: 8, minute: 0, timeZone: .gmt)
        #expect(utc.due(at: w01 + 9 * Self.hour, lastDelivered: "2026-W52")?.label == "2026-W53")
        #expect(utc.due(at: w01 + 9 * Self.hour, lastDelivered: "2026-W53") == nil)
        #expect(utc.due(at: w01 + 7 * Self.day + 9 * Self.hour, lastDelivered: "2026-W53")?.label == "2027-W01")
    }

    @Test func anotherWeekdayAndZone() throws {
        // Friday 17:30 in New York (EST, UTC-5 in November) is 22:30Z; at that time W46 is the last complete week.
        let ny = try #require(TimeZone(identifier: "America/New_York"))
        let friday = ReportSchedule(weekday: 5, hour: 17, minute: 30, timeZone: ny)
        let at = Self.w47 + 4 * Self.day + 22 * Self.hour + 30 * Self.minute
        #expect(friday.latestOccurrence(atOrBefore: at) == at)
        #expect(friday.due(at: at - 1, lastDelivered: "2026-W45") == nil)
        #expect(friday.due(at: at, lastDelivered: "2026-W45")?.label == "2026-W46")
    }
}
