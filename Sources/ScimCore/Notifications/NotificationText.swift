/// The human-readable page (Slack, the console, Alertmanager's `description`): written for someone woken
/// at 3am. First what fires and for which SLO, then how fast the budget burns in both windows, how much is
/// left, where the bad events come from and a few correlation ids to look up.
public enum NotificationText {
    /// `slack` escapes `&`, `<`, `>` and adds an emoji and bold title; `plain` is for terminals and annotations.
    public enum Style: Sendable { case plain, slack }

    /// The whole text, one fact per line.
    public static func render(_ n: AlertNotification, style: Style) -> String {
        var lines: [String] = []
        let subject = n.slo.map { "SLO \($0)" } ?? n.alert
        switch style {
        case .plain:
            lines.append("[\(n.state == .firing ? "FIRING" : "RESOLVED")] \(n.severity.rawValue) \(subject): \(n.summary)")
        case .slack:
            let icon = n.state == .resolved ? ":white_check_mark:" : (n.severity == .page ? ":rotating_light:" : ":warning:")
            lines.append("\(icon) *\(n.state == .firing ? "FIRING" : "RESOLVED") \(n.severity.rawValue)* \(subject): \(n.summary)")
        }
        if n.state == .resolved, let end = n.endsAt {
            lines.append("Resolved \(time(end)) after \(duration(end - n.startsAt)) (firing since \(time(n.startsAt)))")
        } else {
            lines.append("Firing since \(time(n.startsAt)) (alert \(n.alert))")
        }
        if let rates = burnRates(n.burnRates) {
            lines.append((n.state == .firing ? "Burn rate: " : "Burn rate at resolution: ") + rates)
        }
        if let left = n.budgetRemaining { lines.append("Error budget left: \(budget(left))") }
        for (label, text) in evidence(n.evidence) { lines.append("\(label): \(text)") }
        let text = lines.joined(separator: "\n")
        return style == .slack ? slackEscaped(text) : text
    }

    /// Evidence as labelled lines, left out when empty.
    public static func evidence(_ e: Evidence) -> [(String, String)] {
        var out: [(String, String)] = []
        if !e.topTargets.isEmpty { out.append(("Top targets", list(e.topTargets))) }
        if !e.topTenants.isEmpty { out.append(("Top tenants", list(e.topTenants))) }
        if !e.topStatusCodes.isEmpty { out.append(("Top status codes", list(e.topStatusCodes))) }
        if !e.sampleCorrelationIDs.isEmpty { out.append(("Sample correlation ids", e.sampleCorrelationIDs.joined(separator: ", "))) }
        return out
    }

    /// `16.2x over 1h, 21.5x over 5m`: longest window first, or nil when there are none.
    public static func burnRates(_ rates: [String: Double]) -> String? {
        let ordered = orderedWindows(rates)
        guard !ordered.isEmpty else { return nil }
        return ordered.map { "\(rate($0.1))x over \($0.0)" }.joined(separator: ", ")
    }

    /// Window labels with their values, longest window first (unknown labels last, by name).
    public static func orderedWindows(_ rates: [String: Double]) -> [(String, Double)] {
        rates.sorted { a, b in
            let x = windowMs(a.key) ?? -1
            let y = windowMs(b.key) ?? -1
            return x != y ? x > y : a.key < b.key
        }.map { ($0.key, $0.value) }
    }

    /// Milliseconds of a window label such as `5m`, `1h`, `3d`.
    public static func windowMs(_ label: String) -> Int64? {
        guard let unit = label.last, let n = Int64(label.dropLast()) else { return nil }
        switch unit {
        case "s": return n * 1000
        case "m": return n * 60_000
        case "h": return n * 3_600_000
        case "d": return n * 86_400_000
        default: return nil
        }
    }

    /// `name (count), ...`.
    public static func list(_ pairs: [(String, Int)]) -> String {
        pairs.map { "\($0.0) (\($0.1))" }.joined(separator: ", ")
    }

    /// A burn rate with as many decimals as matter: `240`, `16.2`, `0.85`.
    public static func rate(_ x: Double) -> String {
        guard x.isFinite else { return "n/a" }
        if abs(x) >= 100 { return trimmed((x).rounded()) }
        if abs(x) >= 10 { return trimmed((x * 10).rounded() / 10) }
        return trimmed((x * 100).rounded() / 100)
    }

    /// Budget left as a percentage, or how far it is overspent.
    public static func budget(_ ratio: Double) -> String {
        guard ratio.isFinite else { return "n/a" }
        let percent = trimmed((ratio * 1000).rounded() / 10)
        return ratio < 0 ? "none (overspent by \(trimmed((-ratio * 1000).rounded() / 10))%)" : "\(percent)%"
    }

    /// `2026-11-23 03:12:05 UTC`.
    public static func time(_ ms: Int64) -> String {
        let iso = EventTime.format(ms) // 2026-11-23T03:12:05.000Z
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(8)) + " UTC"
    }

    /// `45s`, `28m`, `2h 5m`, `3d 4h`.
    public static func duration(_ ms: Int64) -> String {
        let s = max(0, ms / 1000)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86400 { return s % 3600 / 60 == 0 ? "\(s / 3600)h" : "\(s / 3600)h \(s % 3600 / 60)m" }
        return s % 86400 / 3600 == 0 ? "\(s / 86400)d" : "\(s / 86400)d \(s % 86400 / 3600)h"
    }

    /// Slack reads `&`, `<` and `>` as markup: a target named `a<b>` must not become a link.
    public static func slackEscaped(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(c)
            }
        }
        return out
    }

    static func trimmed(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }
}
