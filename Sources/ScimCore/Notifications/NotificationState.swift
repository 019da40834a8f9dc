/// Delivery counters per receiver and result, and how many notifications wait in the outbox. Owned by
/// the ingest task: outcomes are recorded here and committed in the same checkpoint as the outbox rows
/// they settle, so `scimwatch_notifications_total` never loses or repeats a count across a restart.
public struct NotificationState: Sendable, Equatable {
    /// `scimwatch_notifications_total` by receiver and result.
    public private(set) var counts: [String: [NotificationResult: UInt64]] = [:]
    /// `scimwatch_notifications_pending` by receiver (read from the outbox after each checkpoint; not stored).
    public private(set) var pending: [String: Int] = [:]
    /// Receivers configured in this process: shown with zeros before their first notification.
    public private(set) var registered: Set<String> = []

    public init() {}

    /// Declares a configured receiver.
    public mutating func register(receiver: String) {
        registered.insert(receiver)
    }

    /// Counts one delivery attempt's outcome.
    public mutating func record(_ outcome: OutboxOutcome) {
        counts[outcome.receiver, default: [:]][outcome.decision.result, default: 0] += 1
    }

    /// Replaces the pending counts (receivers not listed have none pending).
    public mutating func setPending(_ byReceiver: [String: Int]) {
        pending = byReceiver.filter { $0.value > 0 }
    }

    /// Receivers with a series: configured ones, and any with counts or rows left from before.
    public var receivers: [String] {
        registered.union(counts.keys).union(pending.keys).sorted()
    }
}

extension NotificationState {
    static let stateVersion: UInt64 = 1

    /// The counters, for the checkpoint's `notifications` section.
    public func encodedState() -> [UInt8] {
        var w = StateWriter()
        w.write(Self.stateVersion)
        w.write(counts.count)
        for receiver in counts.keys.sorted() {
            let byResult = counts[receiver]!
            let results = byResult.keys.sorted()
            w.write(receiver)
            w.write(results.map(\.rawValue))
            w.write(results.map { byResult[$0]! })
        }
        return w.bytes
    }

    /// Restores what ``encodedState()`` wrote; registrations are kept.
    public mutating func restoreState(_ bytes: [UInt8]) throws(StateDecodingError) {
        var r = StateReader(bytes)
        try r.readVersion(Self.stateVersion)
        var counts: [String: [NotificationResult: UInt64]] = [:]
        for _ in 0..<(try r.readInt()) {
            let receiver = try r.readString()
            let results = try r.readStrings()
            let values = try r.readUInt64s()
            guard results.count == values.count else { throw StateDecodingError() }
            for (label, n) in zip(results, values) {
                guard let result = NotificationResult(rawValue: label) else { continue }
                counts[receiver, default: [:]][result] = n
            }
        }
        self.counts = counts
    }
}
