extension PrometheusRules {
    /// The symptom alerts of slo.md from the metrics of metrics.md, in `Symptom.allCases` order.
    static func symptomRules(_ s: SymptomThresholds) -> [PrometheusRule] {
        var rules: [PrometheusRule] = []
        if s.authFailures.enabled {
            rules.append(shareRule(.authFailures, s.authFailures, codes: "401|403",
                summary: "SCIM requests to {{ $labels.target }} (tenant {{ $labels.tenant }}) are refused as unauthorized",
                cause: "answered 401 or 403: the token or client secret has probably expired or lost its permissions"))
        }
        if s.rateLimited.enabled {
            rules.append(shareRule(.rateLimited, s.rateLimited, codes: "429",
                summary: "{{ $labels.target }} (tenant {{ $labels.tenant }}) is rate limiting SCIM requests",
                cause: "answered 429: provisioning slows down; spread the load or ask for a higher limit"))
        }
        if s.queueStuck.enabled {
            let after = RuleFile.duration(s.queueStuck.forMs)
            // Progress, not depth, tells a busy queue from a stuck one; the poller stamps the time
            // `processed_total` last changed. min/max by queue: several sidecars may poll one queue.
            rules.append(PrometheusRule(alert: Symptom.queueStuck.alertName, expr: [
                "min by (queue) (scim_queue_depth) > 0",
                "and on (queue) time() - max by (queue) (scim_queue_progress_timestamp_seconds) > \(s.queueStuck.forMs / 1000)",
            ], keepFiringForMs: s.queueStuck.keepFiringForMs, labels: [("severity", s.queueStuck.severity.rawValue)], annotations: [
                ("summary", "Queue {{ $labels.queue }} is stuck"),
                ("description", "{{ $value | humanize }} items wait in queue {{ $labels.queue }} and none has been processed for \(after) or more."),
            ]))
        }
        if s.reconcilerStale.enabled { rules += reconcilerRules(s.reconcilerStale) }
        if s.deprovisionsOverdue.enabled {
            rules.append(PrometheusRule(alert: Symptom.deprovisionsOverdue.alertName, expr: [
                "sum by (tenant, target) (scim_deprovisions_overdue) > 0",
            ], forMs: s.deprovisionsOverdue.forMs, keepFiringForMs: s.deprovisionsOverdue.keepFiringForMs, labels: [("severity", s.deprovisionsOverdue.severity.rawValue)], annotations: [
                ("summary", "{{ $value | humanize }} deprovisions overdue at {{ $labels.target }} (tenant {{ $labels.tenant }})"),
                ("description", "Users removed in the IdP may still have access to {{ $labels.target }}: their deprovision has been open longer than operations.deprovision_overdue_after. GET /api/v1/operations/overdue lists them."),
            ]))
        }
        if s.sourceStalled.enabled {
            // No byte read while the source has files: the writer stopped, or scimwatch stopped reading
            // (then scimwatch_log_lag_bytes grows). A 5m increase held for the rest of the time, rather
            // than one long increase, so a sidecar that just restarted does not fire at its second scrape.
            let total = s.sourceStalled.forMs
            let window = min(total, 300_000)
            rules.append(PrometheusRule(alert: Symptom.sourceStalled.alertName, expr: [
                "increase(scimwatch_log_bytes_total[\(RuleFile.duration(window))]) == 0 and scimwatch_log_files > 0",
            ], forMs: total - window, keepFiringForMs: s.sourceStalled.keepFiringForMs, labels: [("severity", s.sourceStalled.severity.rawValue)], annotations: [
                ("summary", "Log source {{ $labels.source }} has not grown for \(RuleFile.duration(total))"),
                ("description", "scimwatch read no byte of source {{ $labels.source }} for \(RuleFile.duration(total)) while its files exist: the provisioning system stopped writing, or scimwatch stopped reading (see scimwatch_log_lag_bytes and scimwatch_log_read_errors_total). No data is not success."),
            ]))
        }
        if s.pollDown.enabled {
            rules.append(PrometheusRule(alert: Symptom.pollDown.alertName, expr: [
                "scimwatch_poll_up == 0",
            ], forMs: s.pollDown.forMs, keepFiringForMs: s.pollDown.keepFiringForMs, labels: [("severity", s.pollDown.severity.rawValue)], annotations: [
                ("summary", "Poll endpoint {{ $labels.endpoint }} is down"),
                ("description", "Polls of {{ $labels.endpoint }} have failed for \(RuleFile.duration(s.pollDown.forMs)); its queue, reconciler and quarantine values are withdrawn until it answers (scimwatch_poll_errors_total says why)."),
            ]))
        }
        return rules
    }

