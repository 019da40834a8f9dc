import ScimCore
import ScimHTTP
import Synchronization

/// The latest published state, shared between the ingest task (the only writer) and HTTP readers.
public final class SnapshotBox: StatusProvider {
    private let snapshot: Mutex<MetricsSnapshot>
    private let ready: Mutex<Readiness>

    public init(_ initial: MetricsSnapshot) {
        snapshot = Mutex(initial)
        ready = Mutex(Readiness(problems: ["starting"]))
    }

    public func publish(_ value: MetricsSnapshot, readiness: Readiness) {
        snapshot.withLock { $0 = value }
        ready.withLock { $0 = readiness }
    }

    public func metricsSnapshot() -> MetricsSnapshot { snapshot.withLock { $0 } }
    public func readiness() -> Readiness { ready.withLock { $0 } }
}
