import Foundation
import ScimApp
import ScimCore
import ScimNotifiers
import ScimStore
import ScimTesting
import Synchronization
import Testing

/// Scheduled weekly report delivery through the real ``ReportDeliveryService`` with a manual clock: files
/// written atomically into a directory, the Markdown summary POSTed to Slack and a webhook on 127.0.0.1,
/// the delivered week recorded in the store so a restart delivers nothing twice.
@Suite struct ReportDeliveryTests {
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000
    /// Monday 2026-11-16 00:00Z (2026-W47).
    static let w47: Int64 = 1_794_787_200_000
    /// Monday 08:00 UTC.
    static let schedule = ReportSchedule(weekday: 1, hour: 8, minute: 0, timeZone: .gmt)

    /// A time that only the test moves.
    final class ManualTime: Sendable {
        private let value: Mutex<Int64>
        init(_ start: Int64) { value = Mutex(start) }
        var now: Int64 { value.withLock { $0 } }
        func set(_ t: Int64) { value.withLock { $0 = t } }
    }

    /// A pipeline over a state file with one queue reading on Wednesday of W47, checkpointed and published.
    static func pipeline(_ path: String) throws -> IngestPipeline {
        var configuration = ScimwatchConfiguration()
        configuration.sources = []
        configuration.statePath = path
        let pipeline = try IngestPipeline(configuration: configuration, store: try Store(path: path), logger: quietLogger)
        pipeline.record(polls: [PollRecord(endpoint: "queue", result: .success(PollReading(queues: [QueueReading(name: "provisioning", depth: 42)])),
                                           duration: .milliseconds(3), finishedAt: w47 + 2 * day + 10 * hour)])
        pipeline.checkpoint()
        return pipeline
    }

    /// Runs `service` while `body` runs, then cancels it and waits for it to end.
    static func running<T>(_ service: ReportDeliveryService, _ body: () async throws -> T) async throws -> T {
        let task = Task { try await service.run() }
        defer { task.cancel() }
        let result = try await body()
        task.cancel()
        _ = await task.result
        return result
    }

    /// Polls `condition` every 20 ms for at most `seconds`.
    static func eventually(within seconds: Double = 15, _ condition: () throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }

