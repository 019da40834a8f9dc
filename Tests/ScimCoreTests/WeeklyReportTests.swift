import Foundation
import ScimCore
import Testing

/// The report numbers on a week computed by hand (see `scenario()`), and the JSON and Markdown goldens.
@Suite struct WeeklyReportTests {
    static let minute: Int64 = 60_000
    static let day: Int64 = 86_400_000
    /// 2026-11-16T00:00:00Z, the Monday of 2026-W47.
    static let w47: Int64 = 1_794_787_200_000

    /// Two SLOs with a 14-day period (so the period is exactly W46 + W47):
    /// - `api-requests` (5xx bad, 99%): W46 100 good events a day; W47 per day (Mon..Sun) 100/0, 100/5,
    ///   200/0, none, 100/10, 100/0, 100/1 (events/bad). Events at 09:00 + i x 30 s; Friday's bad ones
    ///   are i = 50..<60 (09:25 to 09:29:30) on target slack, the others on github. Evaluated every minute
    ///   on Friday 09:00 to 12:00, so the burn-rate page fires and resolves.
    /// - `quiet-provisions` (operations, 99.9%): never sees an event: "no data", not 100%.
    /// Two maintenance windows: `vendor-upgrade` for api-requests from Thursday 22:00 to Friday 02:00
    /// (counted in the budget), and `weekly-sync` every Sunday 02:00-04:00 UTC for every SLO, excluded from
    /// the budget; no event falls in either, so they change no count, only the marks.
    /// The hourly activity sees every attempt, plus on Wednesday 10 answered 429 and 4 answered 401 (of
    /// 214 attempts), and on Monday 20 deprovisions that took 10 s, 20 s, ... 200 s.
    static func scenario() -> (SLOEngine, Labels, HourlyActivity) {
        var activity = HourlyActivity()
        let period: Int64 = 14 * day
        var engine = SLOEngine(definitions: [
            SLODefinition(name: "api-requests", sli: .requestSuccess(bad: [.hundreds(5)]), objective: 0.99, periodMs: period),
            SLODefinition(name: "quiet-provisions", sli: .operationSuccess(classes: [.provision]), objective: 0.999, periodMs: period),
        ])
        engine.maintenance = [
            MaintenanceWindow(name: "vendor-upgrade", schedule: .once(start: w47 + 3 * day + 22 * 3_600_000, end: w47 + 4 * day + 2 * 3_600_000),
                              slos: ["api-requests"]),
            MaintenanceWindow(name: "weekly-sync", schedule: .weekly(weekday: 7, startMinute: 120, durationMs: 2 * 3_600_000),
                              excludeFromBudget: true),
        ]
        var labels = Labels()
        let acme = labels.tenants.intern("acme")
        let github = labels.targets.intern("github")
        let slack = labels.targets.intern("slack")
        func feed(dayStart: Int64, count: Int, bad: Range<Int>, status: Int16, target: LabelID, evaluate: Bool = false) {
            for i in 0..<count {
                let isBad = bad.contains(i)
                let e = Event(time: dayStart + 9 * 3_600_000 + Int64(i) * 30_000, tenant: acme, target: isBad ? target : github,
                              operation: .update, status: isBad ? status : 200, correlationID: "c-\(dayStart / day)-\(i)")
                engine.record(e, countedStatus: e.countedStatus, labels: labels)
                activity.recordAttempt(status: e.countedStatus ?? 0, at: e.time)
            }
        }
        for d in 0..<7 { feed(dayStart: w47 - 7 * day + Int64(d) * day, count: 100, bad: 0..<0, status: 200, target: github) }
        feed(dayStart: w47, count: 100, bad: 0..<0, status: 200, target: github)
        feed(dayStart: w47 + day, count: 100, bad: 0..<5, status: 500, target: github)
        feed(dayStart: w47 + 2 * day, count: 200, bad: 0..<0, status: 200, target: github)
        for i in 0..<14 { activity.recordAttempt(status: i < 10 ? 429 : 401, at: w47 + 2 * day + 15 * 3_600_000) }
        for i in 1...20 { activity.recordDeprovision(latencyMs: Int64(i) * 10_000, at: w47 + 12 * 3_600_000) }
        feed(dayStart: w47 + 4 * day, count: 100, bad: 50..<60, status: 503, target: slack)
        // Friday evaluated minute by minute, like replay: windows end with the minute before `now`.
        let friday = w47 + 4 * day
        for m in Int64(9 * 60)...Int64(12 * 60) {
            _ = engine.evaluate(now: friday + m * minute, windowsEndingAt: friday / minute + m - 1, labels: labels)
        }
        feed(dayStart: w47 + 5 * day, count: 100, bad: 0..<0, status: 200, target: github)
        feed(dayStart: w47 + 6 * day, count: 100, bad: 99..<100, status: 502, target: github)
        return (engine, labels, activity)
    }

