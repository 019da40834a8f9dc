/// How a log was rotated, as the `kind` label of `scimwatch_log_rotations_total`.
public enum RotationKind: UInt8, CaseIterable, Sendable, Codable {
    case rename, truncate, recreate

    public var label: String {
        switch self {
        case .rename: "rename"
        case .truncate: "truncate"
        case .recreate: "recreate"
        }
    }
}

/// The self metrics of one source: what it read, what it could not parse, what it dropped.
public struct SourceStats: Sendable, Codable, Equatable {
    public var lines: UInt64 = 0
    public var bytes: UInt64 = 0
    /// Indexed by ``ParseErrorReason/rawValue``.
    public var parseErrors: [UInt64] = Array(repeating: 0, count: ParseErrorReason.allCases.count)
    public var duplicates: UInt64 = 0
    public var late: UInt64 = 0
    /// Indexed by ``RotationKind/rawValue``.
    public var rotations: [UInt64] = Array(repeating: 0, count: RotationKind.allCases.count)
    /// Events accepted (parsed, not duplicate).
    public var events: UInt64 = 0

    public init() {}

    public var parseErrorTotal: UInt64 { parseErrors.reduce(0, &+) }
}
