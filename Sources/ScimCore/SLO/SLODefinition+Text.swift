extension SLODefinition {
    /// One line for `check-config` and rule annotations, e.g.
    /// `operation_success of provision, objective 99.9% over 30d`.
    public var summaryText: String {
        var text = "\(sli.text), objective \(RuleFile.readable(objective * 100))% over \(WindowLabel.format(periodMs))"
        if !tenants.isEmpty { text += ", tenants \(tenants.joined(separator: " "))" }
        if !targets.isEmpty { text += ", targets \(targets.joined(separator: " "))" }
        return text
    }

    /// The burn-rate policy in one line, e.g. `page 1h/5m x14.4, 6h/30m x6; ticket 1d/2h x3, 3d/6h x1`.
    public var policyText: String {
        guard !tiers.isEmpty else { return "no burn-rate alerts" }
        let bySeverity = AlertSeverity.allCases.sorted().compactMap { severity -> String? in
            let rows = tiers.filter { $0.severity == severity }
            guard !rows.isEmpty else { return nil }
            return "\(severity.rawValue) " + rows.map(\.text).joined(separator: ", ")
        }
        return bySeverity.joined(separator: "; ") + "; at least \(minEvents) events and \(minBadEvents) bad events"
    }
}

extension SLIKind {
    /// The kind and its parameters as the configuration names them.
    public var text: String {
        switch self {
        case .requestSuccess(let bad):
            "request_success (bad: \(bad.map(\.description).joined(separator: " ")))"
        case .operationSuccess(let classes):
            "operation_success of \(classes.map(\.name).joined(separator: " "))"
        case .operationLatency(let classes, let thresholdMs):
            "operation_latency of \(classes.map(\.name).joined(separator: " ")) within \(RuleFile.duration(thresholdMs))"
        case .bulkSuccess:
            "bulk_success"
        }
    }
}

extension BurnRateTier {
    /// `1h/5m x14.4`: long window, short window, factor.
    public var text: String {
        "\(RuleFile.duration(longWindowMs))/\(RuleFile.duration(shortWindowMs)) x\(RuleFile.readable(factor))"
    }
}

extension SymptomThresholds {
    /// The thresholds in one line for `check-config`, e.g. `auth_failures > 10% over 5m (page), ...`.
    public var summaryText: String {
        func held(_ ms: Int64) -> String { ms > 0 ? " for \(RuleFile.duration(ms))" : "" }
        func share(_ t: ShareThreshold) -> String {
            "> \(RuleFile.readable(t.ratio * 100))% over \(RuleFile.duration(t.windowMs)), at least \(t.minRequests) attempts\(held(t.forMs)) (\(t.severity.rawValue))"
        }
        func after(_ t: DurationThreshold) -> String { (t.forMs > 0 ? "for \(RuleFile.duration(t.forMs)) " : "") + "(\(t.severity.rawValue))" }
        let r = reconcilerStale
        let overrides = r.intervalsMs.keys.sorted().map { " \($0) \(RuleFile.duration(r.intervalsMs[$0]!))" }.joined()
        let parts: [(Symptom, Bool, String)] = [
            (.authFailures, authFailures.enabled, share(authFailures)),
            (.rateLimited, rateLimited.enabled, share(rateLimited)),
            (.queueStuck, queueStuck.enabled, after(queueStuck)),
            (.reconcilerStale, r.enabled, "2 x \(RuleFile.duration(r.intervalMs))\(overrides.isEmpty ? "" : ",\(overrides)") (\(r.severity.rawValue))"),
            (.deprovisionsOverdue, deprovisionsOverdue.enabled, after(deprovisionsOverdue)),
            (.sourceStalled, sourceStalled.enabled, after(sourceStalled)),
            (.pollDown, pollDown.enabled, after(pollDown)),
        ]
        return parts.map { symptom, enabled, text in "\(symptom.configKey) \(enabled ? text : "off")" }.joined(separator: ", ")
    }
}
