import Foundation
import GRDB
import ScimCore

/// What survives a restart, in one SQLite database: engine state, read positions, recent event ids,
/// open operations, the notification outbox and the scheduled report deliveries.
///
/// Every ``checkpoint(_:)`` writes all of them in one transaction, so the counts and the read positions
/// that produced them are never out of step, whenever the process dies.
public final class Store: Sendable {
    let database: DatabaseQueue
    /// The database path, or `nil` for an in-memory store.
    public let path: String?

    /// Opens (creating if needed) the store at `path`, or an in-memory store when `path` is `nil`.
    ///
    /// A write waits up to `busyTimeout` seconds for another connection's write lock before it fails.
    /// A file that is damaged, not a database, another application's database or written by a newer
    /// scimwatch is refused here, before anything is written to it.
    public init(path: String?, busyTimeout: Double = 5) throws(StoreError) {
        self.path = path
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(busyTimeout)
            if let path {
                database = try DatabaseQueue(path: path, configuration: configuration)
                try Self.checkCompatible(database, path: path)
                try database.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA journal_mode = WAL")
                    try db.execute(sql: "PRAGMA synchronous = NORMAL")
                }
            } else {
                database = try DatabaseQueue(configuration: configuration)
            }
            try Self.migrator.migrate(database)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(operation: "open", path: path, underlying: error)
        }
    }

    /// The schema's version is the set of migrations applied (GRDB's `grdb_migrations` table): a newer
    /// build that changes the schema adds a migration, so an identifier this build does not know means
    /// a newer writer. GRDB's `migrate` would accept such a file silently; it is refused instead.
    static func checkCompatible(_ database: DatabaseQueue, path: String) throws {
        let migrator = Self.migrator
        let (unknown, foreign) = try database.read { db in
            let applied = try migrator.appliedIdentifiers(db)
            let tables = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'") ?? 0
            return (applied.subtracting(migrator.migrations).sorted(), applied.isEmpty && tables > 0)
        }
        if !unknown.isEmpty {
            throw StoreError(operation: "open", path: path, problem: .newerVersion(migrations: unknown),
                             message: "this build knows \(migrator.migrations.joined(separator: ", "))")
        }
        if foreign {
            throw StoreError(operation: "open", path: path, problem: .foreignDatabase, message: "it has tables but no grdb_migrations")
        }
    }

    /// Everything the last checkpoint stored.
    public func load() throws(StoreError) -> StoredState {
        do {
            return try database.read { db in
                // Throwing decodes: a value of the wrong type in a damaged file is an error, not a crash.
                let engine: Data? = try Row.fetchOne(db, sql: "SELECT data FROM engine_state WHERE id = 1")?
                    .decode(forColumn: "data")
                let positions = try Row.fetchAll(db, sql: "SELECT * FROM file_positions ORDER BY source, path").map { row in
                    FilePosition(
                        source: try row.decode(forColumn: "source"),
                        device: UInt64(bitPattern: try row.decode(Int64.self, forColumn: "device")),
                        inode: UInt64(bitPattern: try row.decode(Int64.self, forColumn: "inode")),
                        fingerprintLength: try row.decode(forColumn: "fingerprint_length"),
                        fingerprint: UInt64(bitPattern: try row.decode(Int64.self, forColumn: "fingerprint")),
                        offset: try row.decode(forColumn: "offset"), path: try row.decode(forColumn: "path"))
                }
                var recent: [RecentID] = []
                for row in try Row.fetchAll(db, sql: "SELECT data FROM recent_ids ORDER BY segment") {
                    let data: Data = try row.decode(forColumn: "data")
                    recent.append(contentsOf: RecentID.decode(Array(data)))
                }
                var operations: [StoredOperation] = []
                for row in try Row.fetchAll(db, sql: "SELECT key, data FROM open_operations") {
                    let data: Data = try row.decode(forColumn: "data")
                    let key = UInt64(bitPattern: try row.decode(Int64.self, forColumn: "key"))
                    operations.append(StoredOperation(key: key, data: Array(data)))
                }
                return StoredState(engineState: engine.map { Array($0) }, positions: positions, recentIDs: recent,
                                   openOperations: operations)
            }
        } catch {
            throw StoreError(operation: "load", path: path, underlying: error)
        }
    }

    /// Writes a checkpoint atomically.
    public func checkpoint(_ checkpoint: Checkpoint) throws(StoreError) {
        do {
            try database.write { db in
                try db.execute(
                    sql: "INSERT INTO engine_state (id, data) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data",
                    arguments: [Data(checkpoint.engineState)])
                try db.execute(sql: "DELETE FROM file_positions")
                let insertPosition = try db.cachedStatement(sql: """
                    INSERT INTO file_positions (source, device, inode, fingerprint_length, fingerprint, offset, path)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
                for p in checkpoint.positions {
                    try insertPosition.execute(
                        arguments: [p.source, Int64(bitPattern: p.device), Int64(bitPattern: p.inode), p.fingerprintLength,
                                    Int64(bitPattern: p.fingerprint), p.offset, p.path])
                }
                if !checkpoint.newRecentIDs.isEmpty {
                    let maxTime = checkpoint.newRecentIDs.map(\.time).max() ?? 0
                    try db.execute(
                        sql: "INSERT INTO recent_ids (max_time, data) VALUES (?, ?)",
                        arguments: [maxTime, Data(RecentID.encode(checkpoint.newRecentIDs))])
                }
                try db.execute(sql: "DELETE FROM recent_ids WHERE max_time < ?", arguments: [checkpoint.forgetRecentIDsBefore])
                let upsert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO open_operations (key, data) VALUES (?, ?)")
                for op in checkpoint.changedOperations {
                    try upsert.execute(arguments: [Int64(bitPattern: op.key), Data(op.data)])
                }
                let delete = try db.cachedStatement(sql: "DELETE FROM open_operations WHERE key = ?")
                for key in checkpoint.removedOperations {
                    try delete.execute(arguments: [Int64(bitPattern: key)])
                }
                try Self.writeOutbox(db, new: checkpoint.newNotifications, settled: checkpoint.settledNotifications)
            }
        } catch {
            throw StoreError(operation: "checkpoint", path: path, underlying: error)
        }
    }

    /// A cheap query that tells whether the database answers (for `/readyz`).
    public func isReadable() -> Bool {
        (try? database.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        // Shipped migrations are frozen: add new ones, never edit these.
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE engine_state (id INTEGER PRIMARY KEY CHECK (id = 1), data BLOB NOT NULL);
                CREATE TABLE file_positions (
                    source TEXT NOT NULL, device INTEGER NOT NULL, inode INTEGER NOT NULL,
                    fingerprint_length INTEGER NOT NULL, fingerprint INTEGER NOT NULL,
                    offset INTEGER NOT NULL, path TEXT NOT NULL,
                    PRIMARY KEY (source, device, inode));
                CREATE TABLE recent_ids (segment INTEGER PRIMARY KEY AUTOINCREMENT, max_time INTEGER NOT NULL, data BLOB NOT NULL);
                """)
        }
        migrator.registerMigration("v2-open-operations") { db in
            try db.execute(sql: "CREATE TABLE open_operations (key INTEGER PRIMARY KEY, data BLOB NOT NULL)")
        }
        registerOutboxMigration(in: &migrator)
        registerReportMigration(in: &migrator)
        return migrator
    }
}
