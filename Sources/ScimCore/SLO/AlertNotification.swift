/// What the alert state machine asks receivers to send: one per state change of one alert
/// (one alert per SLO and severity, or per symptom), with the evidence on-call needs.
public struct AlertNotification: Sendable, Equatable {
    public enum State: String, Sendable { case firing, resolved }

    /// `alertname`, e.g. `SLOBurnRatePage` or `DeprovisionsOverdue`.
    public var alert: String
    /// The SLO, or nil for a symptom alert.
    public var slo: String?
    public var severity: AlertSeverity
    public var state: State
    /// When the alert started firing (epoch ms), and, once resolved, when it ended.
    public var startsAt: Int64
    public var endsAt: Int64?
    /// One line for the page title.
    public var summary: String
    /// Burn rate per window label (`1h`, `5m`, ...) at the transition.
    public var burnRates: [String: Double]
    /// Error budget left over the period (1 = untouched, below 0 = overspent).
    public var budgetRemaining: Double?
    public var evidence: Evidence

    /// The stable key receivers deduplicate on: one per SLO (or symptom) and severity.
    public var dedupKey: String { "scimwatch/\(slo ?? alert)/\(severity.rawValue)" }

    public init(alert: String, slo: String?, severity: AlertSeverity, state: State, startsAt: Int64, endsAt: Int64? = nil,
                summary: String, burnRates: [String: Double] = [:], budgetRemaining: Double? = nil, evidence: Evidence = Evidence()) {
        self.alert = alert
        self.slo = slo
        self.severity = severity
        self.state = state
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.summary = summary
        self.burnRates = burnRates
        self.budgetRemaining = budgetRemaining
        self.evidence = evidence
    }
}

/// Why an alert fires: where the bad events come from.
public struct Evidence: Sendable, Equatable {
    /// Label value and number of bad events, largest first (a few of each).
    public var topTargets: [(String, Int)]
    public var topTenants: [(String, Int)]
    public var topStatusCodes: [(String, Int)]
    /// A few correlation ids (or subjects) of bad events, to look up in the provisioning system.
    public var sampleCorrelationIDs: [String]

    public init(topTargets: [(String, Int)] = [], topTenants: [(String, Int)] = [], topStatusCodes: [(String, Int)] = [],
                sampleCorrelationIDs: [String] = []) {
        self.topTargets = topTargets
        self.topTenants = topTenants
        self.topStatusCodes = topStatusCodes
        self.sampleCorrelationIDs = sampleCorrelationIDs
    }

    public static func == (a: Evidence, b: Evidence) -> Bool {
        a.topTargets.map(\.0) == b.topTargets.map(\.0) && a.topTargets.map(\.1) == b.topTargets.map(\.1)
            && a.topTenants.map(\.0) == b.topTenants.map(\.0) && a.topTenants.map(\.1) == b.topTenants.map(\.1)
            && a.topStatusCodes.map(\.0) == b.topStatusCodes.map(\.0) && a.topStatusCodes.map(\.1) == b.topStatusCodes.map(\.1)
            && a.sampleCorrelationIDs == b.sampleCorrelationIDs
    }
}
