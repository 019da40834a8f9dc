import ScimCore

/// The body of `GET /api/v1/slos`: each SLO's objective, SLI and burn rate per window, budget and alerts.
public struct SLOReport: Encodable, Sendable {
    public struct Window: Encodable, Sendable {
        public var window: String
        public var events: UInt64
        public var badEvents: UInt64
        /// Left out when the window has no events (no data is not success).
        public var sli: Double?
        public var burnRate: Double?

        enum CodingKeys: String, CodingKey {
            case window, events, sli
            case badEvents = "bad_events", burnRate = "burn_rate"
        }
    }

    public struct Item: Encodable, Sendable {
        public var name: String
        public var kind: String
        public var objective: Double
        public var windows: [Window]
        public var budgetRemaining: Double
        public var alerts: [String: String]

        enum CodingKeys: String, CodingKey {
            case name, kind, objective, windows, alerts
            case budgetRemaining = "error_budget_remaining"
        }
    }

    public var now: String
    public var slos: [Item]

    public init(snapshot: EngineSnapshot) {
        now = EventTime.format(snapshot.now == .min ? 0 : snapshot.now)
        slos = snapshot.slos.map { s in
            Item(name: s.name, kind: s.kind, objective: s.objective,
                 windows: s.windows.map {
                     Window(window: $0.label, events: $0.total, badEvents: $0.bad,
                            sli: $0.sli.isFinite ? $0.sli : nil, burnRate: $0.burnRate.isFinite ? $0.burnRate : nil)
                 },
                 budgetRemaining: s.budgetRemaining,
                 alerts: Dictionary(uniqueKeysWithValues: AlertSeverity.allCases.map {
                     ($0.rawValue, s.firing.contains($0) ? "firing" : "inactive")
                 }))
        }
    }
}

/// The body of `GET /api/v1/alerts`: the alerts firing now.
public struct AlertsReport: Encodable, Sendable {
    public struct Item: Encodable, Sendable {
        public var key: String
        public var slo: String
        public var severity: String
        public var since: String
    }

    public var alerts: [Item]

    public init(snapshot: EngineSnapshot) {
        alerts = snapshot.firingAlerts.map { alert in
            let parts = alert.key.split(separator: "/").map(String.init)
            return Item(key: alert.key, slo: parts.count > 1 ? parts[1] : alert.key,
                        severity: parts.last ?? "", since: EventTime.format(alert.since))
        }
    }
}
