import Foundation
import Logging
import ScimCore
import ScimNotifiers
import ScimStore
import ServiceLifecycle

/// Delivers the outbox: for each receiver, takes the rows that are due, sends them (HTTP POST, or
/// standard output for the console), decides with the receiver's ``DeliveryPolicy`` and reports each
/// outcome to the ingest task through the ``DeliveryInbox``. It never writes the store itself: the ingest
/// task commits outcomes with the counters that count them, so a delivery is counted exactly once.
///
/// Receivers run side by side, so a slow or dead one delays nobody else; within a receiver rows go
/// oldest first, and a resolution never overtakes its page. At least once: a crash between a receiver's
/// answer and the next checkpoint sends that notification again, which Alertmanager and PagerDuty
/// deduplicate by labels and dedup key.
public struct NotificationService: Service {
    /// The configured receivers, each delivered by its own child task.
    public let receivers: [ReceiverConfiguration]
    private let store: Store
    private let inbox: DeliveryInbox
    private let interval: Duration
    private let clock: @Sendable () -> Int64
    private let console: @Sendable (String) -> Void
    private let logger: Logger

    /// - Parameters:
    ///   - interval: how often each receiver looks for due rows when it has nothing to send.
    ///   - clock: epoch milliseconds (the wall clock unless a test passes its own).
    ///   - console: where the console receiver writes (standard output unless a test passes its own).
    public init(receivers: [ReceiverConfiguration], store: Store, inbox: DeliveryInbox, interval: Duration = .milliseconds(250),
                clock: @escaping @Sendable () -> Int64 = { WallClock.milliseconds() },
                console: @escaping @Sendable (String) -> Void = NotificationService.standardOutput,
                logger: Logger = Logger(label: "scimwatch.notifications")) {
        self.receivers = receivers
        self.store = store
        self.inbox = inbox
        self.interval = interval
        self.clock = clock
        self.console = console
        self.logger = logger
    }

    /// Delivers until cancelled or shut down gracefully; an attempt under way is abandoned (its row
    /// stays due, so it is sent after the restart).
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for receiver in receivers {
                group.addTask { await deliver(to: receiver) }
            }
            group.addTask { await dropOrphans() }
        }
    }

    /// Writes a console notification and a blank line at once (stdout to a pipe is buffered).
    public static let standardOutput: @Sendable (String) -> Void = { text in
        FileHandle.standardOutput.write(Data((text + "\n\n").utf8))
    }

    private var stopping: Bool { Task.isCancelled || Task.isShuttingDownGracefully }

    private func deliver(to receiver: ReceiverConfiguration) async {
        let sender = receiver.url.map { HTTPSender(url: $0, timeout: receiver.timeout, headers: receiver.headers) }
        defer { sender?.shutdown() }
        var random = SystemRandomNumberGenerator()
        let metadata: Logger.Metadata = ["receiver": "\(receiver.name)", "url": "\(receiver.displayURL)"]
        while !stopping {
            let mark = inbox.readMark()
            var rows: [OutboxRow] = []
            do {
                rows = try store.dueNotifications(receiver: receiver.name, now: clock())
            } catch {
                logger.error("cannot read the outbox: \(error)", metadata: metadata)
            }
            rows = inbox.attemptable(rows, owner: { $0 == receiver.name }, readAfter: mark)
            for row in rows where !stopping {
                let attempt = row.attempts + 1
                let decision: DeliveryDecision
                if receiver.policy.isExpired(createdAt: row.entry.createdAt, now: clock()) {
                    decision = .dropped(reason: "older than max_age before it could be sent")
                } else {
                    let response = await send(row, to: receiver, with: sender)
                    // Shutdown cut the attempt short: the row stays due and goes out after the restart.
                    guard !stopping else { break }
                    decision = receiver.policy.decide(response, attempt: attempt, createdAt: row.entry.createdAt,
                                                      now: clock(), using: &random)
                }
                inbox.report(OutboxOutcome(id: row.id, receiver: receiver.name, decision: decision, attempts: attempt))
                log(decision, row, attempt: attempt, metadata: metadata)
            }
            if rows.isEmpty {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            }
        }
    }

    private func send(_ row: OutboxRow, to receiver: ReceiverConfiguration, with sender: HTTPSender?) async -> DeliveryResponse {
        let body = ReceiverPayload.prepared(row.entry.payload, for: receiver.receiver, state: row.entry.state, now: clock(),
                                            routingKey: receiver.routingKey)
        guard let sender else {
            console(String(decoding: body, as: UTF8.self))
            return .status(200)
        }
        return await cancelWhenGracefulShutdown { await sender.send(body) }
    }

    /// Rows of receivers removed from the configuration are dropped (and counted), not kept forever.
    private func dropOrphans() async {
        let names = Set(receivers.map(\.name))
        while !stopping {
            let mark = inbox.readMark()
            let rows = (try? store.orphanedNotifications(configured: names.sorted())) ?? []
            for row in inbox.attemptable(rows, owner: { !names.contains($0) }, readAfter: mark) {
                inbox.report(OutboxOutcome(id: row.id, receiver: row.entry.receiver,
                                           decision: .dropped(reason: "the receiver is no longer configured"), attempts: row.attempts))
                logger.warning("notification dropped: its receiver is no longer configured",
                               metadata: ["receiver": "\(row.entry.receiver)", "dedup_key": "\(row.entry.dedupKey)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(5)) }
        }
    }

    private func log(_ decision: DeliveryDecision, _ row: OutboxRow, attempt: Int, metadata: Logger.Metadata) {
        var metadata = metadata
        metadata["dedup_key"] = "\(row.entry.dedupKey)"
        metadata["state"] = "\(row.entry.state.rawValue)"
        metadata["attempt"] = "\(attempt)"
        switch decision {
        case .sent:
            logger.info("notification sent", metadata: metadata)
        case .retry(let at, let reason):
            metadata["reason"] = "\(reason)"
            metadata["retry_in_ms"] = "\(max(0, at - clock()))"
            logger.warning("notification not delivered; will retry", metadata: metadata)
        case .failed(let reason):
            metadata["reason"] = "\(reason)"
            logger.error("notification refused by the receiver; not retried", metadata: metadata)
        case .dropped(let reason):
            metadata["reason"] = "\(reason)"
            logger.error("notification dropped", metadata: metadata)
        }
    }
}