    @Test func aDirectoryGetsTheLastCompleteWeekOnceAndARestartDoesNotWriteItAgain() async throws {
        let dir = try TemporaryDirectory(prefix: "report-delivery")
        defer { dir.remove() }
        let pipeline = try Self.pipeline(dir.file("state.sqlite"))
        let published = pipeline.published
        let out = dir.file("reports/weekly") // created by the delivery
        // Monday of W48 at 09:00: the process was down at 08:00, so W47 is delivered as soon as it starts.
        let clock = ManualTime(Self.w47 + 7 * Self.day + 9 * Self.hour)
        let configuration = ReportsConfiguration(schedule: Self.schedule, formats: [.html, .md, .json],
                                                 receivers: [ReportReceiver(name: "archive", kind: .directory(out))])
        func service(_ ledger: ReportDeliveryLedger) -> ReportDeliveryService {
            ReportDeliveryService(configuration: configuration, store: pipeline.store, snapshot: { published.metricsSnapshot() },
                                  ledger: ledger, interval: .milliseconds(20), clock: { clock.now }, logger: quietLogger)
        }
        let names = ReportFormat.allCases.map { "\(out)/" + ReportDeliveryService.fileName(week: "2026-W47", format: $0) }
        let ledger = ReportDeliveryLedger()
        try await Self.running(service(ledger)) {
            #expect(await Self.eventually { names.allSatisfy { FileManager.default.fileExists(atPath: $0) } })
            #expect(await Self.eventually { (try? pipeline.store.reportDeliveries()["archive"]?.week) == "2026-W47" })
        }
        let md = try String(contentsOfFile: names[1], encoding: .utf8)
        #expect(md.hasPrefix("# SLO report 2026-W47\n"))
        // The poll reading of Wednesday is in the delivered report (from the committed snapshot).
        #expect(md.contains("| 2026-11-18 | provisioning | 1 | 42 | 42 |"))
        let json = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: names[2]))))
        #expect(json["week"]?.stringValue == "2026-W47")
        #expect(try String(contentsOfFile: names[0], encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        // Written through a temporary file and a rename: none is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == names.map { ($0 as NSString).lastPathComponent }.sorted())
        #expect(ledger.snapshot["archive"] == ["sent": 1, "failed": 0])

        // A restart the same day: the store says W47 went out, so nothing is written again.
        for name in names { try FileManager.default.removeItem(atPath: name) }
        let restarted = ReportDeliveryLedger()
        try await Self.running(service(restarted)) {
            try await Task.sleep(for: .milliseconds(400))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
        #expect(restarted.snapshot["archive"] == ["sent": 1, "failed": 0]) // the count survives the restart

        // A week later, past 08:00: W48 is due.
        clock.set(Self.w47 + 14 * Self.day + 8 * Self.hour + 1)
        try await Self.running(service(restarted)) {
            #expect(await Self.eventually {
                FileManager.default.fileExists(atPath: "\(out)/" + ReportDeliveryService.fileName(week: "2026-W48", format: .json))
            })
        }
        #expect(try pipeline.store.reportDeliveries()["archive"]?.week == "2026-W48")
        #expect(!FileManager.default.fileExists(atPath: names[2]))
    }

    @Test func aDirectoryThatCannotBeWrittenIsCountedAndRetriedNotFatal() async throws {
        let dir = try TemporaryDirectory(prefix: "report-delivery")
        defer { dir.remove() }
        let pipeline = try Self.pipeline(dir.file("state.sqlite"))
        let published = pipeline.published
        try "not a directory".write(toFile: dir.file("blocker"), atomically: true, encoding: .utf8)
        let start = Self.w47 + 7 * Self.day + 9 * Self.hour
        let clock = ManualTime(start)
        let configuration = ReportsConfiguration(schedule: Self.schedule, formats: [.md], receivers: [
            ReportReceiver(name: "broken", kind: .directory(dir.file("blocker") + "/reports")),
            ReportReceiver(name: "fine", kind: .directory(dir.file("fine"))),
        ])
        let ledger = ReportDeliveryLedger()
        let service = ReportDeliveryService(configuration: configuration, store: pipeline.store, snapshot: { published.metricsSnapshot() },
                                            ledger: ledger, interval: .milliseconds(20), clock: { clock.now }, logger: quietLogger)
        try await Self.running(service) {
            #expect(await Self.eventually { ledger.snapshot["broken"]?["failed"] == 1 && ledger.snapshot["fine"]?["sent"] == 1 })
            // Within the back-off nothing is attempted again; after it, it is (and fails again).
            try await Task.sleep(for: .milliseconds(200))
            #expect(ledger.snapshot["broken"]?["failed"] == 1)
            clock.set(start + 60_000)
            #expect(await Self.eventually { ledger.snapshot["broken"]?["failed"] == 2 })
        }
        let records = try pipeline.store.reportDeliveries()
        #expect(records["broken"] == ReportDeliveryRecord(week: nil, deliveredAt: nil, sent: 0, failed: 2))
        #expect(records["fine"]?.week == "2026-W47")
    }

    @Test func slackAndAWebhookGetTheMarkdownAndAFailureIsCountedAndRetried() async throws {
        let recorder = RecordingReceiver(paths: ["/hook", "/services/T1/B2/slack-token"])
        recorder.script("/services/T1/B2/slack-token", [(500, retryAfter: nil), (200, retryAfter: nil)])
        let dir = try TemporaryDirectory(prefix: "report-delivery")
        defer { dir.remove() }
        let pipeline = try Self.pipeline(dir.file("state.sqlite"))
        let published = pipeline.published
        let start = Self.w47 + 7 * Self.day + 8 * Self.hour
        let clock = ManualTime(start)
        try await LocalHTTPServer.withRunning(recorder.router, logger: quietLogger) { port in
            let base = "http://127.0.0.1:\(port)"
            let configuration = ReportsConfiguration(schedule: Self.schedule, formats: [.md], receivers: [
                ReportReceiver(name: "slack", kind: .slack(URL(string: "\(base)/services/T1/B2/slack-token")!), timeout: .seconds(5)),
                ReportReceiver(name: "hook", kind: .webhook(URL(string: "\(base)/hook")!),
                               headers: [SenderHeader(name: "Authorization", value: "Bearer hook-secret")], timeout: .seconds(5)),
            ])
            let ledger = ReportDeliveryLedger()
            pipeline.reportDeliveries = ledger // as `run` wires it, for /metrics
            let service = ReportDeliveryService(configuration: configuration, store: pipeline.store,
                                                snapshot: { published.metricsSnapshot() }, ledger: ledger,
                                                interval: .milliseconds(20), clock: { clock.now }, logger: quietLogger)
            try await Self.running(service) {
                #expect(await Self.eventually { ledger.snapshot["hook"]?["sent"] == 1 && ledger.snapshot["slack"]?["failed"] == 1 })
                // The failed one waits for its back-off (a minute) and nothing else is sent meanwhile.
                try await Task.sleep(for: .milliseconds(200))
                #expect(recorder.requests(to: "/services/T1/B2/slack-token").count == 1)
                clock.set(start + 61_000)
                #expect(await Self.eventually { ledger.snapshot["slack"]?["sent"] == 1 })
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(ledger.snapshot["hook"] == ["sent": 1, "failed": 0])
            #expect(ledger.snapshot["slack"] == ["sent": 1, "failed": 1])
        }
        let hook = recorder.requests(to: "/hook")
        try #require(hook.count == 1)
        #expect(hook[0].headers["authorization"] == "Bearer hook-secret")
        #expect(hook[0].json?["week"]?.stringValue == "2026-W47")
        #expect(hook[0].json?["time_zone"]?.stringValue == "UTC")
        #expect(hook[0].json?["text"]?.stringValue?.hasPrefix("# SLO report 2026-W47\n") == true)
        let slack = recorder.requests(to: "/services/T1/B2/slack-token")
        #expect(slack.count == 2) // the 500, then the retry
        guard case .object(let fields)? = slack.last?.json else {
            Issue.record("slack body is not a JSON object")
            return
        }
        #expect(Array(fields.keys) == ["text"])
        // The whole Markdown report, as of the retry.
        #expect(slack.last?.json?["text"]?.stringValue?.hasPrefix("# SLO report 2026-W47\n\n2026-11-16T00:00:00Z to 2026-11-23T00:00:00Z (UTC), as of 2026-11-23T08:01:01Z.") == true)
        let records = try pipeline.store.reportDeliveries()
        #expect(records["slack"] == ReportDeliveryRecord(week: "2026-W47", deliveredAt: start + 61_000, sent: 1, failed: 1))
        #expect(records["hook"]?.week == "2026-W47")
        // The counts are on /metrics.
        pipeline.publish()
        let exposition = pipeline.published.metricsSnapshot().render(.prometheus)
        #expect(exposition.contains("scimwatch_report_deliveries_total{receiver=\"slack\",result=\"failed\"} 1\n"))
        #expect(exposition.contains("scimwatch_report_deliveries_total{receiver=\"hook\",result=\"sent\"} 1\n"))
    }
}
