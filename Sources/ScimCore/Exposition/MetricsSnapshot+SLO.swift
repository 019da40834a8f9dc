extension MetricsSnapshot {
    func writeSLOFamilies(into w: inout ExpositionWriter) {
        let slos = engine.slos.sorted { $0.name < $1.name }
        w.family("scim_slo_objective_ratio", .gauge, help: "The SLO's objective: the share of good events aimed for.")
        for s in slos { w.sample("scim_slo_objective_ratio", [("slo", s.name)], s.objective) }
        w.family("scim_slo_events_total", .counter, help: "Events that count for the SLO.")
        for s in slos { w.sample("scim_slo_events_total", [("slo", s.name)], Double(s.eventsTotal)) }
        w.family("scim_slo_bad_events_total", .counter,
                 help: "Bad events of the SLO (an overdue deprovision counts when it becomes overdue).")
        for s in slos { w.sample("scim_slo_bad_events_total", [("slo", s.name)], Double(s.badTotal)) }
        w.family("scim_slo_sli_ratio", .gauge, help: "Good / total over the window (NaN with no events: no data is not success).")
        for s in slos {
            for window in s.windows { w.sample("scim_slo_sli_ratio", [("slo", s.name), ("window", window.label)], window.sli) }
        }
        w.family("scim_slo_burn_rate", .gauge, help: "(bad / total) / (1 - objective) over the window.")
        for s in slos {
            for window in s.windows { w.sample("scim_slo_burn_rate", [("slo", s.name), ("window", window.label)], window.burnRate) }
        }
        w.family("scim_slo_error_budget_remaining_ratio", .gauge,
                 help: "1 - consumed / allowed over the SLO period; below 0 when overspent.")
        for s in slos { w.sample("scim_slo_error_budget_remaining_ratio", [("slo", s.name)], s.budgetRemaining) }
        w.family("scim_slo_alert_firing", .gauge, help: "1 while the SLO's alert of that severity fires.")
        for s in slos {
            for severity in AlertSeverity.allCases {
                w.sample("scim_slo_alert_firing", [("slo", s.name), ("severity", severity.rawValue)], s.firing.contains(severity) ? 1 : 0)
            }
        }
    }
}
