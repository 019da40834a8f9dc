/// The rules of the operation model (events.md) that are configurable.
public struct OperationConfiguration: Sendable, Equatable {
    /// Whether events are correlated into operations at all (request SLIs only when off).
    public var enabled = true
    /// An operation still open after this long resolves as expired (a failure). Default 24h.
    public var timeoutMs: Int64
    /// Failed attempts with these statuses resolve the operation as failed (404 is success on delete).
    public var terminalStatuses: Set<Int16>
    /// A deprovision open longer than this is overdue. Default 10 minutes.
    public var deprovisionOverdueMs: Int64
    /// The sliding window of the exact latency quantiles. Default 1h.
    public var latencyWindowMs: Int64

    public init(timeoutMs: Int64 = 86_400_000, terminalStatuses: Set<Int16> = [400, 404, 409, 412, 413, 422],
                deprovisionOverdueMs: Int64 = 600_000, latencyWindowMs: Int64 = 3_600_000) {
        self.timeoutMs = timeoutMs
        self.terminalStatuses = terminalStatuses
        self.deprovisionOverdueMs = deprovisionOverdueMs
        self.latencyWindowMs = latencyWindowMs
    }
}

/// How an operation ended: the `result` label of `scim_operations_total`.
public enum OperationResult: UInt8, CaseIterable, Sendable {
    case succeeded, failed, expired

    public var label: String {
        switch self {
        case .succeeded: "succeeded"
        case .failed: "failed"
        case .expired: "expired"
        }
    }
}
