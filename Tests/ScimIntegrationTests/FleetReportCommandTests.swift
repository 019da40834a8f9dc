import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import ScimCore
import ScimTesting
import Testing

/// `scimwatch report --prometheus`: a real Prometheus (Debian's `prometheus`) scraping two real
/// `scimwatch run` every second gives the report of the two instances' counts summed; an unreachable or
/// wrong Prometheus is a clear error and a non-zero exit.
///
/// When the two sides agree: a sidecar counts an event in the minute of its event time, Prometheus in the
/// minute it scraped the grown counter. The lines here carry the wall-clock time at which they are written
/// and are scraped within seconds, so the weeks (and days) agree unless the run crosses a week's (a day's)
/// end between writing the lines and the last scrape; the test measures that and then compares only what
/// must still agree (the totals across both weeks).
@Suite struct FleetReportCommandTests {
    let bin = scimwatchExecutable()
    static let day: Int64 = 86_400_000

    @Test func theFleetReportFromPrometheusIsTheSumOfTheTwoInstancesReports() async throws {
        let binary = try #require(which("prometheus"), "Prometheus is installed by scripts/test.sh (Debian package prometheus)")
        let dir = try TemporaryDirectory(prefix: "fleet")
        defer { dir.remove() }
        let (a, aAddress) = try await startInstance("a", in: dir)
        defer { a.kill() }
        let (b, bAddress) = try await startInstance("b", in: dir)
        defer { b.kill() }
        try """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: scimwatch
                static_configs:
                  - targets: ['\(aAddress)', '\(bAddress)']
            """.write(toFile: dir.file("prometheus.yml"), atomically: true, encoding: .utf8)
        let (prometheus, base) = try await DashboardTests().startPrometheus(binary, config: dir.file("prometheus.yml"), data: dir.file("tsdb"))
        defer { prometheus.kill() }

        // Both instances scraped before any line is written: every series is first seen at zero.
        let scraped = try await eventuallyAsync(timeout: 60) {
            try await query(base, "count by (instance) (scim_slo_events_total)").count == 2
        }
        try #require(scraped, "Prometheus did not scrape both instances:\n\(prometheus.output.suffix(2000))")

        // a: 30 attempts, 3 answered 500; b: 20 attempts, 4 answered 401 (both bad for scim-requests).
        let t0 = Int64(Date().timeIntervalSince1970 * 1000)
        try Files.append(lines(30, at: t0, badEvery: 10, status: 500, prefix: "a"), to: dir.file("a/app.log"))
        try Files.append(lines(20, at: t0, badEvery: 5, status: 401, prefix: "b"), to: dir.file("b/app.log"))
        // What /metrics shows is committed state: once each instance shows its lines, the counts are final.
        var final: [String: (events: Double, bad: Double)] = [:]
        for (address, count) in [(aAddress, 30.0), (bAddress, 20.0)] {
            var counts: [String: (events: Double, bad: Double)] = [:]
            let committed = try await eventuallyAsync(timeout: 60) {
                counts = try await sloCounters(at: "http://\(address)/metrics")
                return counts["scim-requests"]?.events == count
            }
            try #require(committed, "\(address) did not count its lines:\n\((address == aAddress ? a : b).output.suffix(2000))")
            final.merge(counts) { ($0.events + $1.events, $0.bad + $1.bad) }
        }
        // Prometheus has scraped those final counts from both.
        let caughtUp = try await eventuallyAsync(timeout: 60) {
            let events = try await vector(base, "sum by (slo) (scim_slo_events_total)")
            let bad = try await vector(base, "sum by (slo) (scim_slo_bad_events_total)")
            return final.allSatisfy { events[$0.key] == $0.value.events && bad[$0.key] == $0.value.bad }
        }
        try #require(caughtUp, "Prometheus did not scrape the final counts \(final)")
        let t1 = Int64(Date().timeIntervalSince1970 * 1000)

        let week = ReportWeek(containing: t0)
        let weeks = [week] + (ReportWeek(containing: t1) == week ? [] : [ReportWeek(containing: t1)])
        var fleetReports: [WeeklyReport] = []
        for w in weeks {
            let run = try runProcess(bin, ["report", "--prometheus", base, "--week", w.label, "--format", "json"])
            try #require(run.status == 0, "\(run.stderr)")
            fleetReports.append(try JSONDecoder().decode(WeeklyReport.self, from: Data(run.stdout.utf8)))
        }
        let markdown = try runProcess(bin, ["report", "--prometheus", base, "--week", week.label, "--format", "md"])
        #expect(markdown.status == 0 && markdown.stdout.contains("| scim-requests |") && markdown.stdout.contains("by scrape time"))
        let html = try runProcess(bin, ["report", "--prometheus", base, "--week", week.label, "--out", dir.file("fleet.html")])
        #expect(html.status == 0 && Files.read(dir.file("fleet.html")).contains("<svg"), "\(html.stderr)")
        // A scimwatch instance is not a Prometheus: its 404 is a clear error too.
        let wrong = try runProcess(bin, ["report", "--prometheus", "http://\(aAddress)", "--week", week.label])
        #expect(wrong.status != 0 && wrong.stderr.contains("Prometheus at http://\(aAddress)/api/v1/") && wrong.stderr.contains("404"),
                "\(wrong.stderr)")

