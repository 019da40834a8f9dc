import ScimCore
import Synchronization

/// One finished poll, as a poller hands it to the ingest task.
public struct PollRecord: Sendable {
    /// The poller's name (`endpoint` label).
    public var endpoint: String
    public var result: Result<PollReading, PollFailure>
    public var duration: Duration
    /// Wall-clock epoch milliseconds when the poll ended: the `now` of ``PollState/record``.
    public var finishedAt: Int64

    public init(endpoint: String, result: Result<PollReading, PollFailure>, duration: Duration, finishedAt: Int64) {
        self.endpoint = endpoint
        self.result = result
        self.duration = duration
        self.finishedAt = finishedAt
    }
}

/// The channel from the pollers to the ingest task: pollers ``send(_:)``, the ingest task takes
/// everything waiting with ``drain()`` between reads, so the poll state keeps a single writer.
/// Bounded: past ``capacity`` waiting records the oldest are dropped (the ingest task drains at least
/// every 100 ms, so this only happens if it is stuck).
public final class PollInbox: Sendable {
    public let capacity: Int
    private let waiting = Mutex<[PollRecord]>([])

    public init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    public func send(_ record: PollRecord) {
        waiting.withLock { queue in
            queue.append(record)
            if queue.count > capacity { queue.removeFirst(queue.count - capacity) }
        }
    }

    /// Everything sent since the last drain, oldest first.
    public func drain() -> [PollRecord] {
        waiting.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
    }
}
