import ScimCore
import ScimStore
import Synchronization

/// The channel between the ``NotificationService`` (which sends) and the ingest task (which commits):
/// the service ``report(_:)``s each attempt's outcome; the ingest task ``drain()``s them into the next
/// checkpoint and says when it is ``committed(_:)``.
///
/// Until then the row still looks due in the outbox, so the service must not send it again. A row is
/// handed out again only by a read that started after the commit that settled it (a read that began
/// before may still see the old row): hence the commit generations.
public final class DeliveryInbox: Sendable {
    private struct Settling {
        var receiver: String
        /// The generation of the commit that settled it, once committed.
        var committedAt: UInt64?
    }

    private struct State {
        var waiting: [OutboxOutcome] = []
        var settling: [Int64: Settling] = [:]
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Hands an outcome to the ingest task; its row is not attempted again until that is committed.
    public func report(_ outcome: OutboxOutcome) {
        state.withLock {
            $0.waiting.append(outcome)
            $0.settling[outcome.id] = Settling(receiver: outcome.receiver)
        }
    }

    /// Every outcome reported since the last drain, oldest first.
    public func drain() -> [OutboxOutcome] {
        state.withLock { s in
            defer { s.waiting.removeAll(keepingCapacity: true) }
            return s.waiting
        }
    }

    /// The ingest task committed the outcomes of these rows.
    public func committed(_ ids: [Int64]) {
        guard !ids.isEmpty else { return }
        state.withLock { s in
            s.generation += 1
            for id in ids { s.settling[id]?.committedAt = s.generation }
        }
    }

    /// Take before reading rows from the outbox; pass to ``attemptable(_:owner:readAfter:)``.
    public func readMark() -> UInt64 {
        state.withLock { $0.generation }
    }

    /// The rows of a read begun at `mark` that may be attempted: those whose last outcome is not still
    /// on its way to the outbox. `owner` says which receivers' rows this reader handles: only their
    /// settled entries are forgotten here, so concurrent readers of other receivers are not misled.
    public func attemptable(_ rows: [OutboxRow], owner: (String) -> Bool, readAfter mark: UInt64) -> [OutboxRow] {
        state.withLock { s in
            s.settling = s.settling.filter { _, entry in
                guard owner(entry.receiver), let committed = entry.committedAt else { return true }
                return committed > mark
            }
            return rows.filter { s.settling[$0.id] == nil }
        }
    }

    /// Rows whose outcome is reported and not yet seen committed (tests).
    public var settlingCount: Int { state.withLock { $0.settling.count } }
}