    /// Poll readings of W47 (UTC):
    /// - queue `provisioning` (with dead letters): Monday 10:00 depth 12 / 0 dead, 15:00 depth 40 / 2,
    ///   23:30 depth 5 / 1; nothing on Tuesday; Wednesday 08:00 depth 0 / 0 (a true zero).
    /// - queue `github/escrowed` (Entra: a depth only): Friday 12:00 depth 7.
    /// - reconciler `github`: a run finished Monday 08:03 with 3 + 1 + 7 drift, polled at 08:05 and again at
    ///   09:00; a run finished Sunday 23:50 with 5 + 0 + 0, polled Monday 00:05 of the next week (it counts
    ///   on Sunday, when it ran); a run finished Friday 08:03 with 2 + 0 + 0.
    static func polls() -> PollHistory {
        var h = PollHistory()
        let hour: Int64 = 3_600_000
        func queue(_ at: Int64, _ depth: Double, dead: Double?) {
            h.record(PollReading(queues: [QueueReading(name: "provisioning", depth: depth, deadLetters: dead)]), at: at)
        }
        func run(_ id: String, finished: Int64, drift: Double, polled: Int64) {
            h.record(PollReading(runs: [ReconcileRun(target: "github", runID: id, finishedAt: finished, result: "success",
                                                     drift: DriftCounts(missing: drift == 11 ? 3 : drift, orphaned: drift == 11 ? 1 : 0,
                                                                        mismatched: drift == 11 ? 7 : 0))]), at: polled)
        }
        queue(w47 + 10 * hour, 12, dead: 0)
        queue(w47 + 15 * hour, 40, dead: 2)
        queue(w47 + 23 * hour + 30 * minute, 5, dead: 1)
        queue(w47 + 2 * day + 8 * hour, 0, dead: 0)
        h.record(PollReading(queues: [QueueReading(name: "github/escrowed", depth: 7)]), at: w47 + 4 * day + 12 * hour)
        run("r-1", finished: w47 + 8 * hour + 3 * minute, drift: 11, polled: w47 + 8 * hour + 5 * minute)
        run("r-1", finished: w47 + 8 * hour + 3 * minute, drift: 11, polled: w47 + 9 * hour)
        run("r-2", finished: w47 + 4 * day + 8 * hour + 3 * minute, drift: 2, polled: w47 + 4 * day + 9 * hour)
        run("r-3", finished: w47 + 7 * day - 10 * minute, drift: 5, polled: w47 + 7 * day + 5 * minute)
        return h
    }

    static func report(now: Int64 = w47 + 9 * day + 12 * 3_600_000) -> WeeklyReport {
        let (engine, labels, activity) = scenario()
        return WeeklyReport.compute(slo: engine, labels: labels, overdue: [], week: ReportWeek(year: 2026, week: 47)!, now: now,
                                    activity: activity, polls: polls())
    }

    @Test func numbersMatchTheHandComputedWeek() throws {
        let r = Self.report()
        let api = try #require(r.slos.first)
        #expect(api.week == .init(events: 700, bad: 16, sli: 0.977143))        // 1 - 16/700
        #expect(api.period == .init(events: 1400, bad: 16, sli: 0.988571))     // 1 - 16/1400
        #expect(api.budgetLeft == -0.142857)                                    // 1 - 16/(1400 x 1%)
        #expect(api.failuresAllowed == -2)                                      // 14 - 16
        #expect(api.status == "breached")
        #expect(api.previousWeekSLI == 1)
        #expect(api.change == -0.022857)
        #expect(api.days.map(\.events) == [100, 100, 200, 0, 100, 100, 100])
        #expect(api.days.map(\.sli) == [1, 0.95, 1, nil, 0.9, 1, 0.99])
        // Budget left over the 14 days ending each day: 800/0, 900/5, 1100/5, 1100/5, 1200/15, 1300/15, 1400/16.
        #expect(api.days.map(\.budgetLeft) == [1, 0.444444, 0.545455, 0.545455, -0.25, -0.153846, -0.142857])
        #expect(api.days.first?.date == "2026-11-16")
    }

