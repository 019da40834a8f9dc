import Foundation
import ScimCore
import ScimSources

/// `scimwatch report --prometheus URL`: the weekly report of every sidecar Prometheus scrapes, from the
/// raw `scim_slo_events_total` and `scim_slo_bad_events_total` counters and Prometheus's `ALERTS` of the `scimwatch rules` burn-rate alerts (see ``WeeklyReport/compute(fleetEvents:bad:definitions:firings:activity:week:now:prometheus:overdueCount:)``), and the requests and deprovisions by day from `scim_requests_total` and the deprovision latency histogram.
public enum FleetReportBuilder {
    /// The counters read, by their names in metrics.md.
    static let eventsMetric = "scim_slo_events_total"
    static let badMetric = "scim_slo_bad_events_total"
    static let overdueMetric = "scim_deprovisions_overdue"
    static let requestsMetric = "scim_requests_total"
    static let latencyMetric = #"scim_operation_latency_seconds_bucket{class="deprovision"}"#
    /// How far before the range a series' last value is looked for (an instance down at the range's start).
    static let seedLookback = "7d"

    /// The last raw sample of each one-minute step, per series: exact values, no extrapolation, and still
    /// there in the minute an instance stopped (the bare name would be stale by the next step).
    static func lastPerStep(_ metric: String) -> String { "last_over_time(\(metric)[1m])" }

    /// Queries Prometheus at `prometheus` for `week` (default: the last complete week before `now`) and
    /// computes the report for the configuration's SLOs. Throws ``PrometheusClientError`` (the URL and why)
    /// when Prometheus cannot be read, ``StartupError`` for a bad week.
    public static func weekly(
        configuration: ScimwatchConfiguration, prometheus: URL, week: String?, timeZone: TimeZone = .gmt,
        now: Int64 = WallClock.milliseconds(), timeout: Duration = .seconds(30)
    ) async throws -> WeeklyReport {
        let reportWeek = try ReportBuilder.parse(week: week, timeZone: timeZone, now: now)
        let definitions = configuration.slos
        let range = FleetQueryRange(week: reportWeek, periodsMs: definitions.map(\.periodMs), now: now)
        let client = PrometheusClient(baseURL: prometheus, timeout: timeout)
        var events = CounterIncrements(groupLabel: "slo", baselineMs: range.startMs)
        var bad = CounterIncrements(groupLabel: "slo", baselineMs: range.startMs)
        if !range.isEmpty {
            events.seed(try await client.query("last_over_time(\(eventsMetric)[\(seedLookback)])", atMs: range.startMs))
            bad.seed(try await client.query("last_over_time(\(badMetric)[\(seedLookback)])", atMs: range.startMs))
        }
        var alerts = FleetAlertFirings(stepMs: range.stepMs, lastStepMs: range.endMs)
        for chunk in range.chunks() {
            alerts.add(try await client.queryRange(FleetAlertFirings.query, startMs: chunk.startMs, endMs: chunk.endMs, stepMs: range.stepMs))
            events.add(try await client.queryRange(lastPerStep(eventsMetric), startMs: chunk.startMs, endMs: chunk.endMs, stepMs: range.stepMs))
            bad.add(try await client.queryRange(lastPerStep(badMetric), startMs: chunk.startMs, endMs: chunk.endMs, stepMs: range.stepMs))
        }
        let hours = FleetQueryRange.activity(of: reportWeek, now: now)
        var requests = CounterIncrements(groupLabel: "code", baselineMs: hours.startMs)
        var latency = CounterIncrements(groupLabel: "le", baselineMs: hours.startMs)
        if !hours.isEmpty {
            requests.seed(try await client.query("last_over_time(\(requestsMetric)[\(seedLookback)])", atMs: hours.startMs))
            latency.seed(try await client.query("last_over_time(\(latencyMetric)[\(seedLookback)])", atMs: hours.startMs))
        }
        for chunk in hours.chunks() {
            requests.add(try await client.queryRange("last_over_time(\(requestsMetric)[1h])", startMs: chunk.startMs, endMs: chunk.endMs, stepMs: hours.stepMs))
            latency.add(try await client.queryRange("last_over_time(\(latencyMetric)[1h])", startMs: chunk.startMs, endMs: chunk.endMs, stepMs: hours.stepMs))
        }
        let activity = WeeklyReport.fleetActivity(requests: requests, latency: latency, week: reportWeek)
        var overdue: Int?
        if now >= reportWeek.startMs && now < reportWeek.endMs {
            // The gauge has series only where some are overdue: 0 while any scimwatch is scraped, unknown if none.
            let answer = try await client.query("sum(\(overdueMetric)) or sum(scim_slo_objective_ratio) * 0", atMs: now)
            // Int(exactly:): a NaN or a huge value (a foreign series) reads as unknown instead of trapping.
            overdue = answer.series.first?.samples.first.flatMap { Int(exactly: $0.value.rounded()) }
        }
        return WeeklyReport.compute(fleetEvents: events, bad: bad, definitions: definitions, firings: alerts.firings, activity: activity, week: reportWeek, now: now,
                                    prometheus: client.displayURL, overdueCount: overdue)
    }
}
