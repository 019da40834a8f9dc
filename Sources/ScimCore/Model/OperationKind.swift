/// What is done to the subject of an event (events.md, `operation`).
public enum OperationKind: UInt8, CaseIterable, Sendable, Codable {
    case create, update, disable, enable, delete
    case groupAdd, groupRemove, groupUpdate
    case read, unknown

    /// The value as written in logs and in the `operation` label.
    public var name: String { staticName.description }

    /// ``name`` without building a `String` (the simulator writes it straight into its byte buffer).
    public var staticName: StaticString {
        switch self {
        case .create: "create"
        case .update: "update"
        case .disable: "disable"
        case .enable: "enable"
        case .delete: "delete"
        case .groupAdd: "group_add"
        case .groupRemove: "group_remove"
        case .groupUpdate: "group_update"
        case .read: "read"
        case .unknown: "unknown"
        }
    }

    /// Parses the canonical name; `nil` for anything else.
    public init?(name: String) {
        guard let kind = OperationKind.allCases.first(where: { $0.name == name }) else { return nil }
        self = kind
    }

    /// The lifecycle class, or `nil` for `read` and `unknown` (request SLIs only).
    /// create and enable: provision; disable and delete: deprovision; update: update; group_*: membership.
    public var lifecycleClass: LifecycleClass? {
        // A shift of a constant instead of a switch: the operations of a log come in no order, so a
        // jump table would mispredict on nearly every event.
        let code = UInt8(truncatingIfNeeded: Self.classCodes >> (UInt64(rawValue) &* 4)) & 0xF
        return code < 4 ? LifecycleClass(lowBits: code) : nil
    }

    /// The ``LifecycleClass`` raw value of each operation, four bits per case from the lowest (0xF: none).
    private static let classCodes: UInt64 = 0xFF_3331_0120
}

/// Lifecycle classes group operations for operation SLIs.
public enum LifecycleClass: UInt8, CaseIterable, Sendable, Codable {
    case provision, deprovision, update, membership

    /// The class whose raw value is `bits & 3`: every such value is one, as there are four classes with
    /// raw values 0 to 3 in declaration order, which is also how an enum without payloads is stored (a
    /// test checks both). A bit cast, because every value is valid, so `init(rawValue:)`'s range check
    /// and unwrap would be work on every operation for nothing.
    @inline(__always)
    init(lowBits bits: UInt8) { self = unsafeBitCast(bits & 3, to: LifecycleClass.self) }

    public var name: String {
        switch self {
        case .provision: "provision"
        case .deprovision: "deprovision"
        case .update: "update"
        case .membership: "membership"
        }
    }

    public init?(name: String) {
        guard let value = LifecycleClass.allCases.first(where: { $0.name == name }) else { return nil }
        self = value
    }
}

/// Where an event sits in the life of an operation.
public enum Phase: UInt8, Sendable, Codable {
    case requested, attempt, completed

    public init?(name: String) {
        switch name {
        case "requested": self = .requested
        case "attempt": self = .attempt
        case "completed": self = .completed
        default: return nil
        }
    }
}

/// The result an event reports.
public enum Outcome: UInt8, Sendable, Codable {
    case success, failure, skipped

    public init?(name: String) {
        switch name {
        case "success": self = .success
        case "failure": self = .failure
        case "skipped": self = .skipped
        default: return nil
        }
    }
}