    @Test func maintenanceWindowsAreListedAndMarkTheDaysTheyTouch() throws {
        let r = Self.report()
        #expect(r.maintenance.map(\.name) == ["vendor-upgrade", "weekly-sync"])
        let upgrade = r.maintenance[0], sync = r.maintenance[1]
        #expect(upgrade.start == "2026-11-19T22:00:00Z" && upgrade.end == "2026-11-20T02:00:00Z")
        #expect(upgrade.slos == ["api-requests"] && !upgrade.symptomAlerts && !upgrade.excludedFromBudget)
        #expect(upgrade.dates == ["2026-11-19", "2026-11-20"])
        // A window naming no SLO holds every SLO and the symptom alerts.
        #expect(sync.start == "2026-11-22T02:00:00Z" && sync.end == "2026-11-22T04:00:00Z")
        #expect(sync.slos == ["api-requests", "quiet-provisions"] && sync.symptomAlerts && sync.excludedFromBudget)
        #expect(sync.dates == ["2026-11-22"])
        #expect(r.slos[0].days.map(\.maintenance) == [nil, nil, nil, ["vendor-upgrade"], ["vendor-upgrade"], nil, ["weekly-sync"]])
        #expect(r.slos[1].days.map(\.maintenance) == [nil, nil, nil, nil, nil, nil, ["weekly-sync"]])
        // No event fell in a window: the numbers are those of the week without maintenance.
        #expect(r.slos[0].week == .init(events: 700, bad: 16, sli: 0.977143))
        let html = r.html()
        #expect(html.contains("<h2>Maintenance windows</h2>") && html.contains("<td>vendor-upgrade</td><td>2026-11-19T22:00:00Z</td>"))
        // Three shaded days on each api-requests chart, one on each quiet-provisions chart.
        #expect(html.components(separatedBy: "class=\"maint\"><title>").count - 1 == 2 * 3 + 2 * 1)
        #expect(r.markdown().contains("| 2026-11-19 | 0 | 0 | no data | 54.55% | vendor-upgrade |"))
    }

    @Test func maintenanceDaysFollowTheReportTimeZone() throws {
        let (engine, labels, activity) = Self.scenario()
        let la = try #require(TimeZone(identifier: "America/Los_Angeles"))
        let r = WeeklyReport.compute(slo: engine, labels: labels, overdue: [], week: ReportWeek(year: 2026, week: 47, timeZone: la)!,
                                     now: Self.w47 + 10 * Self.day, activity: activity)
        // 22:00Z to 02:00Z is 14:00 to 18:00 on Thursday in Los Angeles (PST, UTC-8); Sunday 02:00Z is
        // Saturday 18:00 there.
        #expect(r.maintenance.first { $0.name == "vendor-upgrade" }?.dates == ["2026-11-19"])
        #expect(r.maintenance.filter { $0.name == "weekly-sync" }.map(\.dates) == [["2026-11-21"]])
    }

    @Test func weeklyOccurrencesCrossingTheWeekEdgesAreBothListed() {
        let w = MaintenanceWindow(name: "late", schedule: .weekly(weekday: 7, startMinute: 23 * 60, durationMs: 2 * 3_600_000))
        let spans = w.occurrences(from: Self.w47, to: Self.w47 + 7 * Self.day)
        // Sunday 23:00 to Monday 01:00 of the week before (ending inside this week), and this week's.
        #expect(spans.map(\.start) == [Self.w47 - 3_600_000, Self.w47 + 7 * Self.day - 3_600_000])
        #expect(spans.allSatisfy { $0.end - $0.start == 2 * 3_600_000 })
        #expect(spans.allSatisfy { w.covers($0.start) && !w.covers($0.end) })
        #expect(w.occurrences(from: Self.w47 + 3_600_000, to: Self.w47 + 2 * Self.day).isEmpty)
    }

