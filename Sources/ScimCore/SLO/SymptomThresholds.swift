/// The symptom alerts of slo.md, besides the SLO burn-rate alerts: each names a cause on-call can act
/// on directly (an expired token, a stuck queue) rather than only the budget it burns.
public enum Symptom: String, Sendable, CaseIterable {
    /// 401/403 share; 429 share; queue without progress; reconciler without success; overdue
    /// deprovisions; log source not growing; poll endpoint failing.
    case authFailures, rateLimited, queueStuck, reconcilerStale, deprovisionsOverdue, sourceStalled, pollDown

    /// The `alertname` in rules and notifications.
    public var alertName: String {
        switch self {
        case .authFailures: "AuthFailures"
        case .rateLimited: "RateLimited"
        case .queueStuck: "QueueStuck"
        case .reconcilerStale: "ReconcilerStale"
        case .deprovisionsOverdue: "DeprovisionsOverdue"
        case .sourceStalled: "LogSourceStalled"
        case .pollDown: "PollEndpointDown"
        }
    }

    /// The key under `symptoms:` in the configuration.
    public var configKey: String {
        switch self {
        case .authFailures: "auth_failures"
        case .rateLimited: "rate_limited"
        case .queueStuck: "queue_stuck"
        case .reconcilerStale: "reconciler_stale"
        case .deprovisionsOverdue: "deprovisions_overdue"
        case .sourceStalled: "source_stalled"
        case .pollDown: "poll_down"
        }
    }
}

/// Thresholds of the symptom alerts (`symptoms:` in the configuration). Every symptom can be
/// disabled and given its own severity; the defaults page only for what stops provisioning outright.
public struct SymptomThresholds: Sendable, Equatable {
    /// Share of attempts answered 401 or 403, per tenant and target: an expired token or secret.
    public var authFailures = ShareThreshold(severity: .page, ratio: 0.1, windowMs: 300_000, minRequests: 10, forMs: 0)
    /// Share of attempts answered 429, per tenant and target. Retries absorb short bursts, hence the `for`.
    public var rateLimited = ShareThreshold(severity: .ticket, ratio: 0.2, windowMs: 300_000, minRequests: 10, forMs: 600_000)
    /// A queue with items and no progress (`scim_queue_progress_timestamp_seconds`) for `forMs`.
    public var queueStuck = DurationThreshold(severity: .page, forMs: 900_000)
    /// A reconciler without a successful run for 2 x its interval.
    public var reconcilerStale = ReconcilerThreshold()
    /// Any overdue deprovision (open longer than `operations.deprovision_overdue_after`) for `forMs`.
    public var deprovisionsOverdue = DurationThreshold(severity: .ticket, forMs: 0)
    /// A log source with files that reads no byte for `forMs`: the writer stopped, or scimwatch did.
    public var sourceStalled = DurationThreshold(severity: .ticket, forMs: 1_800_000)
    /// A poll endpoint whose polls fail for `forMs`.
    public var pollDown = DurationThreshold(severity: .ticket, forMs: 300_000)

    public init() {}

    /// How long the alert of `symptom` keeps firing after its condition turned false.
    public func keepFiringFor(_ symptom: Symptom) -> Int64 {
        switch symptom {
        case .authFailures: authFailures.keepFiringForMs
        case .rateLimited: rateLimited.keepFiringForMs
        case .queueStuck: queueStuck.keepFiringForMs
        case .reconcilerStale: reconcilerStale.keepFiringForMs
        case .deprovisionsOverdue: deprovisionsOverdue.keepFiringForMs
        case .sourceStalled: sourceStalled.keepFiringForMs
        case .pollDown: pollDown.keepFiringForMs
        }
    }
}

/// A share of request attempts above `ratio` over `windowMs`, held for `forMs`.
public struct ShareThreshold: Sendable, Equatable {
    /// `enabled`: false leaves the alert out of the rules.
    public var enabled: Bool
    /// `severity`: the route in Alertmanager (page or ticket).
    public var severity: AlertSeverity
    /// In (0, 1]: 0.1 = 10% of attempts.
    public var ratio: Double
    public var windowMs: Int64
    /// Fewer attempts in the window never fire (a single 401 in a quiet minute is not an outage).
    public var minRequests: Int
    /// How long the condition must hold before the alert fires (0 = at once).
    public var forMs: Int64
    /// `keep_firing_for`: how long the alert keeps firing after its condition turned false.
    public var keepFiringForMs: Int64 = AlertHysteresis.defaultMs

    public init(enabled: Bool = true, severity: AlertSeverity, ratio: Double, windowMs: Int64, minRequests: Int, forMs: Int64) {
        self.enabled = enabled
        self.severity = severity
        self.ratio = ratio
        self.windowMs = windowMs
        self.minRequests = minRequests
        self.forMs = forMs
    }
}

/// A condition that fires once it has held for `forMs`.
public struct DurationThreshold: Sendable, Equatable {
    /// `enabled`: false leaves the alert out of the rules.
    public var enabled: Bool
    /// `severity`: the route in Alertmanager (page or ticket).
    public var severity: AlertSeverity
    /// `for`: how long the condition holds before the alert fires.
    public var forMs: Int64
    /// `keep_firing_for`: how long the alert keeps firing after its condition turned false.
    public var keepFiringForMs: Int64 = AlertHysteresis.defaultMs

    public init(enabled: Bool = true, severity: AlertSeverity, forMs: Int64) {
        self.enabled = enabled
        self.severity = severity
        self.forMs = forMs
    }
}

/// Reconcilers run on a schedule; a target is stale after 2 x its interval without a successful run.
public struct ReconcilerThreshold: Sendable, Equatable {
    /// `enabled`: false leaves the alert out of the rules.
    public var enabled: Bool
    /// `severity`: the route in Alertmanager (page or ticket).
    public var severity: AlertSeverity
    /// The schedule of reconcilers not listed in `intervalsMs`.
    public var intervalMs: Int64
    /// Per-target schedules, by the `target` label.
    public var intervalsMs: [String: Int64]
    /// `keep_firing_for`: how long the alert keeps firing after its condition turned false.
    public var keepFiringForMs: Int64 = AlertHysteresis.defaultMs

    public init(enabled: Bool = true, severity: AlertSeverity = .ticket, intervalMs: Int64 = 3_600_000, intervalsMs: [String: Int64] = [:]) {
        self.enabled = enabled
        self.severity = severity
        self.intervalMs = intervalMs
        self.intervalsMs = intervalsMs
    }

    /// Missed runs before the alert fires (slo.md: 2 x the interval).
    public static let missedRuns: Int64 = 2
}
