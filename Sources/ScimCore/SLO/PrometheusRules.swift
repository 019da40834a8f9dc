/// The Prometheus rules equivalent to the embedded evaluator (slo.md, Prometheus rules): per SLO,
/// recording rules of the error ratio over each window its tiers use, computed from
/// `scim_slo_events_total` and `scim_slo_bad_events_total` summed over instances (so a fleet of
/// sidecars is one SLO), one multiwindow multi-burn-rate alert per SLO and severity, and the symptom
/// alerts. Pure: the same input gives the same bytes, which is what `scimwatch rules` prints.
public enum PrometheusRules {
    /// The rule file (YAML) for these SLOs and symptom thresholds.
    public static func render(slos: [SLODefinition], symptoms: SymptomThresholds) -> String {
        var file = RuleFile()
        file.line("# Prometheus recording and alerting rules for scimwatch, written by `scimwatch rules`.")
        file.line("# Generated from the configuration: change the configuration and regenerate instead of editing.")
        var groups = slos.compactMap { slo in sloRules(slo).map { ("scimwatch-slo-\(slo.name)", $0) } }
        let symptomRules = symptomRules(symptoms)
        if !symptomRules.isEmpty { groups.append(("scimwatch-symptoms", symptomRules)) }
        guard !groups.isEmpty else {
            file.line("groups: []")
            return file.text
        }
        file.line("groups:")
        for (name, rules) in groups { file.group(name, rules) }
        return file.text
    }

    /// The recording rule that holds an SLO's error ratio over a window: `slo:scim_slo_error:ratio_rate5m`.
    public static func errorRatioRecord(windowMs: Int64) -> String {
        "slo:scim_slo_error:ratio_rate\(RuleFile.duration(windowMs))"
    }

    /// The alert of one SLO and severity: `SLOBurnRatePage`, `SLOBurnRateTicket`.
    public static func burnRateAlert(_ severity: AlertSeverity) -> String {
        "SLOBurnRate" + severity.rawValue.prefix(1).uppercased() + severity.rawValue.dropFirst()
    }

    /// Recording rules first: rules of a group run in order, so the alerts below read this
    /// evaluation's ratios. Nil for an SLO without tiers (nothing to alert on).
    static func sloRules(_ slo: SLODefinition) -> [PrometheusRule]? {
        guard !slo.tiers.isEmpty else { return nil }
        let selector = "{slo=\(RuleFile.promString(slo.name))}"
        func increase(_ metric: String, _ windowMs: Int64) -> String {
            "sum by (slo) (increase(\(metric)\(selector)[\(RuleFile.duration(windowMs))]))"
        }
        let windows = Set(slo.tiers.flatMap { [$0.longWindowMs, $0.shortWindowMs] }).sorted()
        var rules = windows.map { window in
            // The static slo label repeats the expression's, so the same record name in every SLO's
            // group is not a duplicate rule to promtool.
            PrometheusRule(record: errorRatioRecord(windowMs: window), expr: [
                increase("scim_slo_bad_events_total", window),
                "  / \(increase("scim_slo_events_total", window))",
            ], labels: [("slo", slo.name)])
        }
        let budget = "(1 - \(RuleFile.number(slo.objective)))"
        func burn(_ windowMs: Int64) -> String { "\(errorRatioRecord(windowMs: windowMs))\(selector) / \(budget)" }

        for severity in AlertSeverity.allCases.sorted() {
            let tiers = slo.tiers.filter { $0.severity == severity }
            guard !tiers.isEmpty else { continue }
            var expr: [String] = []
            for (i, tier) in tiers.enumerated() {
                let factor = RuleFile.number(tier.factor)
                if i > 0 { expr.append("or") }
                // The long window leads: an alert's value is the burn rate over the long window of the
                // first tier that fires, which the summary shows.
                expr.append("(")
                expr.append("  \(burn(tier.longWindowMs)) > \(factor)")
                expr.append("  and \(burn(tier.shortWindowMs)) > \(factor)")
                // Low traffic (slo.md): too few events or bad events in the long window never fire.
                if slo.minEvents > 0 {
                    expr.append("  and \(increase("scim_slo_events_total", tier.longWindowMs)) >= \(slo.minEvents)")
                }
                if slo.minBadEvents > 0 {
                    expr.append("  and \(increase("scim_slo_bad_events_total", tier.longWindowMs)) >= \(slo.minBadEvents)")
                }
                expr.append(")")
            }
            rules.append(PrometheusRule(
                alert: burnRateAlert(severity), expr: expr, keepFiringForMs: slo.keepFiringFor(severity),
                labels: [("severity", severity.rawValue), ("slo", slo.name)],
                annotations: [
                    ("summary", "SLO \(slo.name) burns its error budget at {{ $value | printf \"%.1f\" }}x the sustainable rate"),
                    ("description", description(slo, tiers, burn)),
                ]))
        }
        return rules
    }

    /// What the SLO is, the burn rate of every window of this severity at the time of the
    /// notification (queried when the alert fires), and when it fires.
    static func description(_ slo: SLODefinition, _ tiers: [BurnRateTier], _ burn: (Int64) -> String) -> String {
        var windows: [Int64] = []
        for tier in tiers {
            for w in [tier.longWindowMs, tier.shortWindowMs] where !windows.contains(w) { windows.append(w) }
        }
        let rates = windows.map { w in
            "\(RuleFile.duration(w)) {{ with query `\(burn(w))` }}{{ . | first | value | printf \"%.1f\" }}{{ else }}n/a{{ end }}"
        }
        let conditions = tiers.map { t in
            "\(RuleFile.duration(t.longWindowMs)) and \(RuleFile.duration(t.shortWindowMs)) both exceed \(RuleFile.readable(t.factor))"
        }
        var text = "SLO \(slo.name): \(slo.summaryText). Burn rates: \(rates.joined(separator: ", ")). "
        text += "Fires when \(conditions.joined(separator: ", or "))"
        if slo.minEvents > 0 || slo.minBadEvents > 0 {
            text += ", with at least \(slo.minEvents) events and \(slo.minBadEvents) bad events in the long window"
        }
        return text + "."
    }
}
