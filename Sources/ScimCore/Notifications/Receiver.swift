/// What the core needs to know about one receiver (`receivers[]`): its name, what protocol it speaks,
/// which severities it takes and the payload options. Where it lives and its secrets (URL, headers,
/// routing key) stay with the adapter, so nothing secret is ever built into a stored payload.
public struct Receiver: Sendable, Equatable {
    /// The protocol a receiver speaks.
    public enum Kind: String, Sendable, CaseIterable {
        /// Alertmanager API v2: `POST /api/v2/alerts`.
        case alertmanager
        /// PagerDuty Events API v2.
        case pagerduty
        /// The notification as JSON, POSTed to a URL.
        case webhook
        /// A Slack incoming webhook: `{"text": ...}`.
        case slack
        /// The Slack text printed to standard output (the demo).
        case console
    }

    /// Unique; the `receiver` label.
    public var name: String
    public var kind: Kind
    /// The severities this receiver takes (default: all).
    public var severities: Set<AlertSeverity>
    /// PagerDuty `payload.source`: where the problem is seen (default `scimwatch`).
    public var source: String
    /// Alertmanager `generatorURL` (left out when nil).
    public var generatorURL: String?
    /// Alertmanager: a firing alert is sent with `endsAt` this far after the moment it is sent, so it
    /// stays active for a few evaluations without a re-send and resolves by itself if scimwatch dies.
    public var holdMs: Int64

    public static let defaultHoldMs: Int64 = 4 * 60_000

    public init(name: String, kind: Kind, severities: Set<AlertSeverity> = Set(AlertSeverity.allCases),
                source: String = "scimwatch", generatorURL: String? = nil, holdMs: Int64 = Receiver.defaultHoldMs) {
        self.name = name
        self.kind = kind
        self.severities = severities
        self.source = source
        self.generatorURL = generatorURL
        self.holdMs = holdMs
    }

    /// Whether notifications of `severity` are routed to this receiver.
    public func accepts(_ severity: AlertSeverity) -> Bool {
        severities.contains(severity)
    }
}
