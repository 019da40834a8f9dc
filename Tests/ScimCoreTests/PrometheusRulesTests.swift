import Foundation
import ScimCore
import Testing

@Suite struct PrometheusRulesTests {
    func golden(_ name: String, _ actual: String) throws {
        let path = "/" + #filePath.split(separator: "/").dropLast().joined(separator: "/") + "/Golden/" + name
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(actual == expected, "regenerate with UPDATE_GOLDEN=1 if the change is intended")
    }

    /// Every shape the configuration allows: an explicit policy, a disabled tier, another period,
    /// no low-traffic guard, per-target reconciler intervals, disabled and re-tuned symptoms, and
    /// keep_firing_for changed or off.
    @Test func customRulesMatchTheGoldenFile() throws {
        let day: Int64 = 86_400_000
        var symptoms = SymptomThresholds()
        symptoms.rateLimited.enabled = false
        symptoms.authFailures = ShareThreshold(severity: .ticket, ratio: 0.25, windowMs: 600_000, minRequests: 0, forMs: 120_000)
        symptoms.reconcilerStale.intervalsMs = ["entra \"eu\"": 6 * 3_600_000, "github": 1_800_000]
        symptoms.sourceStalled.forMs = 120_000
        symptoms.pollDown.enabled = false
        symptoms.queueStuck.keepFiringForMs = 0
        symptoms.deprovisionsOverdue.keepFiringForMs = 3_600_000
        let slos = [
            SLODefinition(name: "provision-success", sli: .operationSuccess(classes: [.provision]), objective: 0.99, periodMs: 28 * day,
                          tiers: [BurnRateTier(severity: .page, longWindowMs: 3_600_000, shortWindowMs: 300_000, factor: 10)],
                          minEvents: 0, minBadEvents: 0, keepFiringForMs: [.page: 900_000]),
            SLODefinition(name: "bulk", sli: .bulkSuccess, objective: 0.95, periodMs: 7 * day,
                          tiers: Array(BurnRateTier.defaultPolicy(periodMs: 7 * day).dropFirst()), minEvents: 50, minBadEvents: 5),
            SLODefinition(name: "quiet", sli: .bulkSuccess, objective: 0.9, tiers: []),
        ]
        try golden("rules-custom.yml", PrometheusRules.render(slos: slos, symptoms: symptoms))
    }

    @Test func defaultRulesHaveOneAlertPerSLOAndSeverityAndEverySymptom() {
        let text = PrometheusRules.render(slos: SLODefinition.defaults, symptoms: SymptomThresholds())
        for slo in SLODefinition.defaults {
            #expect(text.contains("  - name: scimwatch-slo-\(slo.name)\n"))
        }
        #expect(text.components(separatedBy: "- alert: SLOBurnRatePage\n").count - 1 == 3)
        #expect(text.components(separatedBy: "- alert: SLOBurnRateTicket\n").count - 1 == 3)
        for window in ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] {
            #expect(text.components(separatedBy: "- record: slo:scim_slo_error:ratio_rate\(window)\n").count - 1 == 3)
        }
        for symptom in Symptom.allCases { #expect(text.contains("- alert: \(symptom.alertName)\n")) }
        // Factors computed for the 30-day period print as the table of slo.md gives them.
        #expect(text.contains("slo:scim_slo_error:ratio_rate1h{slo=\"provision-success\"} / (1 - 0.999) > 14.4\n"))
        #expect(text.contains("slo:scim_slo_error:ratio_rate6h{slo=\"scim-requests\"} / (1 - 0.995) > 6\n"))
        #expect(text.contains("sum by (slo) (increase(scim_slo_bad_events_total{slo=\"deprovision-latency\"}[3d])) >= 2\n"))
        #expect(!text.contains("\t"))
    }

    @Test func nothingToAlertOnGivesAnEmptyGroupList() {
        var symptoms = SymptomThresholds()
        symptoms.authFailures.enabled = false
        symptoms.rateLimited.enabled = false
        symptoms.queueStuck.enabled = false
        symptoms.reconcilerStale.enabled = false
        symptoms.deprovisionsOverdue.enabled = false
        symptoms.sourceStalled.enabled = false
        symptoms.pollDown.enabled = false
        let text = PrometheusRules.render(slos: [], symptoms: symptoms)
        #expect(text.hasSuffix("\ngroups: []\n"))
    }

    @Test func policyAndSymptomsReadAsOneLine() throws {
        let provision = try #require(SLODefinition.defaults.first)
        #expect(provision.summaryText == "operation_success of provision, objective 99.9% over 30d")
        #expect(provision.policyText == "page 1h/5m x14.4, 6h/30m x6; ticket 1d/2h x3, 3d/6h x1; at least 10 events and 2 bad events")
        #expect(SLODefinition.defaults[2].summaryText == "request_success (bad: 5xx 429 401 403 0), objective 99.5% over 30d")
        #expect(SymptomThresholds().summaryText.hasPrefix("auth_failures > 10% over 5m, at least 10 attempts (page), rate_limited > 20%"))
        #expect(WindowLabel.prometheus(1500) == "1500ms" && WindowLabel.prometheus(0) == "0s" && WindowLabel.prometheus(90_000) == "90s")
    }

    @Test func ruleNamesFollowTheConvention() {
        #expect(PrometheusRules.errorRatioRecord(windowMs: 300_000) == "slo:scim_slo_error:ratio_rate5m")
        #expect(PrometheusRules.burnRateAlert(.page) == "SLOBurnRatePage")
        #expect(PrometheusRules.burnRateAlert(.ticket) == "SLOBurnRateTicket")
    }
}