    @Test func queueBacklogAndDriftByDaySayNoDataWithoutReadings() throws {
        let r = Self.report()
        #expect(r.queues.map(\.queue) == ["github/escrowed", "provisioning"])
        let p = r.queues[1].days
        #expect(p.map(\.readings) == [3, 0, 1, 0, 0, 0, 0])
        #expect(p.map(\.maxDepth) == [40, nil, 0, nil, nil, nil, nil])
        #expect(p.map(\.lastDepth) == [5, nil, 0, nil, nil, nil, nil])
        #expect(p[0].maxDeadLetters == 2 && p[0].lastDeadLetters == 1 && p[1].maxDeadLetters == nil)
        let escrow = r.queues[0].days
        #expect(escrow[4].maxDepth == 7 && escrow[4].maxDeadLetters == nil && escrow[0].readings == 0)
        let drift = try #require(r.drift.first)
        #expect(r.drift.count == 1 && drift.target == "github")
        // The run polled twice counts once; the Sunday 23:50 run counts on Sunday though polled on Monday.
        #expect(drift.days.map(\.maxDrift) == [11, nil, nil, nil, 2, nil, 5])
        #expect(drift.days.map(\.lastDrift) == [11, nil, nil, nil, 2, nil, 5])
        // No reading leaves the values out of the JSON, as every value without data is: never 0, never null.
        let json = r.json()
        #expect(!json.contains("null"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let tuesday = try #require(((object["queues"] as? [[String: Any]])?[1]["days"] as? [[String: Any]])?[1])
        #expect(Set(tuesday.keys) == ["date", "readings"] && tuesday["readings"] as? Int == 0)
        let quiet = try #require(((object["drift"] as? [[String: Any]])?[0]["days"] as? [[String: Any]])?[1])
        #expect(Set(quiet.keys) == ["date"])
        #expect(r.markdown().contains("| 2026-11-17 | provisioning | 0 | no data | no data | no data | no data |"))
        #expect(r.markdown().contains("| 2026-11-18 | provisioning | 1 | 0 | 0 | 0 | 0 |"))
        #expect(r.html().contains("Queue provisioning: largest depth by day"))
        // In Paris (UTC+1) Monday 23:30 UTC is Tuesday 00:30: the last Monday reading is then 15:00's 40.
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        let (engine, labels, _) = Self.scenario()
        let inParis = WeeklyReport.compute(slo: engine, labels: labels, overdue: [], week: ReportWeek(year: 2026, week: 47, timeZone: paris)!,
                                           now: Self.w47 + 10 * Self.day, polls: Self.polls())
        #expect(inParis.queues[1].days.map(\.lastDepth).prefix(3) == [40, 5, 0])
    }

    @Test func pollHistoryIsBoundedAndSurvivesARestart() throws {
        var h = Self.polls()
        var restored = PollHistory()
        try restored.restore(h.encoded())
        #expect(restored == h)
        // 15 days later the week's hours are gone, and an old reading is no longer taken.
        h.record(PollReading(queues: [QueueReading(name: "provisioning", depth: 1)]), at: Self.w47 + 22 * Self.day)
        #expect(h.summary(from: Self.w47, to: Self.w47 + 7 * Self.day) == PollHistory.Summary())
        h.record(PollReading(queues: [QueueReading(name: "provisioning", depth: 1)]), at: Self.w47)
        #expect(h.hours.count == 1)
        // At most maxNames queues per hour.
        var many = PollHistory()
        many.record(PollReading(queues: (0..<100).map { QueueReading(name: "q\($0)", depth: 1) }), at: Self.w47)
        #expect(many.hours.values.first?.queues.count == PollHistory.maxNames)
    }

