/// What a ``TrafficSimulator`` generates: who sends, to which apps, how fast, and which incidents happen when.
///
/// Background traffic is always on: mostly successful attempts with realistic durations, occasional
/// failures and retries, bulk requests, `requested -> attempt -> completed` lifecycles for provision and
/// deprovision, membership and update traffic, a small share of deprovisions that never complete, and
/// occasional exact duplicate lines. Incidents are layered on top for one target during a time window.
public struct SimulationScenario: Sendable, Equatable {
    /// The kind of an incident and the target it hits.
    public enum IncidentKind: Sendable, Equatable {
        /// A share of attempts to `target` is answered `429` with `retry_after_s`; each is retried
        /// (`attempt >= 2`) after the requested back-off.
        case rateLimitBurst(target: String, share: Double = 0.6)
        /// A share of attempts to `target` gets `401` (an expired or revoked token).
        case tokenExpiry(target: String, share: Double = 0.9)
        /// A share of attempts to `target` fails with 5xx or gets no response at all (status `0`, a timeout).
        case outage(target: String, share: Double = 0.9)

        /// The target the incident hits.
        public var target: String {
            switch self {
            case .rateLimitBurst(let target, _), .tokenExpiry(let target, _), .outage(let target, _): target
            }
        }

        /// The share of attempts to the target that the incident answers, clamped to 0...1.
        public var share: Double {
            switch self {
            case .rateLimitBurst(_, let share), .tokenExpiry(_, let share), .outage(_, let share):
                min(max(share, 0), 1)
            }
        }
    }

    /// An incident active from `start` to `end` (offsets from the simulator's start time), optionally
    /// repeating every `repeatEvery`.
    public struct Incident: Sendable, Equatable {
        /// What happens, and to which target.
        public var kind: IncidentKind
        /// When it begins, as an offset from the simulation start.
        public var start: Duration
        /// When it ends (exclusive), as an offset from the simulation start.
        public var end: Duration
        /// When set, the window `[start, end)` recurs with this period (it should exceed `end - start`).
        public var repeatEvery: Duration?

        /// An incident of `kind` active in `[start, end)` after the simulation start, optionally recurring.
        public init(_ kind: IncidentKind, from start: Duration, to end: Duration, repeatEvery: Duration? = nil) {
            self.kind = kind
            self.start = start
            self.end = end
            self.repeatEvery = repeatEvery
        }

        /// A `429` burst on `target`; see ``IncidentKind/rateLimitBurst(target:share:)``.
        public static func rateLimitBurst(
            target: String, share: Double = 0.6, from start: Duration, to end: Duration, repeatEvery: Duration? = nil
        ) -> Incident {
            Incident(.rateLimitBurst(target: target, share: share), from: start, to: end, repeatEvery: repeatEvery)
        }

        /// Expired credentials for `target`; see ``IncidentKind/tokenExpiry(target:share:)``.
        public static func tokenExpiry(
            target: String, share: Double = 0.9, from start: Duration, to end: Duration, repeatEvery: Duration? = nil
        ) -> Incident {
            Incident(.tokenExpiry(target: target, share: share), from: start, to: end, repeatEvery: repeatEvery)
        }

        /// An outage of `target`; see ``IncidentKind/outage(target:share:)``.
        public static func outage(
            target: String, share: Double = 0.9, from start: Duration, to end: Duration, repeatEvery: Duration? = nil
        ) -> Incident {
            Incident(.outage(target: target, share: share), from: start, to: end, repeatEvery: repeatEvery)
        }

        /// Whether the incident is active `offsetMs` milliseconds after the simulation start.
        public func isActive(atOffset offsetMs: Int64) -> Bool {
            SimIncident.isActive(
                offsetMs, start: start.simMilliseconds, end: end.simMilliseconds,
                period: repeatEvery?.simMilliseconds ?? 0)
        }
    }

    /// The default targets: a mix of SaaS apps and one HR sink.
    public static let defaultTargets = ["github", "slack", "zoom", "jira", "salesforce", "workday-sink"]

