/// The weekly SLO report for managers (slo.md, "Weekly report"): one ISO week, every SLO's attainment,
/// budget, daily series and the alerts that fired. Computed by ``WeeklyReport/compute(_:)`` from the
/// SLO engine's per-minute counts; rendered as JSON (``json()``), Markdown and HTML.
///
/// The JSON shape is these property names, keys sorted; ratios are plain numbers (0.999), times are
/// UTC ISO 8601, dates are the report's time zone. A key left out (an SLI, a budget) means "no data",
/// never 100%.
public struct WeeklyReport: Sendable, Equatable, Codable {
    /// `2026-W47`.
    public var week: String
    /// The time zone that defines the week and its days (e.g. `UTC`, `Europe/Paris`).
    public var timeZone: String
    /// Monday 00:00 and the next Monday 00:00 of the week, UTC ISO 8601.
    public var start: String
    public var end: String
    /// The time the report was computed for (epoch ms as ISO 8601).
    public var asOf: String
    public var slos: [SLO]
    /// The maintenance windows overlapping the week, one entry per occurrence, in order of start.
    public var maintenance: [Maintenance]
    /// Monday to Sunday: 401/403 and 429 shares of the attempts, deprovision latency percentiles.
    public var activity: [Activity]
    /// Queue backlog by day, one series per queue read in the week (from poll readings kept 15 days).
    public var queues: [QueueSeries]
    /// Reconciler drift by day, one series per target whose runs reported drift in the week.
    public var drift: [DriftSeries]
    /// SLO alerts that were firing at some time in the week, in order of start.
    public var alerts: [Alert]
    /// Where the bad events of the week came from (see ``TopFailing/basis``).
    public var topFailing: TopFailing
    public var overdueDeprovisions: Overdue
    /// What the report could not know, one sentence each.
    public var notes: [String]
    /// What a deprovision latency percentile of ``activity`` is the upper bound of: `25% buckets` (a
    /// sidecar's hourly aggregates) or `scim_operation_latency_seconds buckets` (a fleet report).
    public var latencyBuckets: String = WeeklyReport.sidecarLatencyBuckets

    public static let sidecarLatencyBuckets = "25% buckets"
    public static let fleetLatencyBuckets = "scim_operation_latency_seconds buckets"

    /// One SLO's week.
    public struct SLO: Sendable, Equatable, Codable {
        public var name: String
        /// `request_success`, `operation_success`, ...
        public var kind: String
        public var objective: Double
        public var periodDays: Double
        /// Events, bad events and SLI over the week.
        public var week: Counts
        /// The same over the SLO's period ending at the week's end.
        public var period: Counts
        /// 1 - bad / (events x (1 - objective)) over the period; null with no events; below 0 when overspent.
        public var budgetLeft: Double?
        /// floor(events x (1 - objective)) - bad over the period: negative when overspent by that many.
        public var failuresAllowed: Int64?
        /// `met`, `at risk` (budget left below ``atRiskBelow``), `breached` (period SLI below the objective),
        /// or `no data` (no events in the week).
        public var status: String
        /// The previous week's SLI and the change (this week's SLI minus it); null when either has no data.
        public var previousWeekSLI: Double?
        public var change: Double?
        /// Monday to Sunday.
        public var days: [Day]
    }

    /// Events, bad events and good / events (null with no events).
    public struct Counts: Sendable, Equatable, Codable {
        public var events: UInt64
        public var bad: UInt64
        public var sli: Double?

        public init(events: UInt64, bad: UInt64, sli: Double?) {
            self.events = events
            self.bad = bad
            self.sli = sli
        }
    }

    /// One day of one SLO.
    public struct Day: Sendable, Equatable, Codable {
        /// `2026-11-16` in the report's time zone.
        public var date: String
        public var events: UInt64
        public var bad: UInt64
        public var sli: Double?
        /// Budget left over the period ending at the end of this day (the burn-down).
        public var budgetLeft: Double?
        /// Names of the maintenance windows for this SLO that touch the day; left out when none does.
        public var maintenance: [String]?
    }