    @Test func dailyActivityHasSharesAndLatencyBuckets() {
        let a = Self.report().activity
        #expect(a.map(\.attempts) == [100, 100, 214, 0, 100, 100, 100])
        #expect(a[2].rateLimitedShare == 0.046729 && a[2].authFailureShare == 0.018692) // 10/214, 4/214
        #expect(a[3].authFailureShare == nil)
        #expect(a[0].deprovisions == 20)
        // Nearest rank: p50 is the 10th (100 s), p95 the 19th (190 s), p99 the 20th (200 s); each read as
        // the upper bound of its 25% bucket.
        let bound = { (s: Double) in HourlyActivity.latencyBounds.first { $0 >= s }! }
        #expect(a[0].latencyP50 == (bound(100) * 1e6).rounded() / 1e6)
        #expect(a[0].latencyP95 == (bound(190) * 1e6).rounded() / 1e6)
        #expect(a[0].latencyP99 == (bound(200) * 1e6).rounded() / 1e6)
        #expect(a[1].latencyP50 == nil)
    }

    @Test func aWeekWithoutEventsSaysNoData() throws {
        let quiet = try #require(Self.report().slos.last)
        #expect(quiet.status == "no data")
        #expect(quiet.week.sli == nil && quiet.budgetLeft == nil && quiet.failuresAllowed == nil)
        #expect(Self.report().markdown().contains("| quiet-provisions | 99.90% | no data |"))
    }

    @Test func theFridayPageIsListedWithTheBudgetItSpent() throws {
        let page = try #require(Self.report().alerts.first { $0.severity == "page" })
        #expect(page.slo == "api-requests")
        // Evaluated at 09:26 over the minutes to 09:25: 52 events, 2 bad = 3.85x. Below the 1h/5m tier's
        // 6.72x (2% of 14 days in 1h), above the 6h/30m tier's 2.8x (5% in 6h) in both windows: it pages.
        #expect(page.start == "2026-11-20T09:26:00Z")
        // The 6h/30m tier holds until the last bad minute (09:29) leaves the 30m window (10:00); the page
        // keeps firing 5 more minutes (keep_firing_for).
        #expect(page.end == "2026-11-20T10:05:00Z")
        // 1 - 7/11.52 at the start (1152 events, 7 bad over 14 days) minus 1 - 15/12 at the end.
        #expect(page.budgetSpent == 0.642361)
    }

    @Test func topFailingAndOverdueOfAPastWeek() {
        let r = Self.report()
        #expect(r.topFailing.targets.map(\.value) == ["slack", "github"])
        #expect(r.topFailing.statusCodes.first == .init(value: "503", bad: 10))
        #expect(r.overdueDeprovisions.known == false)
        #expect(WeeklyReport.compute(slo: Self.scenario().0, labels: Labels(), overdue: [], week: ReportWeek(year: 2026, week: 47)!,
                                     now: Self.w47 + Self.day).overdueDeprovisions.count == 0)
    }

    @Test func theReportIsTheSameAfterARestart() throws {
        let (engine, labels, activity) = Self.scenario()
        var restoredActivity = HourlyActivity()
        try restoredActivity.restore(activity.encoded())
        #expect(restoredActivity == activity)
        var restored = SLOEngine(definitions: engine.trackers.map(\.definition))
        restored.maintenance = engine.maintenance // configuration, not state: the pipeline sets it from the file
        try restored.restoreState(engine.encodedState())
        try restored.restoreTallies(engine.encodedTallies())
        var history = AlertHistory()
        try history.restore(engine.history.encoded())
        #expect(history == engine.history)
        let week = ReportWeek(year: 2026, week: 47)!
        let now = Self.w47 + 9 * Self.day
        let before = WeeklyReport.compute(slo: engine, labels: labels, overdue: [], week: week, now: now)
        let after = WeeklyReport.compute(slo: restored, labels: labels, overdue: [], week: week, now: now)
        // The alert history lives in its own section (restored by the pipeline); everything else is equal.
        #expect(after.slos == before.slos && after.topFailing == before.topFailing)
    }

    @Test func weeksParseAndTheDefaultIsTheLastCompleteOne() throws {
        #expect(ReportWeek(parsing: "2026-W47")?.startMs == Self.w47)
        #expect(ReportWeek(parsing: "2026-W53") != nil) // 2026 starts on a Thursday: 53 weeks
        #expect(ReportWeek(parsing: "2025-W53") == nil)
        #expect(ReportWeek.lastComplete(before: Self.w47 + 3 * Self.day).label == "2026-W46")
        #expect(ReportWeek.lastComplete(before: Self.w47).label == "2026-W46")
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        #expect(ReportWeek(parsing: "2026-W47", timeZone: paris)?.startMs == Self.w47 - 3_600_000)
    }

    @Test func jsonMatchesTheGoldenFile() throws {
        try golden("weekly-report.json", Self.report().json())
    }

    @Test func markdownMatchesTheGoldenFile() throws {
        try golden("weekly-report.md", Self.report().markdown())
    }

    func golden(_ name: String, _ actual: String) throws {
        let path = "/" + #filePath.split(separator: "/").dropLast().joined(separator: "/") + "/Golden/" + name
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(actual == expected, "regenerate with UPDATE_GOLDEN=1 if the change is intended")
    }
}

