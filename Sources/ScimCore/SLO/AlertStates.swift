/// The alert state machine: one alert per SLO and severity, firing while any of that severity's
/// tiers burns too fast in both its windows (with enough traffic), resolved as soon as none does.
/// `mutating` methods take the evaluation and return the notifications to send; callers do the I/O.
public struct AlertStates: Sendable, Equatable {
    /// Firing alerts by dedup key, with when they started.
    public private(set) var firing: [String: Int64] = [:]

    public init() {}

    public func isFiring(slo: String, severity: AlertSeverity) -> Bool {
        firing["scimwatch/\(slo)/\(severity.rawValue)"] != nil
    }

    /// Applies whether an alert's condition holds now; returns the state change, if any.
    mutating func update(_ candidate: AlertNotification, holds: Bool, now: Int64) -> AlertNotification? {
        let key = candidate.dedupKey
        switch (firing[key], holds) {
        case (nil, true):
            firing[key] = now
            var n = candidate
            n.state = .firing
            n.startsAt = now
            return n
        case (let started?, false):
            firing[key] = nil
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
        w.write(firing.count)
        for (key, started) in firing.sorted(by: { $0.key < $1.key }) {
            w.write(key)
            w.write(started)
        }
        return w.bytes
    }

    public mutating func restore(_ bytes: [UInt8]) throws(StateDecodingError) {
        var r = StateReader(bytes)
        firing = [:]
        for _ in 0..<(try r.readInt()) {
            let key = try r.readString()
            firing[key] = try r.readInt64()
        }
    }
}
