import Foundation
import ScimCore
import ScimNotifiers

/// One receiver of notifications (`receivers[]`): what the core needs (``Receiver``) plus where it
/// lives and its secrets, resolved at load time and never printed.
public struct ReceiverConfiguration: Sendable, CustomStringConvertible {
    /// `name`, `kind`, `severities`, `source` (PagerDuty), `generator_url` (Alertmanager).
    public var receiver: Receiver
    /// Where bodies are POSTed: for Alertmanager the configured base URL plus `/api/v2/alerts`; for
    /// PagerDuty the Events API v2 unless `url` says otherwise; nil for the console. May hold a token
    /// (Slack, webhooks): shown only as ``displayURL``.
    public var url: URL?
    /// `headers`: values resolved from text, `{env: NAME}` or `{file: PATH}`.
    public var headers: [SenderHeader]
    /// `routing_key` (PagerDuty): from `{env: NAME}` or `{file: PATH}` only.
    public var routingKey: String?
    /// `timeout`: the longest one attempt may take (default 10s).
    public var timeout: Duration
    /// `max_attempts`, `max_age`, `min_backoff`, `max_backoff`.
    public var policy: DeliveryPolicy

    public static let defaultTimeout: Duration = .seconds(10)
    public static let pagerDutyURL = URL(string: "https://events.pagerduty.com/v2/enqueue")!

    public init(receiver: Receiver, url: URL? = nil, headers: [SenderHeader] = [], routingKey: String? = nil,
                timeout: Duration = defaultTimeout, policy: DeliveryPolicy = DeliveryPolicy()) {
        self.receiver = receiver
        self.url = url ?? (receiver.kind == .pagerduty ? Self.pagerDutyURL : nil)
        self.headers = headers
        self.routingKey = routingKey
        self.timeout = timeout
        self.policy = policy
    }

    /// The `receiver` label.
    public var name: String { receiver.name }
    /// The protocol it speaks.
    public var kind: Receiver.Kind { receiver.kind }

    /// The Alertmanager endpoint below a base URL (kept as is when already given in full).
    public static func alertmanagerEndpoint(_ base: URL) -> URL {
        let text = base.absoluteString
        if text.hasSuffix("/api/v2/alerts") { return base }
        return URL(string: (text.hasSuffix("/") ? String(text.dropLast()) : text) + "/api/v2/alerts") ?? base
    }

    /// Scheme, host and port only: paths and queries of webhook URLs hold tokens.
    public var displayURL: String {
        guard let url else { return "stdout" }
        guard let parts = URLComponents(url: url, resolvingAgainstBaseURL: false), let scheme = parts.scheme,
              let host = parts.host else { return "(url hidden)" }
        return "\(scheme)://\(host)" + (parts.port.map { ":\($0)" } ?? "") + (parts.path.isEmpty || parts.path == "/" ? "" : "/...")
    }

    /// One line for `check-config` and logs, without secrets.
    public var description: String {
        var line = "\(name): \(kind.rawValue) \(displayURL)"
        line += ", severities \(receiver.severities.sorted().map(\.rawValue).joined(separator: " "))"
        if kind != .console {
            line += ", timeout \(PollerConfiguration.text(timeout)), max attempts \(policy.maxAttempts)"
            line += ", max age \(PollerConfiguration.text(.milliseconds(policy.maxAgeMs)))"
        }
        if routingKey != nil { line += ", routing key set" }
        if !headers.isEmpty { line += ", headers \(headers.map(\.name).joined(separator: " "))" }
        return line
    }
}