    /// One occurrence of a maintenance window (slo.md: "marked in reports").
    public struct Maintenance: Sendable, Equatable, Codable {
        public var name: String
        /// Start and end of this occurrence, UTC ISO 8601 (it may begin before or end after the week).
        public var start: String
        public var end: String
        /// The SLOs whose alerts it holds: those it names, or every SLO of the report when it names none.
        public var slos: [String]
        /// Whether it holds the symptom alerts too (a window that names no SLO).
        public var symptomAlerts: Bool
        /// Whether events during it are left out of those SLOs' budgets (`exclude_from_budget`).
        public var excludedFromBudget: Bool
        /// The days of the report it touches, in the report's time zone.
        public var dates: [String]
    }

    /// One day of requests and deprovisions (not tied to an SLO).
    public struct Activity: Sendable, Equatable, Codable {
        public var date: String
        /// Attempts with a counted status, and the shares answered 401/403 and 429 (left out with none).
        public var attempts: UInt64
        public var authFailureShare: Double?
        public var rateLimitedShare: Double?
        /// Deprovisions that succeeded, and their latency percentiles in seconds: the upper bound of a
        /// log bucket (at most 25% above the true value, capped near a day).
        public var deprovisions: UInt64
        public var latencyP50: Double?
        public var latencyP95: Double?
        public var latencyP99: Double?
    }

    /// One queue, Monday to Sunday.
    public struct QueueSeries: Sendable, Equatable, Codable {
        public var queue: String
        public var days: [QueueDay]
    }

    /// One queue's day. A day without a reading has `readings` 0 and no value (left out of the JSON, as
    /// every value without data is): no reading is not an empty queue. Dead letters are left out too when
    /// the endpoint does not report them.
    public struct QueueDay: Sendable, Equatable, Codable {
        public var date: String
        /// Good polls that reported this queue.
        public var readings: UInt64
        /// The largest and the last depth (backlog) read that day.
        public var maxDepth: Double?
        public var lastDepth: Double?
        public var maxDeadLetters: Double?
        public var lastDeadLetters: Double?
    }

    /// One reconciler target, Monday to Sunday.
    public struct DriftSeries: Sendable, Equatable, Codable {
        public var target: String
        public var days: [DriftDay]
    }

    /// One target's day: the largest and the last drift (missing + orphaned + mismatched records) of the
    /// runs that finished that day; both left out when none did.
    public struct DriftDay: Sendable, Equatable, Codable {
        public var date: String
        public var maxDrift: Double?
        public var lastDrift: Double?
    }

    /// One firing of one SLO alert.
    public struct Alert: Sendable, Equatable, Codable {
        public var alert: String
        public var slo: String?
        public var severity: String
        public var start: String
        /// Null while it still fires at the end of the report.
        public var end: String?
        /// Budget left when it started minus when it ended (or at the week's end if it still fires).
        public var budgetSpent: Double?
    }

    /// A label value and its number of bad events.
    public struct Count: Sendable, Equatable, Codable {
        public var value: String
        public var bad: Int

        public init(value: String, bad: Int) {
            self.value = value
            self.bad = bad
        }
    }

    /// The largest sources of bad events in the week.
    public struct TopFailing: Sendable, Equatable, Codable {
        /// How these were counted: every bad event, from hourly tallies kept 15 days (an older week shows none).
        public var basis: String
        public var targets: [Count]
        public var tenants: [Count]
        public var statusCodes: [Count]
    }

    /// Overdue deprovisions when the week ends: known only for the current week (from the live list).
    public struct Overdue: Sendable, Equatable, Codable {
        public var known: Bool
        public var count: Int?
        /// A few of them: `target/tenant subject`, oldest first.
        public var oldest: [String]
        /// Why the count is unknown (a past week; a fleet with no sidecar scraped); left out when known.
        public var reason: String?

        /// What a past week says: nothing records which deprovisions were overdue when it ended.
        public static let pastWeek = Overdue(known: false, count: nil, oldest: [], reason: "not recorded for a past week")
    }

    /// Budget left below this (and not overspent) is `at risk`: a quarter of the budget is what is
    /// left to absorb one bad day at a normal burn.
    public static let atRiskBelow = 0.25
}
