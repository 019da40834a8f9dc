import Foundation
import ScimApp
import ScimCore
import Testing

@Suite struct SLOConfigurationTests {
    func issues(_ yaml: String) -> [String] {
        do {
            _ = try ConfigurationLoader.load(yaml: yaml)
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test func withoutSLOsTheBuiltInOnesApply() throws {
        let configuration = try ConfigurationLoader.load(yaml: "listen: 127.0.0.1:9999")
        #expect(configuration.slos == SLODefinition.defaults)
        #expect(configuration.symptoms == SymptomThresholds())
    }

    @Test func aTopLevelPeriodRescalesTheBuiltInSLOs() throws {
        let configuration = try ConfigurationLoader.load(yaml: "period: 28d")
        #expect(configuration.slos.map(\.name) == SLODefinition.defaults.map(\.name))
        #expect(configuration.slos.allSatisfy { $0.periodMs == 28 * 86_400_000 })
        // 2% of 28 days in one hour: 13.44.
        #expect(abs(configuration.slos[0].tiers[0].factor - 13.44) < 1e-9)
    }

    @Test func theExampleOfTheSpecLoads() throws {
        let configuration = try ConfigurationLoader.load(yaml: """
            slos:
              - name: provision-success            # [a-z0-9-]+, unique
                sli: {kind: operation_success, classes: [provision]}
                objective: 0.999
              - name: deprovision-latency
                sli: {kind: operation_latency, classes: [deprovision], threshold: 10m}
                objective: 0.95
              - name: scim-requests
                sli: {kind: request_success, bad: ["5xx", "429", "401", "403", "0"]}
                objective: 0.995
            period: 30d
            """)
        #expect(configuration.slos == SLODefinition.defaults)
    }

    @Test func everySLOOptionLoads() throws {
        let configuration = try ConfigurationLoader.load(yaml: """
            period: 28d
            slos:
              - name: github-provision
                sli: {kind: operation_success}
                objective: 0.99
                period: 7d
                tenants: [acme]
                targets: [github, slack]
                min_events: 50
                min_bad_events: 0
                tiers: {page_fast: false, ticket_slow: false}
              - name: bulk
                sli: {kind: bulk_success}
                objective: 0.9
                tiers:
                  - {severity: page, long: 2h, short: 10m, factor: 8}
                  - {severity: ticket, long: 1d, short: 1h, factor: 1.5}
              - name: budget-only
                sli: {kind: request_success, bad: [5xx]}
                objective: 0.5
                tiers: []
            symptoms:
              auth_failures: {ratio: 0.5, window: 10m, min_requests: 3, for: 1m, severity: ticket}
              rate_limited: false
              queue_stuck: {for: 30m}
              reconciler_stale: {interval: 6h, intervals: {github: 30m}}
              deprovisions_overdue: {for: 0s, severity: page}
              source_stalled: {enabled: false}
              poll_down: {for: 2m}
            """)
        let slos = configuration.slos
        #expect(slos.map(\.name) == ["github-provision", "bulk", "budget-only"])
        let week: Int64 = 7 * 86_400_000
        #expect(slos[0].sli == .operationSuccess(classes: LifecycleClass.allCases))
        #expect(slos[0].periodMs == week && slos[0].tenants == ["acme"] && slos[0].targets == ["github", "slack"])
        #expect(slos[0].minEvents == 50 && slos[0].minBadEvents == 0)
        let defaults = BurnRateTier.defaultPolicy(periodMs: week)
        #expect(slos[0].tiers == [defaults[1], defaults[2]])
        #expect(slos[1].periodMs == 28 * 86_400_000)
        #expect(slos[1].tiers == [BurnRateTier(severity: .page, longWindowMs: 7_200_000, shortWindowMs: 600_000, factor: 8),
                                  BurnRateTier(severity: .ticket, longWindowMs: 86_400_000, shortWindowMs: 3_600_000, factor: 1.5)])
        #expect(slos[2].tiers.isEmpty && slos[2].sli == .requestSuccess(bad: [.hundreds(5)]))
        let s = configuration.symptoms
        #expect(s.authFailures == ShareThreshold(severity: .ticket, ratio: 0.5, windowMs: 600_000, minRequests: 3, forMs: 60_000))
        #expect(!s.rateLimited.enabled && !s.sourceStalled.enabled)
        #expect(s.queueStuck.forMs == 1_800_000 && s.pollDown.forMs == 120_000)
        #expect(s.reconcilerStale.intervalMs == 21_600_000 && s.reconcilerStale.intervalsMs == ["github": 1_800_000])
        #expect(s.deprovisionsOverdue == DurationThreshold(severity: .page, forMs: 0))
    }

