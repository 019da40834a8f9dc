/// Why a poll gave no reading: the `reason` label of `scimwatch_poll_errors_total`.
public enum PollFailureReason: String, CaseIterable, Sendable, Comparable {
    /// The body is not JSON (or not UTF-8).
    case invalidJSON = "invalid_json"
    /// A value has the wrong JSON type (a string where a number belongs, a negative depth, ...).
    case wrongType = "wrong_type"
    /// A value the format requires is absent.
    case missingField = "missing_field"
    /// Nothing listens at the address (connection refused).
    case refused
    /// No complete answer within the poller's timeout.
    case timeout
    /// The answer's status is not 2xx.
    case httpStatus = "http_status"
    /// The body grew past the poller's size limit; the transfer was cancelled.
    case tooLarge = "too_large"
    /// The TLS handshake failed (certificate not trusted, expired, wrong host, ...).
    case tls
    /// Any other transport failure (name not resolved, connection reset, ...).
    case error

    /// The label value.
    public var label: String { rawValue }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A failed poll: the reason (a label value) and a short detail for logs. The detail never holds a
/// header value or the URL's query, which may carry secrets.
public struct PollFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: PollFailureReason
    /// What went wrong in words, e.g. `HTTP status 500` or `queues[1].depth is a string`.
    public var detail: String

    public init(_ reason: PollFailureReason, _ detail: String = "") {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { detail.isEmpty ? reason.label : "\(reason.label): \(detail)" }
}

/// How a poll answer is read (`pollers[].format`).
public enum PollFormat: String, CaseIterable, Sendable {
    /// scimwatch's own JSON: `{"queues": [...]}`, `{"targets": [...]}` or both in one document.
    case native
    /// A Microsoft Graph `synchronizationJob` (Entra provisioning); the target comes from the poller.
    case entraSyncJob = "entra-sync-job"
    /// Any JSON, read through a ``PollMapping`` of dotted paths.
    case json
}
