/// Index of an interned label value in a ``LabelTable``. 0 is always `__other__`.
public typealias LabelID = Int32

/// One canonical provisioning event (events.md). Every input format is parsed into this.
///
/// Label values (`tenant`, `target`) are interned: the hot path never builds a `String` for a value it
/// has seen before. Optional numbers use sentinels so the struct stays small and trivially copyable
/// apart from the two identity strings.
public struct Event: Sendable {
    /// Event time, milliseconds since the Unix epoch.
    public var time: Int64
    public var tenant: LabelID
    public var target: LabelID
    public var operation: OperationKind
    public var phase: Phase
    /// HTTP status; `0` = no response; `-1` = not given.
    public var status: Int16
    public var outcome: Outcome?
    /// Attempt duration in milliseconds; negative = not given.
    public var durationMs: Double
    /// Attempt number; 0 = not given.
    public var attempt: Int32
    /// Operations in a bulk request and how many failed; -1 = not a bulk request.
    public var bulkTotal: Int32
    public var bulkFailed: Int32
    /// 64-bit hash of the event `id`; 0 = no id.
    public var idHash: UInt64
    /// Stable id of the user or group (never a label).
    public var subject: String?
    public var correlationID: String?
    /// ``byteHash(_:_:)`` of the correlation id, else of the subject; 0 = derive it from the strings.
    /// The native parser fills it from the raw bytes so the hot path builds no correlation-id string.
    public var identity: UInt64 = 0

    public init(
        time: Int64, tenant: LabelID, target: LabelID, operation: OperationKind,
        phase: Phase = .attempt, status: Int16 = -1, outcome: Outcome? = nil, durationMs: Double = -1,
        attempt: Int32 = 0, bulkTotal: Int32 = -1, bulkFailed: Int32 = -1, idHash: UInt64 = 0,
        subject: String? = nil, correlationID: String? = nil, identity: UInt64 = 0
    ) {
        self.time = time
        self.tenant = tenant
        self.target = target
        self.operation = operation
        self.phase = phase
        self.status = status
        self.outcome = outcome
        self.durationMs = durationMs
        self.attempt = attempt
        self.bulkTotal = bulkTotal
        self.bulkFailed = bulkFailed
        self.idHash = idHash
        self.subject = subject
        self.correlationID = correlationID
        self.identity = identity
    }

    /// The status code an attempt is counted under, or `nil` when the event is not a counted attempt.
    ///
    /// A source that reports an outcome but no status counts `200` for success and `0` for failure;
    /// `skipped` is not an attempt; an attempt that reports neither is not counted (it says nothing).
    public var countedStatus: Int16? {
        guard phase == .attempt, outcome != .skipped else { return nil }
        if status >= 0 { return status }
        switch outcome {
        case .success: return 200
        case .failure: return 0
        default: return nil
        }
    }
}

/// Why a line was skipped; the `reason` label of `scimwatch_log_parse_errors_total`.
public enum ParseErrorReason: UInt8, CaseIterable, Sendable, Codable {
    // New reasons go last: the state file stores the counts in this order.
    case invalidJSON, invalidUTF8, missingField, wrongType, unknownValue, badTime, tooLong, tooDeep

    public var label: String {
        switch self {
        case .invalidJSON: "invalid_json"
        case .invalidUTF8: "invalid_utf8"
        case .missingField: "missing_field"
        case .wrongType: "wrong_type"
        case .unknownValue: "unknown_value"
        case .badTime: "bad_time"
        case .tooLong: "too_long"
        case .tooDeep: "too_deep"
        }
    }
}

/// A parse failure with the field it concerns, for logs.
public struct ParseError: Error, Sendable, Equatable {
    public var reason: ParseErrorReason
    public var field: String

    public init(_ reason: ParseErrorReason, _ field: String = "") {
        self.reason = reason
        self.field = field
    }
}
