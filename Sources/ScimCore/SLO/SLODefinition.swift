/// One service level objective (slo.md): what counts, which events are bad, the objective and how
/// fast burning its error budget pages or files a ticket.
public struct SLODefinition: Sendable, Equatable {
    /// `[a-z0-9-]+`, unique: the `slo` label.
    public var name: String
    public var sli: SLIKind
    /// The share of good events aimed for, in (0, 1), e.g. 0.999.
    public var objective: Double
    /// The rolling period of the error budget, milliseconds (default 30 days).
    public var periodMs: Int64
    /// Only events of these tenants / targets count (empty = all).
    public var tenants: [String]
    public var targets: [String]
    /// The burn-rate tiers; by default the multiwindow multi-burn-rate policy scaled to the period.
    public var tiers: [BurnRateTier]
    /// A window with fewer events, or fewer bad events, does not fire.
    public var minEvents: Int
    public var minBadEvents: Int
    /// `keep_firing_for` by severity: how long an alert keeps firing after its condition turned false
    /// (``AlertStates``); a severity not listed takes ``AlertHysteresis/defaultMs``.
    public var keepFiringForMs: [AlertSeverity: Int64]

    public init(name: String, sli: SLIKind, objective: Double, periodMs: Int64 = SLODefinition.defaultPeriodMs,
                tenants: [String] = [], targets: [String] = [], tiers: [BurnRateTier]? = nil,
                minEvents: Int = 10, minBadEvents: Int = 2, keepFiringForMs: [AlertSeverity: Int64] = [:]) {
        self.name = name
        self.sli = sli
        self.objective = objective
        self.periodMs = periodMs
        self.tenants = tenants
        self.targets = targets
        self.tiers = tiers ?? BurnRateTier.defaultPolicy(periodMs: periodMs)
        self.minEvents = minEvents
        self.minBadEvents = minBadEvents
        self.keepFiringForMs = keepFiringForMs
    }

    /// The `keep_firing_for` of this SLO's alert of `severity`.
    public func keepFiringFor(_ severity: AlertSeverity) -> Int64 {
        keepFiringForMs[severity] ?? AlertHysteresis.defaultMs
    }

    public static let defaultPeriodMs: Int64 = 30 * 86_400_000

    /// The error budget as a ratio: 1 - objective.
    public var budget: Double { 1 - objective }

    /// The three SLOs that ship built in (slo.md).
    public static let defaults: [SLODefinition] = [
        SLODefinition(name: "provision-success", sli: .operationSuccess(classes: [.provision]), objective: 0.999),
        SLODefinition(name: "deprovision-latency", sli: .operationLatency(classes: [.deprovision], thresholdMs: 600_000),
                      objective: 0.95),
        SLODefinition(name: "scim-requests", sli: .requestSuccess(bad: StatusClass.defaultBad), objective: 0.995),
    ]
}

/// What an SLO measures (slo.md, SLI kinds).
public enum SLIKind: Sendable, Equatable {
    /// Attempts; the listed status classes are bad.
    case requestSuccess(bad: [StatusClass])
    /// Resolved operations of the classes; failed and expired are bad.
    case operationSuccess(classes: [LifecycleClass])
    /// Operations of the classes: succeeded within the threshold is good; later, failed, expired, or
    /// still open past the threshold is bad (counted once, when it becomes bad).
    case operationLatency(classes: [LifecycleClass], thresholdMs: Int64)
    /// Operations inside bulk requests; failed ones are bad.
    case bulkSuccess

    /// The `kind` as written in the configuration.
    public var kindName: String {
        switch self {
        case .requestSuccess: "request_success"
        case .operationSuccess: "operation_success"
        case .operationLatency: "operation_latency"
        case .bulkSuccess: "bulk_success"
        }
    }
}

/// A status or class of statuses named in `bad:` lists: `"5xx"`, `"4xx"`, or one code (`"429"`, `"0"`).
public enum StatusClass: Sendable, Equatable, Hashable, CustomStringConvertible {
    case hundreds(Int)
    case code(Int16)

    public static let defaultBad: [StatusClass] = [.hundreds(5), .code(429), .code(401), .code(403), .code(0)]

    public init?(_ text: String) {
        if text.count == 3, text.hasSuffix("xx"), let digit = Int(text.prefix(1)), (1...5).contains(digit) {
            self = .hundreds(digit)
        } else if let code = Int16(text), (0...999).contains(code) {
            self = .code(code)
        } else {
            return nil
        }
    }

    public func matches(_ status: Int16) -> Bool {
        switch self {
        case .hundreds(let h): Int(status) / 100 == h
        case .code(let c): status == c
        }
    }

    public var description: String {
        switch self {
        case .hundreds(let h): "\(h)xx"
        case .code(let c): "\(c)"
        }
    }
}

/// Page or ticket: the `severity` label.
public enum AlertSeverity: String, Sendable, CaseIterable, Comparable {
    case page, ticket

    public static func < (a: AlertSeverity, b: AlertSeverity) -> Bool { a == .page && b == .ticket }
}

/// One tier of the burn-rate policy: fires when both windows burn faster than `factor`.
public struct BurnRateTier: Sendable, Equatable {
    public var severity: AlertSeverity
    public var longWindowMs: Int64
    public var shortWindowMs: Int64
    public var factor: Double

    public init(severity: AlertSeverity, longWindowMs: Int64, shortWindowMs: Int64, factor: Double) {
        self.severity = severity
        self.longWindowMs = longWindowMs
        self.shortWindowMs = shortWindowMs
        self.factor = factor
    }

    /// The default policy of slo.md; factors keep the budget percentages for any period
    /// (factor = budget share x period / long window), which gives 14.4, 6, 3 and 1 for 30 days.
    public static func defaultPolicy(periodMs: Int64) -> [BurnRateTier] {
        let hour: Int64 = 3_600_000
        let minute: Int64 = 60_000
        let rows: [(AlertSeverity, Int64, Int64, Double)] = [
            (.page, hour, 5 * minute, 0.02),
            (.page, 6 * hour, 30 * minute, 0.05),
            (.ticket, 24 * hour, 2 * hour, 0.10),
            (.ticket, 72 * hour, 6 * hour, 0.10),
        ]
        return rows.map { severity, long, short, share in
            BurnRateTier(severity: severity, longWindowMs: long, shortWindowMs: short,
                         factor: share * Double(periodMs) / Double(long))
        }
    }
}

/// Window labels as metrics, rules and alerts write them: `5m`, `30m`, `1h`, `6h`, `1d`, `3d`, `30d`.
public enum WindowLabel {
    public static func format(_ ms: Int64) -> String {
        let minute: Int64 = 60_000
        if ms % 86_400_000 == 0 { return "\(ms / 86_400_000)d" }
        if ms % 3_600_000 == 0 { return "\(ms / 3_600_000)h" }
        if ms % minute == 0 { return "\(ms / minute)m" }
        return "\(ms / 1000)s"
    }

    /// The windows every SLO is reported over (metrics.md), plus its period.
    public static let standardMs: [Int64] = [300_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 86_400_000, 259_200_000]
}
