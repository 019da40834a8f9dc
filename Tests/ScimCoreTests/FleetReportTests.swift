import Foundation
import ScimCore
import Testing

/// The pure half of `scimwatch report --prometheus`: a `query_range` answer read into per-minute growth
/// (counter resets, new instances, chunks), the query range cut under Prometheus's point limit, and the
/// report computed from that growth exactly as from a sidecar's own counts.
@Suite struct FleetReportTests {
    static let minute: Int64 = 60_000
    static let day: Int64 = 86_400_000
    /// 2026-11-16T00:00:00Z, the Monday of 2026-W47.
    static let w47: Int64 = 1_794_787_200_000
    /// The first step of the hand-made answers: Tuesday 09:00 of W47 (seconds).
    static let t0 = (w47 + day + 9 * 3_600_000) / 1000

    /// `query_range` of scim_slo_events_total at five one-minute steps from t0:
    /// - instance a, slo api: 10, 12, 15, 3 (a restart without state), 5;
    /// - instance b, slo api: first seen at the third step with 4 (a new instance), then 6;
    /// - instance a, slo other: 1, 1 (no growth).
    static func answer(steps: Range<Int> = 0..<5, a: [String] = ["10", "12", "15", "3", "5"], b: [String] = ["4", "6"]) -> String {
        func values(_ list: [(Int, String)]) -> String {
            list.filter { steps.contains($0.0) }.map { "[\(t0 + Int64($0.0) * 60).0,\"\($0.1)\"]" }.joined(separator: ",")
        }
        let a = values(Array(a.enumerated()))
        let b = values(b.enumerated().map { ($0.offset + 2, $0.element) })
        let other = values([(0, "1"), (1, "1")])
        return """
            {"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"scim_slo_events_total","instance":"a:9477","job":"scimwatch","slo":"api"},"values":[\(a)]},
            {"metric":{"__name__":"scim_slo_events_total","instance":"b:9477","job":"scimwatch","slo":"api"},"values":[\(b)]},
            {"metric":{"__name__":"scim_slo_events_total","instance":"a:9477","job":"scimwatch","slo":"other"},"values":[\(other)]}
            ]}}
            """
    }

    static func decode(_ text: String) throws -> PrometheusAnswer { try PrometheusAnswer(decoding: Array(text.utf8)) }

    @Test func aMatrixOfTwoInstancesWithACounterResetBecomesTheirSummedGrowthPerMinute() throws {
        let answer = try Self.decode(Self.answer())
        #expect(answer.resultType == "matrix" && answer.series.count == 3)
        #expect(answer.series[0].samples.first == .init(timeMs: Self.t0 * 1000, value: 10))
        var growth = CounterIncrements(groupLabel: "slo", baselineMs: Self.t0 * 1000)
        growth.add(answer)
        let m0 = Self.t0 / 60
        // a: +2, +3, +3 (reset: counted from zero), +2; b: +4 (new, from zero), +2. Growth between two
        // steps lands in the minute that ends at the later one.
        #expect(growth.perMinute("api").map { [$0.minute - m0, Int64($0.count)] } == [[0, 2], [1, 3 + 4], [2, 3 + 2], [3, 2]])
        #expect(growth.total("api") == 10 + 6)
        #expect(growth.total("other") == 0 && growth.groups == ["api"])
        #expect(growth.resets == 1 && growth.newSeries == 1 && growth.seriesSeen == 3)
    }

