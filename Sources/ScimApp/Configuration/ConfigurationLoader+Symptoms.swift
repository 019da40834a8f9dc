import ScimCore
import Yams

extension ConfigurationLoader {
    /// `symptoms:` the thresholds of the symptom alerts. Each key is optional; `false` disables one
    /// (`poll_down: false`), a mapping changes it (`{enabled, severity, keep_firing_for, ...}`).
    mutating func parseSymptoms(_ node: Node) -> SymptomThresholds {
        var s = SymptomThresholds()
        for (k, v) in mapping(node, "symptoms") ?? [] {
            let key = "symptoms.\(k)"
            guard let symptom = Symptom.allCases.first(where: { $0.configKey == k }) else {
                issues.append(.init(key, "unknown symptom; one of \(Symptom.allCases.map(\.configKey).joined(separator: ", "))"))
                continue
            }
            switch symptom {
            case .authFailures: parseShare(v, key, into: &s.authFailures)
            case .rateLimited: parseShare(v, key, into: &s.rateLimited)
            case .queueStuck: parseHeld(v, key, into: &s.queueStuck, minimumMs: 1000)
            case .reconcilerStale: parseReconciler(v, key, into: &s.reconcilerStale)
            case .deprovisionsOverdue: parseHeld(v, key, into: &s.deprovisionsOverdue, minimumMs: 0)
            case .sourceStalled: parseHeld(v, key, into: &s.sourceStalled, minimumMs: 60_000)
            case .pollDown: parseHeld(v, key, into: &s.pollDown, minimumMs: 0)
            }
        }
        return s
    }

    /// `{ratio, window, min_requests, for}` besides `enabled` and `severity`.
    private mutating func parseShare(_ node: Node, _ key: String, into t: inout ShareThreshold) {
        for (k, v) in symptomEntries(node, key, enabled: &t.enabled, severity: &t.severity, keepFiringFor: &t.keepFiringForMs) {
            let path = "\(key).\(k)"
            switch k {
            case "ratio":
                guard case .scalar(let s) = v, let r = Double(s.string), r > 0, r <= 1 else {
                    issues.append(.init(path, "must be a share above 0 and at most 1, e.g. 0.1 for 10%"))
                    continue
                }
                t.ratio = r
            case "window": if let ms = duration(v, path) { t.windowMs = ms }
            case "min_requests": if let n = integer(v, path, in: 0...1_000_000_000) { t.minRequests = n }
            case "for": if let ms = holdDuration(v, path, minimumMs: 0) { t.forMs = ms }
            default: unknown(path)
            }
        }
    }

    /// `{for}` besides `enabled` and `severity`.
    private mutating func parseHeld(_ node: Node, _ key: String, into t: inout DurationThreshold, minimumMs: Int64) {
        for (k, v) in symptomEntries(node, key, enabled: &t.enabled, severity: &t.severity, keepFiringFor: &t.keepFiringForMs) {
            let path = "\(key).\(k)"
            switch k {
            case "for": if let ms = holdDuration(v, path, minimumMs: minimumMs) { t.forMs = ms }
            default: unknown(path)
            }
        }
    }

    /// `{interval, intervals: {TARGET: DURATION}}` besides `enabled` and `severity`.
    private mutating func parseReconciler(_ node: Node, _ key: String, into t: inout ReconcilerThreshold) {
        for (k, v) in symptomEntries(node, key, enabled: &t.enabled, severity: &t.severity, keepFiringFor: &t.keepFiringForMs) {
            let path = "\(key).\(k)"
            switch k {
            case "interval": if let ms = holdDuration(v, path, minimumMs: 1000) { t.intervalMs = ms }
            case "intervals":
                for (target, d) in mapping(v, path) ?? [] {
                    if let ms = holdDuration(d, "\(path).\(target)", minimumMs: 1000) { t.intervalsMs[target] = ms }
                }
            default: unknown(path)
            }
        }
    }

    /// Reads `enabled`, `severity` and `keep_firing_for` (or a bare true/false) and hands back the other entries.
    private mutating func symptomEntries(_ node: Node, _ key: String, enabled: inout Bool, severity: inout AlertSeverity,
                                         keepFiringFor: inout Int64) -> [(String, Node)] {
        if case .scalar = node, let flag = node.bool {
            enabled = flag
            return []
        }
        guard case .mapping = node else {
            issues.append(.init(key, "must be true, false or a mapping\(at(node))"))
            return []
        }
        var rest: [(String, Node)] = []
        for (k, v) in mapping(node, key) ?? [] {
            switch k {
            case "enabled":
                guard case .scalar = v, let flag = v.bool else {
                    issues.append(.init("\(key).enabled", "must be true or false"))
                    continue
                }
                enabled = flag
            case "severity":
                guard let text = string(v, "\(key).severity") else { continue }
                guard let value = AlertSeverity(rawValue: text) else {
                    issues.append(.init("\(key).severity", "must be page or ticket, got \"\(text)\""))
                    continue
                }
                severity = value
            case "keep_firing_for":
                if let ms = holdDuration(v, "\(key).keep_firing_for", minimumMs: 0) { keepFiringFor = ms }
            default:
                rest.append((k, v))
            }
        }
        return rest
    }

    /// A duration that may be `0s` (fire at once), in whole seconds (Prometheus compares seconds).
    mutating func holdDuration(_ node: Node, _ key: String, minimumMs: Int64) -> Int64? {
        guard let text = string(node, key) else { return nil }
        guard let ms = DurationText.milliseconds(text), ms % 1000 == 0 else {
            issues.append(.init(key, "must be a duration in whole seconds such as 0s, 30s, 15m or 2h, got \"\(text)\""))
            return nil
        }
        guard ms >= minimumMs else {
            issues.append(.init(key, "must be at least \(WindowLabel.prometheus(minimumMs)), got \"\(text)\""))
            return nil
        }
        return ms
    }
}