    @Test func keepFiringForIsSetPerSLOSeverityAndPerSymptom() throws {
        let configuration = try ConfigurationLoader.load(yaml: """
            slos:
              - {name: both, sli: {kind: bulk_success}, objective: 0.9, keep_firing_for: 0s}
              - {name: split, sli: {kind: bulk_success}, objective: 0.9, keep_firing_for: {ticket: 1h}}
              - {name: default, sli: {kind: bulk_success}, objective: 0.9}
            symptoms:
              auth_failures: {keep_firing_for: 10m}
              queue_stuck: {keep_firing_for: 0s}
              reconciler_stale: {keep_firing_for: 2h}
            """)
        let slos = configuration.slos
        #expect(slos[0].keepFiringFor(.page) == 0 && slos[0].keepFiringFor(.ticket) == 0)
        #expect(slos[1].keepFiringFor(.page) == 300_000 && slos[1].keepFiringFor(.ticket) == 3_600_000)
        #expect(slos[2].keepFiringFor(.page) == AlertHysteresis.defaultMs)
        let s = configuration.symptoms
        #expect(s.keepFiringFor(.authFailures) == 600_000 && s.keepFiringFor(.queueStuck) == 0)
        #expect(s.keepFiringFor(.reconcilerStale) == 7_200_000 && s.keepFiringFor(.pollDown) == 300_000)
    }

    @Test func aBadKeepFiringForIsReportedWithItsKey() {
        let found = issues("""
            slos:
              - {name: a, sli: {kind: bulk_success}, objective: 0.9, keep_firing_for: soon}
              - {name: b, sli: {kind: bulk_success}, objective: 0.9, keep_firing_for: {urgent: 5m, page: 1.5s}}
              - {name: c, sli: {kind: bulk_success}, objective: 0.9, keep_firing_for: [5m]}
            symptoms:
              poll_down: {keep_firing_for: -5m}
            """)
        #expect(found.contains { $0.hasPrefix("slos[0].keep_firing_for: must be a duration in whole seconds") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("slos[1].keep_firing_for.urgent: must be page or ticket") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("slos[1].keep_firing_for.page: must be a duration in whole seconds") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("slos[2].keep_firing_for: must be a duration such as 5m") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("symptoms.poll_down.keep_firing_for: must be a duration") }, "\(found)")
    }