    @Test func aSeriesSeededFromBeforeTheRangeIsNotCountedFromZero() throws {
        var growth = CounterIncrements(groupLabel: "slo", baselineMs: Self.t0 * 1000)
        // b was down at the first step; its last value before the range was 3.
        growth.seed(try Self.decode(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"instance":"b:9477","job":"scimwatch","slo":"api"},"value":[\#(Self.t0),"3"]}]}}"#))
        growth.add(try Self.decode(Self.answer().replacingOccurrences(of: #""__name__":"scim_slo_events_total","#, with: "")))
        #expect(growth.total("api") == 10 + 1 + 2 && growth.newSeries == 0)
    }

    @Test func chunksInOrderAndOverlapsGiveTheSameGrowthAsOneAnswer() throws {
        var whole = CounterIncrements(groupLabel: "slo", baselineMs: Self.t0 * 1000)
        whole.add(try Self.decode(Self.answer()))
        var chunked = CounterIncrements(groupLabel: "slo", baselineMs: Self.t0 * 1000)
        chunked.add(try Self.decode(Self.answer(steps: 0..<3)))
        chunked.add(try Self.decode(Self.answer(steps: 2..<5))) // overlaps the third step: not counted twice
        chunked.add(try Self.decode(Self.answer(steps: 3..<5))) // the same chunk again
        #expect(chunked.perMinute("api").map { [$0.minute, Int64($0.count)] } == whole.perMinute("api").map { [$0.minute, Int64($0.count)] })
        #expect(chunked.resets == 1)
    }

    @Test func wildValuesAndTimesInAnAnswerAreRefusedOrClampedNeverATrap() throws {
        #expect { try Self.decode(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1e300,"3"]}]}}"#) }
            throws: { "\($0)".contains("not a time") }
        // A foreign series of the same name, far past any real count: growth is clamped and sums saturate.
        let huge = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"slo":"api","instance":"a"},"values":[[\#(Self.t0),"0"],[\#(Self.t0 + 60),"1e300"],[\#(Self.t0 + 120),"1e30"],[\#(Self.t0 + 180),"1e300"]]},{"metric":{"slo":"api","instance":"b"},"values":[[\#(Self.t0 + 60),"1e300"]]}]}}"#
        var growth = CounterIncrements(groupLabel: "slo", baselineMs: Self.t0 * 1000)
        for _ in 0..<3 { growth.add(try Self.decode(huge)) }
        #expect(growth.total("api") == 4 << 53 && growth.total("api", from: Self.t0 * 1000, to: (Self.t0 + 240) * 1000) == 4 << 53)
        var many = CounterIncrements(groupLabel: "code", baselineMs: Self.t0 * 1000)
        for i in 0..<3000 {
            many.add(try Self.decode(#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"code":"401","i":"\#(i)"},"values":[[\#(Self.t0 + 60),"1e300"]]}]}}"#))
        }
        #expect(many.total("401") == .max)
        let activity = WeeklyReport.fleetActivity(requests: many, latency: many, week: ReportWeek(year: 2026, week: 47)!)
        #expect(activity[1].attempts == .max)
    }

    @Test func prometheusErrorsAndAnswersOfAnotherShapeSayWhy() throws {
        let error = #"{"status":"error","errorType":"bad_data","error":"exceeded maximum resolution of 11,000 points per timeseries"}"#
        #expect { try Self.decode(error) } throws: { "\($0)".contains("bad_data: exceeded maximum resolution") }
        #expect { try Self.decode("<html>502 Bad Gateway</html>") } throws: { "\($0)".contains("not Prometheus API JSON") && "\($0)".contains("502") }
        #expect { try Self.decode(#"{"status":"success","data":{"resultType":"streams","result":[]}}"#) } throws: { "\($0)".contains("streams") }
        let vector = try Self.decode(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1794787200.5,"3"]}]}}"#)
        #expect(vector.series.first?.samples == [.init(timeMs: 1_794_787_200_500, value: 3)])
    }

    @Test func prometheusAlertsBecomeFiringsWithTheirBudgetSpent() throws {
        // ALERTS of the page on api at steps 1...3 (resolved at step 4) and again at the last step, 9;
        // a pending alert and a symptom alert are not SLO firings.
        func points(_ steps: [Int64]) -> String { steps.map { "[\(Self.t0 + $0 * 60),\"1\"]" }.joined(separator: ",") }
        let answer = try Self.decode("""
            {"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"ALERTS","alertname":"SLOBurnRatePage","alertstate":"firing","severity":"page","slo":"api"},"values":[\(points([1, 2, 3, 9]))]},
            {"metric":{"__name__":"ALERTS","alertname":"SLOBurnRateTicket","alertstate":"pending","severity":"ticket","slo":"api"},"values":[\(points([5]))]},
            {"metric":{"__name__":"ALERTS","alertname":"DeprovisionsOverdue","alertstate":"firing","severity":"page"},"values":[\(points([5]))]}
            ]}}
            """)
        var alerts = FleetAlertFirings(stepMs: Self.minute, lastStepMs: (Self.t0 + 9 * 60) * 1000)
        alerts.add(answer)
        let t0 = Self.t0 * 1000
        #expect(alerts.firings == [
            .init(alert: "SLOBurnRatePage", slo: "api", severity: .page, startMs: t0 + Self.minute, endMs: t0 + 4 * Self.minute),
            .init(alert: "SLOBurnRatePage", slo: "api", severity: .page, startMs: t0 + 9 * Self.minute, endMs: nil),
        ])
        var events = CounterIncrements(groupLabel: "slo", baselineMs: t0)
        events.add(try Self.decode(Self.answer()))
        var bad = CounterIncrements(groupLabel: "slo", baselineMs: t0)
        bad.add(try Self.decode(Self.answer(a: ["2", "2", "3", "0", "1"], b: ["1", "1"])))
        let report = WeeklyReport.compute(
            fleetEvents: events, bad: bad, definitions: [SLODefinition(name: "api", sli: .requestSuccess(bad: [.hundreds(5)]), objective: 0.99)],
            firings: alerts.firings, week: ReportWeek(year: 2026, week: 47)!, now: t0 + 10 * Self.minute, prometheus: "http://p", overdueCount: 0)
        #expect(report.alerts.map(\.start) == ["2026-11-17T09:01:00Z", "2026-11-17T09:09:00Z"])
        #expect(report.alerts.map(\.end) == ["2026-11-17T09:04:00Z", nil])
        // Budget left before 09:01 (2 events, none bad) minus at 09:04 (16 events, 3 bad): 1 - (1 - 3 / 0.16).
        #expect(report.alerts.first?.budgetSpent == 18.75)
        #expect(report.overdueDeprovisions.known && report.overdueDeprovisions.count == 0, "the current week: the live gauge")
    }

    @Test func requestsAndDeprovisionsByDayComeFromTheRequestCounterAndTheLatencyHistogram() throws {
        // Hourly steps from Monday 00:00 of W47. a: code 200 at 0, 10, 10, 25 and 30 at Tuesday 00:00 (that
        // hour's growth is Monday's), code 401 at 0, 2; b: code 429 first seen at the third step with 5.
        let hour: Int64 = 3600, start = Self.w47 / 1000
        func series(_ labels: String, _ points: [(Int64, String)]) -> String {
            #"{"metric":{\#(labels)},"values":[\#(points.map { "[\(start + $0.0 * hour),\"\($0.1)\"]" }.joined(separator: ","))]}"#
        }
        let requests = try Self.decode("""
            {"status":"success","data":{"resultType":"matrix","result":[
            \(series(#""instance":"a","code":"200","tenant":"acme""#, [(0, "0"), (1, "10"), (2, "10"), (3, "25"), (24, "30")])),
            \(series(#""instance":"a","code":"401","tenant":"acme""#, [(0, "0"), (1, "2")])),
            \(series(#""instance":"b","code":"429","tenant":"acme""#, [(2, "5"), (3, "5")]))
            ]}}
            """)
        // Deprovision latencies on Wednesday: 1 within 1 s, 3 within 10 s, 4 within 100 s, 4 in all.
        let wednesday: Int64 = 48
        let buckets = ["1": "1", "10": "3", "100": "4", "+Inf": "4"].map { le, n in
            series(#""instance":"a","class":"deprovision","le":"\#(le)""#, [(wednesday, "0"), (wednesday + 1, n)])
        }
        let latency = try Self.decode(#"{"status":"success","data":{"resultType":"matrix","result":["# + buckets.joined(separator: ",") + "]}}")
        var requestGrowth = CounterIncrements(groupLabel: "code", baselineMs: Self.w47)
        requestGrowth.add(requests)
        var latencyGrowth = CounterIncrements(groupLabel: "le", baselineMs: Self.w47)
        latencyGrowth.add(latency)
        let days = WeeklyReport.fleetActivity(requests: requestGrowth, latency: latencyGrowth, week: ReportWeek(year: 2026, week: 47)!)
        let monday: UInt64 = 10 + 15 + 5 + 2 + 5
        #expect(days.map(\.attempts) == [monday, 0, 0, 0, 0, 0, 0])
        #expect(days[0].authFailureShare == 0.054054 && days[0].rateLimitedShare == 0.135135)
        #expect(days[1].authFailureShare == nil)
        #expect(days.map(\.deprovisions) == [0, 0, 4, 0, 0, 0, 0])
        #expect([days[2].latencyP50, days[2].latencyP95, days[2].latencyP99] == [10, 100, 100])
        #expect(days[0].latencyP50 == nil)
        let range = FleetQueryRange.activity(of: ReportWeek(year: 2026, week: 47)!, now: Self.w47 + 90 * Self.minute)
        #expect(range.startMs == Self.w47 && range.endMs == Self.w47 + 2 * 60 * Self.minute && range.stepMs == 60 * Self.minute)
    }

    @Test func theRangeCoversThePeriodAndAWeekInChunksUnderThePointLimit() {
        let week = ReportWeek(year: 2026, week: 47)!
        let range = FleetQueryRange(week: week, periodsMs: [30 * Self.day, 7 * Self.day], now: Self.w47 + 30 * Self.day)
        #expect(range.startMs == Self.w47 + 7 * Self.day - 37 * Self.day && range.endMs == Self.w47 + 7 * Self.day)
        let chunks = range.chunks()
        #expect(chunks.first?.startMs == range.startMs && chunks.last?.endMs == range.endMs)
        for (c, next) in zip(chunks, chunks.dropFirst()) { #expect(next.startMs == c.endMs + range.stepMs) }
        for c in chunks { #expect((c.endMs - c.startMs) / range.stepMs + 1 <= Int64(FleetQueryRange.maxPointsPerSeries)) }
        #expect(chunks.count == 5) // 37 days of minutes is 53,281 points
        // The current week ends at now, rounded up to the minute; a week after now is empty.
        let current = FleetQueryRange(week: week, periodsMs: [30 * Self.day], now: Self.w47 + Self.day + 30_500)
        #expect(current.endMs == Self.w47 + Self.day + Self.minute)
        #expect(FleetQueryRange(week: week, periodsMs: [], now: Self.w47 - 30 * Self.day).chunks().isEmpty)
    }

    @Test func theFleetReportIsTheReportOfTheSameCountsSummed() throws {
        let definitions = [
            SLODefinition(name: "api", sli: .requestSuccess(bad: [.hundreds(5)]), objective: 0.99, periodMs: 14 * Self.day),
            SLODefinition(name: "quiet", sli: .operationSuccess(classes: [.provision]), objective: 0.999, periodMs: 14 * Self.day),
        ]
        var events = CounterIncrements(groupLabel: "slo", baselineMs: Self.t0 * 1000)
        events.add(try Self.decode(Self.answer()))
        var bad = CounterIncrements(groupLabel: "slo", baselineMs: Self.t0 * 1000)
        // Bad: a 2, 2, 3, 0 (the restart), 1; b 1, 1: 1 + 0 + 1 from a, 1 from b.
        bad.add(try Self.decode(Self.answer(a: ["2", "2", "3", "0", "1"], b: ["1", "1"])))
        let week = ReportWeek(year: 2026, week: 47)!
        let now = Self.w47 + 8 * Self.day
        let fleet = WeeklyReport.compute(fleetEvents: events, bad: bad, definitions: definitions, week: week, now: now,
                                         prometheus: "http://127.0.0.1:9090", overdueCount: 3)

        // The same counts as one sidecar would hold them: 16 events on Tuesday, of which 3 bad.
        var engine = SLOEngine(definitions: definitions)
        var labels = Labels()
        let acme = labels.tenants.intern("acme")
        let github = labels.targets.intern("github")
        for (i, status) in (Array(repeating: 200, count: 13) + Array(repeating: 500, count: 3)).enumerated() {
            let e = Event(time: Self.t0 * 1000 + Int64(i) * 1000, tenant: acme, target: github, operation: .update, status: Int16(status))
            engine.record(e, countedStatus: e.countedStatus, labels: labels)
        }
        let sidecar = WeeklyReport.compute(slo: engine, labels: labels, overdue: [], week: week, now: now)
        let api = try #require(fleet.slos.first)
        #expect(api.week == .init(events: 16, bad: 3, sli: 0.8125) && api.days[1].events == 16 && api.days[1].bad == 3)
        #expect(fleet.slos.map(\.week) == sidecar.slos.map(\.week) && fleet.slos.map(\.period) == sidecar.slos.map(\.period))
        #expect(fleet.slos.map(\.budgetLeft) == sidecar.slos.map(\.budgetLeft))
        #expect(fleet.slos.map(\.failuresAllowed) == sidecar.slos.map(\.failuresAllowed))
        #expect(fleet.slos.map(\.status) == ["breached", "no data"])
        #expect(fleet.slos.map { $0.days.map(\.sli) } == sidecar.slos.map { $0.days.map(\.sli) })
        // What Prometheus cannot know is said, not shown as zero.
        #expect(fleet.activity.isEmpty && fleet.alerts.isEmpty && fleet.topFailing.targets.isEmpty)
        #expect(!fleet.overdueDeprovisions.known, "a past week: the overdue gauge says only now")
        #expect(fleet.notes.contains { $0.contains("by scrape time") })
        #expect(fleet.notes.contains { $0.contains("2 seen") }, "\(fleet.notes)")
        #expect(fleet.notes.contains { $0.contains("Prometheus at http://127.0.0.1:9090") })
        for format in ReportFormat.allCases { #expect(!fleet.render(format).isEmpty) }
        // Latency percentiles are bounds of the exposed histogram's buckets, not of the sidecar's 25% buckets.
        #expect(fleet.markdown().contains("Latencies are upper bounds of scim_operation_latency_seconds buckets."))
        #expect(sidecar.markdown().contains("Latencies are upper bounds of 25% buckets."))
        #expect(fleet.html().contains("latencies are upper bounds of scim_operation_latency_seconds buckets"))
    }

    @Test func overdueDeprovisionsOfTheCurrentWeekWithNothingScrapedSayWhyTheyAreUnknown() throws {
        let definitions = [SLODefinition(name: "api", sli: .requestSuccess(bad: [.hundreds(5)]), objective: 0.99, periodMs: 14 * Self.day)]
        let week = ReportWeek(year: 2026, week: 47)!
        let empty = CounterIncrements(groupLabel: "slo", baselineMs: Self.w47)
        let current = WeeklyReport.compute(fleetEvents: empty, bad: empty, definitions: definitions, week: week, now: Self.w47 + 2 * Self.day,
                                           prometheus: "http://127.0.0.1:9090", overdueCount: nil)
        #expect(!current.overdueDeprovisions.known && current.overdueDeprovisions.reason == "Prometheus scrapes no scimwatch now")
        #expect(current.markdown().contains("Unknown: Prometheus scrapes no scimwatch now.\n"))
        #expect(current.html().contains("<p>Unknown: Prometheus scrapes no scimwatch now.</p>"))
        for format in [ReportFormat.md, .html] { #expect(!current.render(format).contains("past week")) }
        let past = WeeklyReport.compute(fleetEvents: empty, bad: empty, definitions: definitions, week: week, now: Self.w47 + 8 * Self.day,
                                        prometheus: "http://127.0.0.1:9090", overdueCount: 3)
        #expect(past.overdueDeprovisions == .pastWeek && past.markdown().contains("Unknown: not recorded for a past week.\n"))
    }
}
