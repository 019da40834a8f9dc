import Foundation
import GRDB
import ScimCore

/// The durable outbox: notifications waiting for their receivers.
///
/// Rows are queued and settled only inside ``Store/checkpoint(_:)`` (or ``Store/enqueue(_:)``), in the
/// transaction that also commits the engine state and the delivery counters: a page decided after the
/// last checkpoint is decided again after a crash, and a delivery counted is a row settled. The
/// notification service only reads rows; it sends and reports outcomes to the ingest task.
extension Store {
    static func registerOutboxMigration(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-outbox") { db in
            // outbox_changes remembers the last state change queued per receiver and alert, after its row
            // is gone: the same page decided twice (after a crash, or by a repeated evaluation) is sent once.
            try db.execute(sql: """
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    receiver TEXT NOT NULL, dedup_key TEXT NOT NULL, state TEXT NOT NULL, starts_at INTEGER NOT NULL,
                    resend INTEGER NOT NULL, payload BLOB NOT NULL, created_at INTEGER NOT NULL,
                    next_attempt_at INTEGER NOT NULL, attempts INTEGER NOT NULL, last_error TEXT);
                CREATE INDEX outbox_by_alert ON outbox (receiver, dedup_key, id);
                CREATE INDEX outbox_by_due ON outbox (receiver, next_attempt_at);
                CREATE TABLE outbox_changes (
                    receiver TEXT NOT NULL, dedup_key TEXT NOT NULL, state TEXT NOT NULL, starts_at INTEGER NOT NULL,
                    PRIMARY KEY (receiver, dedup_key));
                """)
        }
    }

    /// Settles delivered, refused and rescheduled rows, then queues new entries (skipping a state change
    /// already queued once). Runs inside the caller's transaction.
    static func writeOutbox(_ db: Database, new entries: [OutboxEntry], settled outcomes: [OutboxOutcome]) throws {
        for outcome in outcomes {
            if case .retry(let at, let reason) = outcome.decision {
                try db.execute(sql: "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                               arguments: [outcome.attempts, at, reason, outcome.id])
            } else {
                try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [outcome.id])
            }
        }
        for entry in entries {
            let last = try Row.fetchOne(db, sql: "SELECT state, starts_at FROM outbox_changes WHERE receiver = ? AND dedup_key = ?",
                                        arguments: [entry.receiver, entry.dedupKey]).flatMap { row -> OutboxEntry.Change? in
                guard let state = AlertNotification.State(rawValue: try row.decode(forColumn: "state")) else { return nil }
                return OutboxEntry.Change(state: state, startsAt: try row.decode(forColumn: "starts_at"))
            }
            guard entry.isAdmitted(after: last) else { continue }
            if entry.isResend {
                // Only the freshest re-send matters: a receiver that was down gets one, not one per evaluation.
                try db.execute(sql: "DELETE FROM outbox WHERE receiver = ? AND dedup_key = ? AND resend = 1",
                               arguments: [entry.receiver, entry.dedupKey])
            } else {
                try db.execute(sql: "INSERT OR REPLACE INTO outbox_changes (receiver, dedup_key, state, starts_at) VALUES (?, ?, ?, ?)",
                               arguments: [entry.receiver, entry.dedupKey, entry.state.rawValue, entry.startsAt])
            }
            try db.execute(sql: """
                INSERT INTO outbox (receiver, dedup_key, state, starts_at, resend, payload, created_at, next_attempt_at, attempts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)
                """, arguments: [entry.receiver, entry.dedupKey, entry.state.rawValue, entry.startsAt, entry.isResend,
                                 Data(entry.payload), entry.createdAt, entry.createdAt])
        }
    }

    /// Queues entries in a transaction of their own (outside a checkpoint: tools and tests).
    public func enqueue(_ entries: [OutboxEntry]) throws(StoreError) {
        do {
            try database.write { db in try Self.writeOutbox(db, new: entries, settled: []) }
        } catch {
            throw StoreError(operation: "outbox", path: path, underlying: error)
        }
    }

    /// Rows of `receiver` whose next attempt is due at `now`, oldest first. A row waits while an older
    /// row of the same alert is pending, so a resolution never overtakes its page.
    public func dueNotifications(receiver: String, now: Int64, limit: Int = 32) throws(StoreError) -> [OutboxRow] {
        try outboxRows(sql: """
            SELECT * FROM outbox o WHERE receiver = ? AND next_attempt_at <= ?
            AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.receiver = o.receiver AND p.dedup_key = o.dedup_key AND p.id < o.id)
            ORDER BY id LIMIT ?
            """, [receiver, now, limit])
    }

    /// Rows of receivers not in `configured` (removed from the configuration since they were queued).
    public func orphanedNotifications(configured: [String], limit: Int = 256) throws(StoreError) -> [OutboxRow] {
        let marks = Array(repeating: "?", count: configured.count).joined(separator: ",")
        let filter = configured.isEmpty ? "" : "WHERE receiver NOT IN (\(marks))"
        return try outboxRows(sql: "SELECT * FROM outbox \(filter) ORDER BY id LIMIT ?",
                              configured.map { $0 as any DatabaseValueConvertible } + [limit])
    }

    /// Every outbox row, oldest first (tests and diagnostics).
    public func allNotifications() throws(StoreError) -> [OutboxRow] {
        try outboxRows(sql: "SELECT * FROM outbox ORDER BY id", [])
    }

    /// Rows waiting per receiver: `scimwatch_notifications_pending`.
    public func pendingNotifications() throws(StoreError) -> [String: Int] {
        do {
            return try database.read { db in
                var counts: [String: Int] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT receiver, COUNT(*) AS n FROM outbox GROUP BY receiver") {
                    counts[try row.decode(forColumn: "receiver")] = try row.decode(forColumn: "n")
                }
                return counts
            }
        } catch {
            throw StoreError(operation: "outbox", path: path, underlying: error)
        }
    }

    private func outboxRows(sql: String, _ arguments: [any DatabaseValueConvertible]) throws(StoreError) -> [OutboxRow] {
        do {
            return try database.read { db in
                try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).compactMap { try OutboxRow(row: $0) }
            }
        } catch {
            throw StoreError(operation: "outbox", path: path, underlying: error)
        }
    }
}

/// One stored outbox row.
public struct OutboxRow: Sendable, Equatable {
    /// The row's id: what an ``OutboxOutcome`` settles.
    public var id: Int64
    /// What was queued.
    public var entry: OutboxEntry
    /// When it is due (epoch ms).
    public var nextAttemptAt: Int64
    /// Attempts made so far.
    public var attempts: Int
    /// Why the last attempt failed (never holds a URL or secret).
    public var lastError: String?

    /// Nil for a state this build does not know; throws for a value of the wrong type (a damaged file).
    init?(row: Row) throws {
        guard let state = AlertNotification.State(rawValue: try row.decode(forColumn: "state")) else { return nil }
        let payload: Data = try row.decode(forColumn: "payload")
        id = try row.decode(forColumn: "id")
        entry = OutboxEntry(receiver: try row.decode(forColumn: "receiver"), dedupKey: try row.decode(forColumn: "dedup_key"),
                            state: state, startsAt: try row.decode(forColumn: "starts_at"), isResend: try row.decode(forColumn: "resend"),
                            payload: Array(payload), createdAt: try row.decode(forColumn: "created_at"))
        nextAttemptAt = try row.decode(forColumn: "next_attempt_at")
        attempts = try row.decode(forColumn: "attempts")
        lastError = try row.decode(forColumn: "last_error")
    }
}
