/// The alert state machine: one alert per SLO and severity (or per symptom), firing while its
/// condition holds and resolved once the condition has been false for the alert's `keep_firing_for`
/// without a break, as Prometheus does with the same setting (docs/alerts.md, hysteresis): a burn rate
/// that hovers at its factor is one incident, not a page every few seconds.
/// `mutating` methods take the evaluation and return the notifications to send; callers do the I/O.
public struct AlertStates: Sendable, Equatable {
    /// Firing alerts by dedup key, with when they started.
    public private(set) var firing: [String: Int64] = [:]
    /// Firing alerts whose condition is false, with the first evaluation that found it so.
    public private(set) var clearSince: [String: Int64] = [:]

    public init() {}

    public func isFiring(slo: String, severity: AlertSeverity) -> Bool {
        firing[Self.key(slo: slo, severity: severity)] != nil
    }

    /// The dedup key of an SLO's alert (``AlertNotification/dedupKey``).
    private static func key(slo: String, severity: AlertSeverity) -> String { "scimwatch/\(slo)/\(severity.rawValue)" }

    /// The condition of a firing SLO alert holds: a countdown to its resolution stops (what ``update``
    /// does, for a caller that skips building the notification).
    mutating func conditionHoldsAgain(slo: String, severity: AlertSeverity) {
        guard !clearSince.isEmpty else { return }
        clearSince[Self.key(slo: slo, severity: severity)] = nil
    }

    /// Applies whether an alert's condition holds now; returns the state change, if any. A firing
    /// alert resolves at the first evaluation at least `keepFiringForMs` after its condition turned
    /// false (at once with 0); the condition holding again in between keeps it firing.
    mutating func update(_ candidate: AlertNotification, holds: Bool, now: Int64, keepFiringForMs: Int64) -> AlertNotification? {
        let key = candidate.dedupKey
        switch (firing[key], holds) {
        case (nil, true):
            firing[key] = now
            var n = candidate
            n.state = .firing
            n.startsAt = now
            return n
        case (_?, true):
            clearSince[key] = nil
            return nil
        case (let started?, false):
            let since = clearSince[key] ?? now
            guard now - since >= keepFiringForMs else {
                clearSince[key] = since
                return nil
            }
            firing[key] = nil
            clearSince[key] = nil
            var n = candidate
            n.state = .resolved
            n.startsAt = started
            n.endsAt = now
            return n
        default:
            return nil
        }
    }

    /// For the store.
    public func encoded() -> [UInt8] {
        var w = StateWriter()
        for times in [firing, clearSince] {
            w.write(times.count)
            for (key, time) in times.sorted(by: { $0.key < $1.key }) {
                w.write(key)
                w.write(time)
            }
        }
        return w.bytes
    }

    public mutating func restore(_ bytes: [UInt8]) throws(StateDecodingError) {
        var r = StateReader(bytes)
        func times() throws(StateDecodingError) -> [String: Int64] {
            var times: [String: Int64] = [:]
            for _ in 0..<(try r.readInt()) {
                let key = try r.readString()
                times[key] = try r.readInt64()
            }
            return times
        }
        firing = try times()
        // States written before hysteresis end here.
        clearSince = r.remaining > 0 ? try times() : [:]
    }
}

/// The default `keep_firing_for` of every alert.
public enum AlertHysteresis {
    /// Five minutes: the short window of the fastest page tier. A condition that comes back within it
    /// is the same incident still moving through that window, so on-call gets one page and one
    /// resolution instead of a flap; a real recovery is announced five minutes late, which costs no one
    /// an action (docs/alerts.md, hysteresis).
    public static let defaultMs: Int64 = 300_000
}
