import Logging
import ScimCore
import ScimStore

/// What the ingest task knows of notifications: the delivery counters, the entries decided and the
/// outcomes reported since the last checkpoint. Both go into the next checkpoint, in its transaction.
public struct NotificationLedger: Sendable {
    /// Counters and pending counts (the exposition's view).
    public private(set) var state = NotificationState()
    /// Turns notifications into entries per receiver.
    public let planner: OutboxPlanner
    /// Decided and not yet committed.
    public private(set) var unsavedEntries: [OutboxEntry] = []
    /// Reported by the notification service and not yet committed.
    public private(set) var unsavedOutcomes: [OutboxOutcome] = []
    /// Where the notification service reports (nil when nothing sends, e.g. `replay`).
    var inbox: DeliveryInbox?

    public init(receivers: [Receiver]) {
        planner = OutboxPlanner(receivers: receivers)
        for receiver in receivers { state.register(receiver: receiver.name) }
    }

    mutating func restore(_ bytes: [UInt8]) throws(StateDecodingError) {
        try state.restoreState(bytes)
    }

    mutating func enqueue(_ notification: AlertNotification, now: Int64) {
        unsavedEntries += planner.entries(for: notification, now: now)
    }

    mutating func resend(_ notification: AlertNotification, now: Int64) {
        unsavedEntries += planner.resendEntries(for: notification, now: now)
    }

    /// Takes the outcomes reported since the last call and counts them. True if the next checkpoint
    /// has notification work to commit.
    mutating func collect() -> Bool {
        if let outcomes = inbox?.drain(), !outcomes.isEmpty {
            for outcome in outcomes { state.record(outcome) }
            unsavedOutcomes += outcomes
        }
        return hasUnsaved
    }

    var hasUnsaved: Bool { !unsavedEntries.isEmpty || !unsavedOutcomes.isEmpty }

    /// After a committed checkpoint: releases the settled rows to the service and re-reads the pending counts.
    mutating func markSaved(store: Store, logger: Logger) {
        let changed = hasUnsaved
        inbox?.committed(unsavedOutcomes.map(\.id))
        unsavedEntries.removeAll()
        unsavedOutcomes.removeAll()
        if changed { refreshPending(store: store, logger: logger) }
    }

    mutating func refreshPending(store: Store, logger: Logger) {
        do {
            state.setPending(try store.pendingNotifications())
        } catch {
            logger.error("\(error)")
        }
    }
}