/// The report reads per-minute counts, so its cost depends on the minutes kept, not on the events: a week
/// with every minute of the 37 kept days filled costs what a week of a million events a day costs.
@Suite struct WeeklyReportCostTests {
    @Test func aFullWeekIsComputedAndRenderedWellUnderTwoSeconds() {
        var engine = SLOEngine(definitions: SLODefinition.defaults)
        var labels = Labels()
        var activity = HourlyActivity()
        let tenant = labels.tenants.intern("acme")
        let target = labels.targets.intern("github")
        let end = WeeklyReportTests.w47 + 7 * WeeklyReportTests.day
        var t = end - 37 * WeeklyReportTests.day
        while t < end {
            let status: Int16 = t % (7 * 60_000) == 0 ? 500 : 200
            let e = Event(time: t, tenant: tenant, target: target, operation: .update, status: status)
            engine.record(e, countedStatus: e.countedStatus, labels: labels)
            activity.recordAttempt(status: status, at: t)
            t += 60_000
        }
        let clock = ContinuousClock()
        var html = ""
        let elapsed = clock.measure {
            let report = WeeklyReport.compute(slo: engine, labels: labels, overdue: [], week: ReportWeek(year: 2026, week: 47)!,
                                              now: end + 3_600_000, activity: activity)
            html = report.html() + report.markdown() + report.json()
        }
        print("weekly report over 37 full days of minutes: \(elapsed)")
        #expect(html.contains("scim-requests"))
        #expect(elapsed < .seconds(2))
    }
}

@Suite struct BadTallyTests {
    @Test func countsByHourSurviveLateEventsNewHoursAndARestore() throws {
        var engine = SLOEngine(definitions: [SLODefinition(name: "r", sli: .requestSuccess(bad: [.hundreds(5)]), objective: 0.99)])
        var labels = Labels()
        let a = labels.targets.intern("a"), b = labels.targets.intern("b"), t = labels.tenants.intern("t")
        let hour: Int64 = 3_600_000
        func bad(_ time: Int64, _ target: LabelID, _ status: Int16) {
            engine.record(Event(time: time, tenant: t, target: target, operation: .update, status: status),
                          countedStatus: status, labels: labels)
        }
        bad(10 * hour, a, 500)
        bad(10 * hour + 5, b, 503)
        bad(11 * hour, a, 500)      // a new hour folds the previous one
        bad(10 * hour + 9, a, 502)  // late, into a past hour
        var restored = SLOEngine(definitions: engine.trackers.map(\.definition))
        try restored.restoreTallies(engine.encodedTallies())
        bad(11 * hour + 1, b, 500)  // after the snapshot: only in `engine`
        for (e, extra) in [(engine, 1), (restored, 0)] {
            let totals = e.trackers[0].badTally.totals(from: 10 * hour, to: 12 * hour)
            #expect(totals.targets[a] == 3 && totals.targets[b] == 1 + extra)
            #expect(totals.statuses[500] == 2 + extra && totals.statuses[502] == 1)
            #expect(e.trackers[0].badTally.totals(from: 10 * hour, to: 11 * hour).targets[a] == 2)
        }
        // The restored tally keeps counting into the hour it restored.
        restored.record(Event(time: 11 * hour + 1, tenant: t, target: b, operation: .update, status: 500), countedStatus: 500, labels: labels)
        #expect(restored.trackers[0].badTally == engine.trackers[0].badTally)
    }
}
