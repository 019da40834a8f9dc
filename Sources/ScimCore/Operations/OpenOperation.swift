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

    /// The order on-call sees overdue deprovisions in (the API, the page): oldest first, then by subject,
    /// then by tenant and target (one subject may be overdue on several targets), so the order is total.
    public static func isOlder(_ a: OpenOperation, than b: OpenOperation) -> Bool {
        (a.openedAt, a.subject, a.tenant, a.target) < (b.openedAt, b.subject, b.tenant, b.target)
    }

    /// An operation as the correlator stores it, with its subject.
    init(_ f: OperationFacts, subject: String) {
        self.init(tenant: f.tenant, target: f.target, lifecycleClass: f.lifecycleClass, subject: subject, openedAt: f.openedAt,
                  requested: f.requested, attempts: f.attempts, lastStatus: f.lastStatus, overdue: f.overdue)
    }

    /// The operation without its subject.
    var facts: OperationFacts {
        OperationFacts(tenant: tenant, target: target, lifecycleClass: lifecycleClass, openedAt: openedAt, requested: requested,
                       attempts: attempts, lastStatus: lastStatus, overdue: overdue)
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

/// An operation without its subject: plain data, so storing it and passing it in transitions copies
/// no `String` (the correlator keeps subjects apart, see ``OperationCorrelator/subject(of:)``).
public struct OperationFacts: Sendable, Equatable {
    /// When it was opened: epoch ms.
    public var openedAt: Int64
    /// Tenant (bits 0-19), target (20-39), lifecycle class (40-41), requested (42), overdue (43) and the
    /// last status (48-63): packed so that the struct is 24 bytes and a correlator slot (key and facts)
    /// 32, half a cache line that never straddles two. Label ids stay below 2^20 (``SeriesKey``).
    private var packed: UInt64
    public var attempts: Int32
    /// The correlator's slot for the subject; -1 for an operation that was never stored.
    public internal(set) var subjectSlot: Int32

    public init(tenant: LabelID, target: LabelID, lifecycleClass: LifecycleClass, openedAt: Int64, requested: Bool,
                attempts: Int32 = 0, lastStatus: Int16 = -1, overdue: Bool = false) {
        self.openedAt = openedAt
        packed = 0
        self.attempts = attempts
        subjectSlot = -1
        self.tenant = tenant
        self.target = target
        self.lifecycleClass = lifecycleClass
        self.requested = requested
        self.overdue = overdue
        self.lastStatus = lastStatus
    }

    public var tenant: LabelID {
        get { LabelID(truncatingIfNeeded: packed & 0xFFFFF) }
        set { packed = packed & ~0xFFFFF | UInt64(UInt32(bitPattern: newValue)) & 0xFFFFF }
    }

    public var target: LabelID {
        get { LabelID(truncatingIfNeeded: packed >> 20 & 0xFFFFF) }
        set { packed = packed & ~(0xFFFFF << 20) | (UInt64(UInt32(bitPattern: newValue)) & 0xFFFFF) << 20 }
    }

    public var lifecycleClass: LifecycleClass {
        get { LifecycleClass(lowBits: UInt8(truncatingIfNeeded: packed >> 40)) }
        set { packed = packed & ~(3 << 40) | UInt64(newValue.rawValue & 3) << 40 }
    }

    public var requested: Bool {
        get { packed & 1 << 42 != 0 }
        set { packed = newValue ? packed | 1 << 42 : packed & ~(1 << 42) }
    }

    /// Whether it has passed the deprovision latency threshold.
    public var overdue: Bool {
        get { packed & 1 << 43 != 0 }
        set { packed = newValue ? packed | 1 << 43 : packed & ~(1 << 43) }
    }

    /// Status of the last attempt; -1 before any.
    public var lastStatus: Int16 {
        get { Int16(truncatingIfNeeded: packed >> 48) }
        set { packed = packed & 0xFFFF_FFFF_FFFF | UInt64(UInt16(bitPattern: newValue)) << 48 }
    }

    /// What fills the correlator's empty slots.
    static let vacant = OperationFacts(tenant: 0, target: 0, lifecycleClass: .provision, openedAt: 0, requested: false)
}

/// What the correlator decided: the caller turns these into metrics and SLO counts. (An operation
/// opening is none: nothing counts it until it resolves, and the open gauges are counted from
/// ``OperationCorrelator/open`` when a snapshot is taken.)
public enum OperationTransition: Sendable, Equatable {
    /// The operation resolved at `time`; `latencyMs` is resolution minus open time. `wasOpen` is false
    /// when the event that opened it also resolved it (it was never counted as open).
    case resolved(OperationFacts, OperationResult, time: Int64, latencyMs: Int64, wasOpen: Bool)
    /// An open deprovision passed its latency threshold at `time`.
    case overdue(OperationFacts, time: Int64)

    /// The operation the transition is about.
    public var facts: OperationFacts {
        switch self {
        case .resolved(let op, _, _, _, _), .overdue(let op, _): op
        }
    }
}
