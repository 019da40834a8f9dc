import Foundation
import GRDB
import ScimCore

/// Scheduled report deliveries: per report receiver, the last week delivered and the delivery counts.
/// Written by the report delivery service alone, one row per receiver, outside the checkpoint: a
/// delivery is recorded right after it succeeds, so a restart delivers no week twice (a crash between
/// the delivery and its record sends it once more: at least once, like notifications).
extension Store {
    static func registerReportMigration(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-report-deliveries") { db in
            try db.execute(sql: """
                CREATE TABLE report_deliveries (
                    receiver TEXT PRIMARY KEY, week TEXT, delivered_at INTEGER,
                    sent INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0);
                """)
        }
    }

    /// Every receiver's record, by receiver name.
    public func reportDeliveries() throws(StoreError) -> [String: ReportDeliveryRecord] {
        do {
            return try database.read { db in
                var out: [String: ReportDeliveryRecord] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT * FROM report_deliveries") {
                    let sent: Int64 = try row.decode(forColumn: "sent"), failed: Int64 = try row.decode(forColumn: "failed")
                    out[try row.decode(forColumn: "receiver")] = ReportDeliveryRecord(
                        week: try row.decode(forColumn: "week"), deliveredAt: try row.decode(forColumn: "delivered_at"),
                        sent: UInt64(max(0, sent)), failed: UInt64(max(0, failed)))
                }
                return out
            }
        } catch {
            throw StoreError(operation: "reports", path: path, underlying: error)
        }
    }

    /// Records that `receiver` got the report of `week` (a label such as `2026-W47`) at `at` (epoch ms).
    public func recordReportDelivery(receiver: String, week: String, at: Int64) throws(StoreError) {
        try writeReports("""
            INSERT INTO report_deliveries (receiver, week, delivered_at, sent) VALUES (?, ?, ?, 1)
            ON CONFLICT(receiver) DO UPDATE SET week = excluded.week, delivered_at = excluded.delivered_at, sent = sent + 1
            """, [receiver, week, at])
    }

    /// Counts one failed delivery to `receiver`.
    public func recordReportFailure(receiver: String) throws(StoreError) {
        try writeReports("""
            INSERT INTO report_deliveries (receiver, failed) VALUES (?, 1)
            ON CONFLICT(receiver) DO UPDATE SET failed = failed + 1
            """, [receiver])
    }

    private func writeReports(_ sql: String, _ arguments: [any DatabaseValueConvertible]) throws(StoreError) {
        do {
            try database.write { db in try db.execute(sql: sql, arguments: StatementArguments(arguments)) }
        } catch {
            throw StoreError(operation: "reports", path: path, underlying: error)
        }
    }
}

/// One report receiver's stored record.
public struct ReportDeliveryRecord: Sendable, Equatable {
    /// The last week delivered (`2026-W47`), nil before the first delivery.
    public var week: String?
    public var deliveredAt: Int64?
    /// Deliveries that succeeded and attempts that failed, over the store's life.
    public var sent: UInt64
    public var failed: UInt64

    public init(week: String? = nil, deliveredAt: Int64? = nil, sent: UInt64 = 0, failed: UInt64 = 0) {
        self.week = week
        self.deliveredAt = deliveredAt
        self.sent = sent
        self.failed = failed
    }
}