    @Test func everySLOProblemIsReportedWithItsKey() {
        let found = issues("""
            period: 90s
            slos:
              - name: Provision_Success
                sli: {kind: operation_success, classes: [provision, onboarding]}
                objective: 1.2
              - name: latency
                sli: {kind: operation_latency, bad: [5xx]}
                objective: 0.9
              - name: latency
                sli: {kind: magic}
                objective: high
              - name: requests
                sli: {kind: request_success, bad: ["6xx", "429"], threshold: 5m}
                objective: 0.99
                colour: blue
                tiers: {page_fast: false, page_medium: true, ticket_fast: maybe}
              - name: custom
                sli: {kind: bulk_success}
                objective: 0.9
                min_events: -1
                tiers:
                  - {severity: urgent, long: 1h, short: 5m, factor: 2}
                  - {severity: page, long: 5m, short: 1h, factor: 2}
                  - {severity: page, long: 1h, short: 90s, factor: 0}
                  - {severity: ticket, long: 60d, short: 1h, factor: 1}
                  - {severity: ticket, long: 1h}
              - sli: {kind: bulk_success}
                objective: 0.9
              - name: nothing
            symptoms:
              auth_failures: {ratio: 2, window: soon, for: -1m}
              rate_limited: {severity: critical, colour: red}
              queue_stuck: {for: 0s}
              source_stalled: {for: 30s}
              reconciler_stale: {intervals: {github: 1500ms}}
              disk_full: {for: 1m}
            """)
        let expected = [
            "period: must be whole minutes",
            "slos[0].sli.classes[1]: unknown class \"onboarding\"; one of provision, deprovision, update, membership",
            "slos[0].objective: must be a number between 0 and 1",
            "slos[0].name: must match [a-z0-9-]+, got \"Provision_Success\"",
            "slos[1].sli.bad: is not used by kind operation_latency",
            "slos[2].sli.kind: unknown kind \"magic\"",
            "slos[2].objective: must be a number between 0 and 1",
            "slos[3].sli.bad[0]: must be a status such as \"429\"",
            "slos[3].sli.threshold: is not used by kind request_success",
            "slos[3].colour: unknown key",
            "slos[3].tiers.page_medium: unknown tier; one of page_fast, page_slow, ticket_fast, ticket_slow",
            "slos[3].tiers.ticket_fast: must be true or false",
            "slos[4].min_events: must be between 0 and 1000000000, got -1",
            "slos[4].tiers[0].severity: must be page or ticket, got \"urgent\"",
            "slos[4].tiers[1].short: must be shorter than long (5m)",
            "slos[4].tiers[2].short: must be whole minutes",
            "slos[4].tiers[2].factor: must be a number above 0",
            "slos[4].tiers[3].long: must not be longer than the period (30d)",
            "slos[4].tiers[4].short: is required",
            "slos[4].tiers[4].factor: is required",
            "slos[5].name: is required",
            "slos[6].sli: is required",
            "slos[6].objective: is required",
            "symptoms.auth_failures.ratio: must be a share above 0 and at most 1",
            "symptoms.auth_failures.window: must be a duration",
            "symptoms.auth_failures.for: must be a duration in whole seconds",
            "symptoms.rate_limited.severity: must be page or ticket, got \"critical\"",
            "symptoms.rate_limited.colour: unknown key",
            "symptoms.queue_stuck.for: must be at least 1s",
            "symptoms.source_stalled.for: must be at least 1m",
            "symptoms.reconciler_stale.intervals.github: must be a duration in whole seconds",
            "symptoms.disk_full: unknown symptom; one of auth_failures, rate_limited, queue_stuck, reconciler_stale, deprovisions_overdue, source_stalled, poll_down",
        ]
        for e in expected { #expect(found.contains { $0.hasPrefix(e) }, "missing \(e) in\n\(found.joined(separator: "\n"))") }
        #expect(found.contains("slos[2].name: \"latency\" is used by another SLO") == false, "an invalid SLO is not counted twice")
    }

    @Test func aDuplicateNameAndAPeriodTooShortForTheDefaultTiersAreReported() {
        let found = issues("""
            slos:
              - {name: a, sli: {kind: bulk_success}, objective: 0.9}
              - {name: a, sli: {kind: bulk_success}, objective: 0.9, period: 1d}
              - {name: b, sli: {kind: bulk_success}, objective: 0.9, period: 1d, tiers: {ticket_slow: false}}
              - {name: c, sli: {kind: bulk_success}, objective: 0.9, period: 2d, tiers: [{severity: page, long: 1h, short: 5m, factor: 14.4}]}
            """)
        #expect(found.contains("slos[1].name: \"a\" is used by another SLO"), "\(found)")
        #expect(found.contains("slos[1].period: must be at least 3d (the longest window of the default tiers), or set tiers"), "\(found)")
        #expect(!found.contains { $0.hasPrefix("slos[2]") || $0.hasPrefix("slos[3]") }, "\(found)")
        #expect(issues("period: 1d") == ["period: must be at least 3d (the longest window of the default tiers), or set tiers"])
    }
}
