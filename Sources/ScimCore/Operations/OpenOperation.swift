/// An operation that has been opened and not yet resolved.
public struct OpenOperation: Sendable, Equatable {
    public var tenant: LabelID
    public var target: LabelID
    public var lifecycleClass: LifecycleClass
    /// The subject (or, without one, the correlation id): shown to on-call, never a label.
    public var subject: String
    /// When it was opened (its `requested` time, or its first attempt's): epoch ms.
    public var openedAt: Int64
    /// Whether a `requested` event opened it (otherwise its latency is a lower bound).
    public var requested: Bool
    public var attempts: Int32
    /// Status of the last attempt; -1 before any.
    public var lastStatus: Int16
    /// Whether it has passed the deprovision latency threshold.
    public var overdue: Bool

    public init(tenant: LabelID, target: LabelID, lifecycleClass: LifecycleClass, subject: String, openedAt: Int64,
                requested: Bool, attempts: Int32 = 0, lastStatus: Int16 = -1, overdue: Bool = false) {
        self.tenant = tenant
        self.target = target
        self.lifecycleClass = lifecycleClass
        self.subject = subject
        self.openedAt = openedAt
        self.requested = requested
        self.attempts = attempts
        self.lastStatus = lastStatus
        self.overdue = overdue
    }

    func encoded() -> [UInt8] {
        var w = StateWriter()
        w.write(Int64(tenant))
        w.write(Int64(target))
        w.write(Int64(lifecycleClass.rawValue))
        w.write(subject)
        w.write(openedAt)
        w.write(Int64(requested ? 1 : 0) | Int64(overdue ? 2 : 0))
        w.write(Int64(attempts))
        w.write(Int64(lastStatus))
        return w.bytes
    }

    init(decoding bytes: [UInt8]) throws(StateDecodingError) {
        var r = StateReader(bytes)
        tenant = LabelID(truncatingIfNeeded: try r.readInt64())
        target = LabelID(truncatingIfNeeded: try r.readInt64())
        guard let cls = LifecycleClass(rawValue: UInt8(truncatingIfNeeded: try r.readInt64())) else { throw StateDecodingError() }
        lifecycleClass = cls
        subject = try r.readString()
        openedAt = try r.readInt64()
        let flags = try r.readInt64()
        requested = flags & 1 != 0
        overdue = flags & 2 != 0
        attempts = Int32(truncatingIfNeeded: try r.readInt64())
        lastStatus = Int16(truncatingIfNeeded: try r.readInt64())
    }
}

/// What the correlator decided: the caller turns these into metrics (and later SLO counts).
public enum OperationTransition: Sendable, Equatable {
    /// The operation opened (it is now counted as open until it resolves).
    case opened(OpenOperation)
    /// The operation resolved at `time`; `latencyMs` is resolution minus open time. `wasOpen` is false
    /// when the event that opened it also resolved it (it was never counted as open).
    case resolved(OpenOperation, OperationResult, time: Int64, latencyMs: Int64, wasOpen: Bool)
    /// An open deprovision passed its latency threshold at `time`.
    case overdue(OpenOperation, time: Int64)
}
