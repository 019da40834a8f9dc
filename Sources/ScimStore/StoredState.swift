import Foundation
import GRDB
import ScimCore

/// What ``Store/load()`` returns.
public struct StoredState: Sendable {
    /// The engine's encoded counters, or `nil` for a new store.
    public var engineState: [UInt8]?
    public var positions: [FilePosition]
    /// Recent event ids, oldest segment first.
    public var recentIDs: [RecentID]
    /// Open operations, encoded by the core.
    public var openOperations: [StoredOperation]
}

/// One open operation as stored: its key and its encoding.
public struct StoredOperation: Sendable, Equatable {
    public var key: UInt64
    public var data: [UInt8]

    public init(key: UInt64, data: [UInt8]) {
        self.key = key
        self.data = data
    }
}

/// What one ``Store/checkpoint(_:)`` writes.
public struct Checkpoint: Sendable {
    public var engineState: [UInt8]
    /// Every file position (replaces what was stored).
    public var positions: [FilePosition]
    /// Event ids seen since the previous checkpoint.
    public var newRecentIDs: [RecentID]
    /// Segments whose newest id is older than this (epoch ms) are dropped.
    public var forgetRecentIDsBefore: Int64
    /// Open operations opened or changed since the last checkpoint, and keys of those resolved since.
    public var changedOperations: [StoredOperation]
    public var removedOperations: [UInt64]
    /// Notifications decided since the last checkpoint, queued in the outbox in the same transaction
    /// (a state change already queued once is skipped).
    public var newNotifications: [OutboxEntry]
    /// Outcomes of delivery attempts since the last checkpoint: rows deleted or rescheduled together
    /// with the counters in `engineState` that count them.
    public var settledNotifications: [OutboxOutcome]

    public init(engineState: [UInt8], positions: [FilePosition], newRecentIDs: [RecentID], forgetRecentIDsBefore: Int64,
                changedOperations: [StoredOperation] = [], removedOperations: [UInt64] = [],
                newNotifications: [OutboxEntry] = [], settledNotifications: [OutboxOutcome] = []) {
        self.engineState = engineState
        self.positions = positions
        self.newRecentIDs = newRecentIDs
        self.forgetRecentIDsBefore = forgetRecentIDsBefore
        self.changedOperations = changedOperations
        self.removedOperations = removedOperations
        self.newNotifications = newNotifications
        self.settledNotifications = settledNotifications
    }
}

/// A recent event id: its hash and event time.
public struct RecentID: Sendable, Equatable {
    public var hash: UInt64
    public var time: Int64

    public init(hash: UInt64, time: Int64) {
        self.hash = hash
        self.time = time
    }

    static func encode(_ ids: [RecentID]) -> [UInt8] {
        var w = StateWriter()
        for id in ids {
            w.write(id.hash)
            w.write(id.time)
        }
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) -> [RecentID] {
        var r = StateReader(bytes)
        var out: [RecentID] = []
        while let hash = try? r.readUInt64(), let time = try? r.readInt64() { out.append(RecentID(hash: hash, time: time)) }
        return out
    }
}