        var sidecars: [WeeklyReport] = []
        for (name, child) in [("a", a), ("b", b)] {
            child.signal(SIGTERM)
            #expect(child.waitForExit(timeout: 30) != nil, "\(name) did not stop")
            let run = try runProcess(bin, ["report", "--state", dir.file("\(name)/state.sqlite"), "--week", week.label, "--format", "json"])
            try #require(run.status == 0, "\(run.stderr)")
            sidecars.append(try JSONDecoder().decode(WeeklyReport.self, from: Data(run.stdout.utf8)))
        }

        let fleet = fleetReports[0]
        #expect(fleet.slos.map(\.name) == sidecars[0].slos.map(\.name))
        // No rule of `scimwatch rules` is loaded: Prometheus fired nothing (each sidecar's own alerts are not the fleet's).
        #expect(fleet.notes.contains { $0.contains("by scrape time") } && fleet.alerts.isEmpty)
        if weeks.count == 1, t0 / Self.day == t1 / Self.day {
            // Requests by day: every line is a timely attempt, so scim_requests_total counts what the sidecars' hourly tallies do.
            for (d, day) in fleet.activity.enumerated() {
                let parts = sidecars.map { $0.activity[d] }
                let attempts = parts.map(\.attempts).reduce(0, +)
                func share(_ key: KeyPath<WeeklyReport.Activity, Double?>) -> Double? {
                    attempts == 0 ? nil : round6(parts.map { ($0[keyPath: key] ?? 0) * Double($0.attempts) }.map { $0.rounded() }.reduce(0, +) / Double(attempts))
                }
                #expect(day.date == parts[0].date && day.attempts == attempts, "\(day.date)")
                #expect(day.authFailureShare == share(\.authFailureShare) && day.rateLimitedShare == share(\.rateLimitedShare), "\(day.date)")
                #expect(day.deprovisions == 0 && day.latencyP50 == nil)
            }
            #expect(fleet.activity.map(\.attempts).reduce(0, +) == 50)
        }
        for (i, slo) in sidecars[0].slos.enumerated() {
            let other = sidecars[1].slos[i]
            let events = slo.week.events + other.week.events, bad = slo.week.bad + other.week.bad
            // Across the weeks the scrapes fell in, the fleet counted exactly what the two instances counted.
            #expect(fleetReports.map { $0.slos[i].week.events }.reduce(0, +) == events, "\(slo.name)")
            #expect(fleetReports.map { $0.slos[i].week.bad }.reduce(0, +) == bad, "\(slo.name)")
            guard weeks.count == 1 else { continue }
            let f = fleet.slos[i]
            let objective = slo.objective
            #expect(f.objective == objective && f.kind == slo.kind)
            #expect(f.week == .init(events: events, bad: bad, sli: sli(events, bad)), "\(slo.name)")
            let periodEvents = slo.period.events + other.period.events, periodBad = slo.period.bad + other.period.bad
            #expect(f.period == .init(events: periodEvents, bad: periodBad, sli: sli(periodEvents, periodBad)), "\(slo.name)")
            #expect(f.budgetLeft == budgetLeft(periodEvents, periodBad, objective), "\(slo.name)")
            #expect(f.failuresAllowed == (periodEvents == 0 ? nil
                : Int64((Double(periodEvents) * (1 - objective) + 1e-9).rounded(.down)) - Int64(periodBad)), "\(slo.name)")
            let left = budgetLeft(periodEvents, periodBad, objective)
            #expect(f.status == (events == 0 ? "no data" : left.map { $0 < 0 ? "breached" : $0 < 0.25 ? "at risk" : "met" } ?? "met"))
            guard t0 / Self.day == t1 / Self.day else { continue }
            var cumulative: (events: UInt64, bad: UInt64) = (0, 0)
            for (d, day) in slo.days.enumerated() {
                let e = day.events + other.days[d].events, b = day.bad + other.days[d].bad
                cumulative = (cumulative.events + e, cumulative.bad + b)
                #expect(f.days[d].date == day.date && f.days[d].events == e && f.days[d].bad == b && f.days[d].sli == sli(e, b))
                #expect(f.days[d].budgetLeft == budgetLeft(cumulative.events, cumulative.bad, objective), "\(slo.name) \(day.date)")
            }
        }
        let requests = try #require(fleet.slos.first { $0.name == "scim-requests" })
        if weeks.count == 1 { #expect(requests.week.events == 50 && requests.week.bad == 7) }
        if ReportWeek(containing: Int64(Date().timeIntervalSince1970 * 1000)) == week {
            // No deprovision is overdue, and the instances are scraped: a known zero, not "unknown".
            #expect(fleet.overdueDeprovisions.known && fleet.overdueDeprovisions.count == 0)
        }
        prometheus.signal(SIGTERM)
        _ = prometheus.waitForExit(timeout: 10)
    }

    @Test func anUnreachablePrometheusIsAClearErrorAndANonZeroExit() throws {
        let port = try freeLocalPort()
        let run = try runProcess(bin, ["report", "--prometheus", "http://127.0.0.1:\(port)", "--format", "json"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("Prometheus at http://127.0.0.1:\(port)/api/v1/") && run.stderr.contains("refused"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        // A user and password in the URL are never shown.
        let withPassword = try runProcess(bin, ["report", "--prometheus", "http://reader:s3cret@127.0.0.1:\(port)/prom"])
        #expect(withPassword.status != 0 && withPassword.stderr.contains("Prometheus at http://127.0.0.1:\(port)/prom/api/v1/"), "\(withPassword.stderr)")
        #expect(!withPassword.stderr.contains("s3cret") && !withPassword.stderr.contains("reader"), "\(withPassword.stderr)")
        let notHTTP = try runProcess(bin, ["report", "--prometheus", "ftp://127.0.0.1:\(port)"])
        #expect(notHTTP.status != 0 && notHTTP.stderr.contains("http(s) URL"), "\(notHTTP.stderr)")
        let both = try runProcess(bin, ["report", "--prometheus", "http://127.0.0.1:\(port)", "--state", "x.sqlite"])
        #expect(both.status != 0 && both.stderr.contains("give one"), "\(both.stderr)")
    }

    // MARK: - Helpers

    /// A `scimwatch run` tailing `NAME/*.log` with its own state, serving on a free port; returns it and HOST:PORT.
    func startInstance(_ name: String, in dir: TemporaryDirectory) async throws -> (ChildProcess, String) {
        try FileManager.default.createDirectory(atPath: dir.file(name), withIntermediateDirectories: true)
        try """
            listen: 127.0.0.1:0
            state: \(dir.file("\(name)/state.sqlite"))
            sources: [{name: app, paths: ["\(dir.file("\(name)/*.log"))"], format: native}]
            tailer: {poll_interval: 50ms}
            """.write(toFile: dir.file("\(name)/config.yaml"), atomically: true, encoding: .utf8)
        let child = try ChildProcess(bin, ["run", "--config", dir.file("\(name)/config.yaml")])
        guard let url = await output(of: child, matching: "http://127.0.0.1:[0-9]+/metrics", timeout: 60) else {
            child.kill()
            throw TestSupportError("scimwatch run (\(name)) did not start:\n\(child.output.suffix(2000))")
        }
        return (child, url.replacingOccurrences(of: "http://", with: "").replacingOccurrences(of: "/metrics", with: ""))
    }

    /// `count` native attempts at `time` + i ms; every `badEvery`-th answered `status`, the others 200.
    func lines(_ count: Int, at time: Int64, badEvery: Int, status: Int, prefix: String) -> String {
        (0..<count).map { i in
            #"{"time":\#(time + Int64(i)),"tenant":"acme","target":"github","operation":"update","status":\#(i % badEvery == 0 ? status : 200),"correlation_id":"\#(prefix)-\#(i)"}"#
        }.joined(separator: "\n") + "\n"
    }

    func sli(_ events: UInt64, _ bad: UInt64) -> Double? {
        events == 0 ? nil : round6(1 - Double(bad) / Double(events))
    }

    func budgetLeft(_ events: UInt64, _ bad: UInt64, _ objective: Double) -> Double? {
        events == 0 ? nil : round6(1 - Double(bad) / (Double(events) * (1 - objective)))
    }

    func round6(_ x: Double) -> Double { (x * 1_000_000).rounded() / 1_000_000 }
}

/// `scim_slo_events_total` and `scim_slo_bad_events_total` by SLO, from a scimwatch's `/metrics`.
func sloCounters(at url: String) async throws -> [String: (events: Double, bad: Double)] {
    var out: [String: (events: Double, bad: Double)] = [:]
    for line in try await fetch(url).body.split(separator: "\n") {
        for (metric, isBad) in [("scim_slo_events_total{slo=\"", false), ("scim_slo_bad_events_total{slo=\"", true)] where line.hasPrefix(metric) {
            let rest = line.dropFirst(metric.count)
            guard let quote = rest.firstIndex(of: "\""), let value = Double(rest.split(separator: " ").last ?? "") else { continue }
            let slo = String(rest[..<quote])
            if isBad { out[slo, default: (0, 0)].bad = value } else { out[slo, default: (0, 0)].events = value }
        }
    }
    return out
}

/// An instant query's vector as `slo` label -> value.
func vector(_ base: String, _ expr: String) async throws -> [String: Double] {
    var components = URLComponents(string: base + "/api/v1/query")!
    components.queryItems = [URLQueryItem(name: "query", value: expr)]
    let answer = try PrometheusAnswer(decoding: Array(try await fetch(components.url!.absoluteString).body.utf8))
    var out: [String: Double] = [:]
    for series in answer.series { if let slo = series.labels["slo"], let v = series.samples.last?.value { out[slo] = v } }
    return out
}
