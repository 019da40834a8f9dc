import Foundation
import Logging
import ScimCore
import ScimNotifiers
import ScimStore
import ServiceLifecycle
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Delivers the weekly report on the configured schedule (`reports:`): every `interval` it asks
/// ``ReportSchedule/due(at:lastDelivered:)`` for each receiver, and when a week is due computes its
/// report from the last published (committed) snapshot and hands it over: files into a directory, the
/// Markdown summary to Slack or a webhook. A delivery is recorded in the store under the receiver's
/// name as soon as it succeeds, so a restart never delivers a week twice, and a schedule missed while
/// the process was down is delivered when it starts. A failure is logged and counted
/// (`scimwatch_report_deliveries_total{result="failed"}`), retried after a back-off (1 minute, doubling
/// to 1 hour), and never stops anything.
public struct ReportDeliveryService: Service {
    public let configuration: ReportsConfiguration
    private let store: Store
    private let snapshot: @Sendable () -> MetricsSnapshot
    private let ledger: ReportDeliveryLedger
    private let interval: Duration
    private let clock: @Sendable () -> Int64
    private let logger: Logger

    /// - Parameters:
    ///   - snapshot: the committed state to report on (the pipeline's published snapshot).
    ///   - ledger: where delivery counts are kept for `/metrics`.
    ///   - interval: how often the schedule is looked at.
    ///   - clock: epoch milliseconds (the wall clock unless a test passes its own).
    public init(configuration: ReportsConfiguration, store: Store, snapshot: @escaping @Sendable () -> MetricsSnapshot,
                ledger: ReportDeliveryLedger = ReportDeliveryLedger(), interval: Duration = .seconds(30),
                clock: @escaping @Sendable () -> Int64 = { WallClock.milliseconds() },
                logger: Logger = Logger(label: "scimwatch.reports")) {
        self.configuration = configuration
        self.store = store
        self.snapshot = snapshot
        self.ledger = ledger
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    /// A delivery's outcome.
    public enum Outcome: Sendable, Equatable {
        case delivered
        case failed(String)
    }

    private var stopping: Bool { Task.isCancelled || Task.isShuttingDownGracefully }

    public func run() async throws {
        var records: [String: ReportDeliveryRecord] = [:]
        do {
            records = try store.reportDeliveries()
        } catch {
            logger.error("cannot read the report deliveries: \(error); each receiver gets the last week again")
        }
        for r in configuration.receivers { ledger.restore(r.name, records[r.name] ?? ReportDeliveryRecord()) }
        let senders = Dictionary(uniqueKeysWithValues: configuration.receivers.compactMap { r in
            r.url.map { (r.name, HTTPSender(url: $0, timeout: r.timeout, headers: r.headers)) }
        })
        defer { for sender in senders.values { sender.shutdown() } }
        var retryAt: [String: Int64] = [:]
        var failures: [String: Int] = [:]
        let schedule = configuration.schedule
        logger.info("weekly report scheduled", metadata: [
            "next": "\(ReportWeek.timestamp(schedule.nextOccurrence(after: clock())))",
            "receivers": "\(configuration.receivers.map(\.name).joined(separator: " "))"])
        while !stopping {
            let now = clock()
            var reports: [String: WeeklyReport] = [:]
            for receiver in configuration.receivers where !stopping {
                guard let week = schedule.due(at: now, lastDelivered: records[receiver.name]?.week) else { continue }
                if let at = retryAt[receiver.name], now < at { continue }
                let report = reports[week.label] ?? snapshot().weeklyReport(week: week, now: now)
                reports[week.label] = report
                let outcome = await deliver(report, to: receiver, sender: senders[receiver.name])
                var metadata: Logger.Metadata = ["receiver": "\(receiver.name)", "week": "\(week.label)"]
                switch outcome {
                case .delivered:
                    records[receiver.name, default: ReportDeliveryRecord()].week = week.label
                    retryAt[receiver.name] = nil
                    failures[receiver.name] = nil
                    ledger.count(receiver.name, sent: true)
                    do {
                        try store.recordReportDelivery(receiver: receiver.name, week: week.label, at: now)
                    } catch {
                        logger.error("report delivered but not recorded: \(error); a restart delivers it again", metadata: metadata)
                    }
                    logger.info("weekly report delivered", metadata: metadata)
                case .failed(let reason):
                    let n = (failures[receiver.name] ?? 0) + 1
                    failures[receiver.name] = n
                    let backoff = Self.backoffMs(failures: n)
                    retryAt[receiver.name] = now + backoff
                    ledger.count(receiver.name, sent: false)
                    try? store.recordReportFailure(receiver: receiver.name)
                    metadata["reason"] = "\(reason)"
                    metadata["retry_in_ms"] = "\(backoff)"
                    logger.warning("weekly report not delivered; will retry", metadata: metadata)
                }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// 1 minute after the first failure, doubling up to an hour.
    static func backoffMs(failures: Int) -> Int64 {
        min(3_600_000, 60_000 << Int64(min(max(failures - 1, 0), 6)))
    }

    func deliver(_ report: WeeklyReport, to receiver: ReportReceiver, sender: HTTPSender?) async -> Outcome {
        switch receiver.kind {
        case .directory(let path):
            return Self.write(report, formats: configuration.formats, into: path)
        case .slack, .webhook:
            guard let sender else { return .failed("no sender") }
            let body: [UInt8]
            if case .slack = receiver.kind {
                body = Self.encode(["text": report.markdown()])
            } else {
                body = Self.encode(["week": report.week, "time_zone": report.timeZone, "start": report.start, "end": report.end,
                                    "format": "markdown", "text": report.markdown()])
            }
            switch await cancelWhenGracefulShutdown({ await sender.send(body) }) {
            case .status(let code, _) where (200..<300).contains(code):
                return .delivered
            case .status(let code, _):
                return .failed("HTTP \(code)")
            case .unreachable(let reason):
                return .failed(reason)
            }
        }
    }

    static func encode(_ fields: [String: String]) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(fields)) ?? Data("{}".utf8))
    }

    /// The file name of a report: `scimwatch-report-2026-W47.html`.
    public static func fileName(week: String, format: ReportFormat) -> String {
        "scimwatch-report-\(week).\(format.rawValue)"
    }

    /// Writes each format into `directory` (created if missing) atomically: a temporary file in the same
    /// directory, then a rename, so a reader never sees half a report.
    static func write(_ report: WeeklyReport, formats: [ReportFormat], into directory: String) -> Outcome {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            return .failed("cannot create the directory \(directory)")
        }
        for format in formats {
            let final = (directory as NSString).appendingPathComponent(fileName(week: report.week, format: format))
            let temporary = (directory as NSString).appendingPathComponent(".\(fileName(week: report.week, format: format)).\(getpid()).tmp")
            guard FileManager.default.createFile(atPath: temporary, contents: Data(report.render(format).utf8)) else {
                return .failed("cannot write \(temporary)")
            }
            guard rename(temporary, final) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                return .failed("cannot rename into \(final): \(reason)")
            }
        }
        return .delivered
    }
}

/// Report delivery counts per receiver, shared by the delivery service (the writer) and the ingest
/// task's snapshots (`scimwatch_report_deliveries_total{receiver,result}`); seeded from the store.
public final class ReportDeliveryLedger: Sendable {
    private let counts = Mutex<[String: (sent: UInt64, failed: UInt64)]>([:])

    public init() {}

    func restore(_ receiver: String, _ record: ReportDeliveryRecord) {
        counts.withLock { $0[receiver] = (record.sent, record.failed) }
    }

    func count(_ receiver: String, sent: Bool) {
        counts.withLock { c in
            var v = c[receiver] ?? (0, 0)
            if sent { v.sent += 1 } else { v.failed += 1 }
            c[receiver] = v
        }
    }

    /// Counts by receiver and result (`sent`, `failed`).
    public var snapshot: [String: [String: UInt64]] {
        counts.withLock { c in c.mapValues { ["sent": $0.sent, "failed": $0.failed] } }
    }
}
