import Foundation
import GRDB

/// Real faults for a state file, made from outside the store under test.
public enum StoreFaults {
    /// Holds the write lock of the SQLite database at `path` from a second connection, as another
    /// process using the same file would, until ``WriteLock/release()``. The store's writes wait for
    /// their busy timeout, then fail with SQLITE_BUSY; its reads go on (WAL).
    public static func holdWriteLock(_ path: String) throws -> WriteLock {
        var configuration = Configuration()
        // The lock outlives the access that takes it, on purpose.
        configuration.allowsUnsafeTransactions = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        return WriteLock(queue: queue)
    }

    /// Runs `sql` on the database at `path` (to make a state file as another version would have).
    public static func execute(_ sql: String, on path: String) throws {
        try DatabaseQueue(path: path).write { db in try db.execute(sql: sql) }
    }

    /// Cuts the file at `path` to `fraction` of its size (a copy interrupted halfway).
    public static func truncate(_ path: String, to fraction: Double) throws {
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64 ?? 0
        try Files.truncate(path, to: UInt64(Double(size) * fraction))
    }

    /// Replaces the file at `path` with `count` random bytes.
    public static func scramble(_ path: String, count: Int = 64 << 10) throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}

/// A write lock held by ``StoreFaults/holdWriteLock(_:)``.
public final class WriteLock: Sendable {
    private let queue: DatabaseQueue

    init(queue: DatabaseQueue) {
        self.queue = queue
    }

    public func release() throws {
        try queue.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
    }
}