    /// `count` tenant names `tenant-00`, `tenant-01`, ...
    public static func tenantNames(count: Int) -> [String] {
        (0..<max(count, 0)).map { $0 < 10 ? "tenant-0\($0)" : "tenant-\($0)" }
    }

    /// Tenants (customer directories) that send traffic, chosen uniformly per operation. Must not be empty.
    public var tenants: [String]
    /// Targets (apps or connectors) that traffic goes to, chosen uniformly per operation. Must not be empty.
    public var targets: [String]
    /// The approximate rate of lines per second of simulated time (retries and incidents vary it a little).
    ///
    /// Pending follow-ups (attempts after a request, retries, completions) are held in memory, about
    /// `eventsPerSecond` times five of them, so prefer rates up to ~100k/s. The first seconds of simulated
    /// time are lighter, since the follow-ups of the first operations are not due yet.
    public var eventsPerSecond: Double
    /// The seed of the pseudo-random generator: the same scenario, seed and start time give the same bytes.
    public var seed: UInt64
    /// Incidents layered on the background traffic. Where several are active for one target, the first
    /// in this list decides.
    public var incidents: [Incident]
    /// The share of lines that are immediately written a second time, byte for byte (IdPs resend).
    public var duplicateShare: Double
    /// The share of deprovisions that never complete: a request, then failing attempts or nothing.
    public var stuckDeprovisionShare: Double

    /// A scenario; every parameter has a sensible default.
    public init(
        tenants: [String] = SimulationScenario.tenantNames(count: 4),
        targets: [String] = SimulationScenario.defaultTargets,
        eventsPerSecond: Double = 20,
        seed: UInt64 = 1,
        incidents: [Incident] = [],
        duplicateShare: Double = 0.002,
        stuckDeprovisionShare: Double = 0.02
    ) {
        self.tenants = tenants
        self.targets = targets
        self.eventsPerSecond = eventsPerSecond
        self.seed = seed
        self.incidents = incidents
        self.duplicateShare = duplicateShare
        self.stuckDeprovisionShare = stuckDeprovisionShare
    }

    /// A scenario for demos: its incidents start within minutes and recur every 10 minutes.
    ///
    /// - minute 1-2: a `429` burst on `slack` (60% of its attempts), retried after `retry_after_s`;
    /// - minute 2-5: `zoom`'s token expired (90% of its attempts get `401`);
    /// - minute 6:30-7:30: `workday-sink` is down (5xx and timeouts).
    public static let demo = SimulationScenario(
        eventsPerSecond: 25,
        seed: 42,
        incidents: [
            .rateLimitBurst(target: "slack", from: .seconds(60), to: .seconds(120), repeatEvery: .seconds(600)),
            .tokenExpiry(target: "zoom", from: .seconds(120), to: .seconds(300), repeatEvery: .seconds(600)),
            .outage(target: "workday-sink", from: .seconds(390), to: .seconds(450), repeatEvery: .seconds(600)),
        ]
    )
}

/// An incident resolved for the hot path: target index and millisecond offsets.
struct SimIncident: Sendable {
    enum Kind: UInt8, Sendable { case rateLimit, tokenExpiry, outage }

    var kind: Kind
    var target: Int
    var share: Double
    var start: Int64
    var end: Int64
    /// Repeat period in ms; 0 = once.
    var period: Int64

    init?(_ incident: SimulationScenario.Incident, targets: [String]) {
        guard let index = targets.firstIndex(of: incident.kind.target) else { return nil }
        switch incident.kind {
        case .rateLimitBurst: kind = .rateLimit
        case .tokenExpiry: kind = .tokenExpiry
        case .outage: kind = .outage
        }
        target = index
        share = incident.kind.share
        start = incident.start.simMilliseconds
        end = incident.end.simMilliseconds
        period = incident.repeatEvery?.simMilliseconds ?? 0
    }

    @inline(__always)
    func isActive(atOffset offset: Int64) -> Bool {
        Self.isActive(offset, start: start, end: end, period: period)
    }

    @inline(__always)
    static func isActive(_ offset: Int64, start: Int64, end: Int64, period: Int64) -> Bool {
        guard offset >= start, end > start else { return false }
        if period <= 0 { return offset < end }
        return (offset - start) % period < end - start
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var simMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