    /// The share of attempts with `codes`, per tenant and target (credentials and rate limits belong
    /// to one tenant's connection to one target), with too few attempts never firing.
    static func shareRule(_ symptom: Symptom, _ t: ShareThreshold, codes: String, summary: String, cause: String) -> PrometheusRule {
        let window = RuleFile.duration(t.windowMs)
        let attempts = "sum by (tenant, target) (increase(scim_requests_total[\(window)]))"
        var expr = [
            "sum by (tenant, target) (increase(scim_requests_total{code=~\"\(codes)\"}[\(window)]))",
            "  / \(attempts) > \(RuleFile.number(t.ratio))",
        ]
        if t.minRequests > 0 { expr.append("and \(attempts) >= \(t.minRequests)") }
        let held = t.forMs > 0 ? ", for \(RuleFile.duration(t.forMs))" : ""
        return PrometheusRule(alert: symptom.alertName, expr: expr, forMs: t.forMs, keepFiringForMs: t.keepFiringForMs, labels: [("severity", t.severity.rawValue)], annotations: [
            ("summary", summary),
            ("description", "{{ $value | humanizePercentage }} of attempts over the last \(window) were \(cause) (threshold \(RuleFile.readable(t.ratio * 100))%\(held))."),
        ])
    }

    /// A target is stale after 2 x its interval without a successful run: since its last success, or,
    /// for a reconciler that never succeeded, since its runs were first seen (runs seen 2 x the
    /// interval ago, no success known now). One rule, so targets with their own interval are `or`-ed
    /// in with matchers that keep them out of the default.
    static func reconcilerRules(_ r: ReconcilerThreshold) -> [PrometheusRule] {
        let overrides = r.intervalsMs.keys.sorted()
        let others = overrides.map { "target!=\(RuleFile.promString($0))" }.joined(separator: ",")
        var limits: [(selector: String, seconds: Int64)] = [(others.isEmpty ? "" : "{\(others)}", ReconcilerThreshold.missedRuns * r.intervalMs / 1000)]
        for target in overrides {
            limits.append(("{target=\(RuleFile.promString(target))}", ReconcilerThreshold.missedRuns * r.intervalsMs[target]! / 1000))
        }
        var expr = ["("]
        for (i, limit) in limits.enumerated() {
            expr.append("  \(i > 0 ? "or " : "")time() - max by (target) (scim_reconcile_last_success_timestamp_seconds\(limit.selector)) > \(limit.seconds)")
        }
        expr.append(")")
        expr.append("or")
        expr.append("(")
        for (i, limit) in limits.enumerated() {
            let offset = RuleFile.duration(limit.seconds * 1000)
            expr.append("  \(i > 0 ? "or " : "")count by (target) (scim_reconcile_runs_total\(limit.selector) offset \(offset))")
        }
        expr.append(") unless on (target) count by (target) (scim_reconcile_last_success_timestamp_seconds)")
        let intervals = ([RuleFile.duration(r.intervalMs)] + overrides.map { "\($0) \(RuleFile.duration(r.intervalsMs[$0]!))" })
            .joined(separator: ", ")
        return [PrometheusRule(alert: Symptom.reconcilerStale.alertName, expr: expr, keepFiringForMs: r.keepFiringForMs, labels: [("severity", r.severity.rawValue)], annotations: [
            ("summary", "The reconciler of {{ $labels.target }} has had no successful run for \(ReconcilerThreshold.missedRuns) x its interval"),
            ("description", "No successful reconciler run of {{ $labels.target }} for more than \(ReconcilerThreshold.missedRuns) x its interval (\(intervals)): drift between the IdP and the target goes unnoticed."),
        ])]
    }
}
