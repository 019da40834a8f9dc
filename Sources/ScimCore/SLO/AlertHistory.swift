/// The SLO alert state changes as they happened, newest last, bounded: what the weekly report lists
/// as "alerts that fired". Kept in the checkpoint's `alert_history` section, so a restart keeps it.
public struct AlertHistory: Sendable, Equatable {
    /// One state change of one alert.
    public struct Entry: Sendable, Equatable {
        public var alert: String
        public var slo: String?
        public var severity: AlertSeverity
        public var state: AlertNotification.State
        /// When the change happened (epoch ms).
        public var at: Int64
        /// When the alert started firing (equal to `at` for a firing change).
        public var startsAt: Int64
        /// Error budget left over the period at the change (1 = untouched).
        public var budgetRemaining: Double?
    }

    /// Changes kept; the oldest go first. 2,000 is months of a busy SLO set and a few hundred kilobytes at most.
    public static let capacity = 2_000
    public private(set) var entries: [Entry] = []

    public init() {}

    /// Appends a state change decided at `now`.
    public mutating func record(_ n: AlertNotification, at now: Int64) {
        entries.append(Entry(alert: n.alert, slo: n.slo, severity: n.severity, state: n.state, at: now,
                             startsAt: n.startsAt, budgetRemaining: n.budgetRemaining))
        if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
    }

    /// Appends a state change known from elsewhere (a fleet report reads them from Prometheus's `ALERTS`).
    public mutating func record(_ entry: Entry) {
        entries.append(entry)
        if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
    }

    /// For the checkpoint.
    public func encoded() -> [UInt8] {
        var w = StateWriter()
        w.write(entries.count)
        for e in entries {
            w.write(e.alert)
            w.write(e.slo ?? "")
            w.write(e.severity.rawValue)
            w.write(e.state.rawValue)
            w.write(e.at)
            w.write(e.startsAt)
            w.write(e.budgetRemaining ?? .nan)
        }
        return w.bytes
    }

    /// Restores what ``encoded()`` wrote.
    public mutating func restore(_ bytes: [UInt8]) throws(StateDecodingError) {
        var r = StateReader(bytes)
        var out: [Entry] = []
        for _ in 0..<(try r.readInt()) {
            let alert = try r.readString()
            let slo = try r.readString()
            let severity = AlertSeverity(rawValue: try r.readString()) ?? .ticket
            let state = AlertNotification.State(rawValue: try r.readString()) ?? .resolved
            let at = try r.readInt64()
            let startsAt = try r.readInt64()
            let budget = try r.readDouble()
            out.append(Entry(alert: alert, slo: slo.isEmpty ? nil : slo, severity: severity, state: state, at: at,
                             startsAt: startsAt, budgetRemaining: budget.isNaN ? nil : budget))
        }
        entries = out
    }
}
