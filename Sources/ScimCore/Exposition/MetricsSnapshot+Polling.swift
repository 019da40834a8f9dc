extension MetricsSnapshot {
    /// The polling families (metrics.md): queue, reconciler and quarantine gauges from the endpoints
    /// whose last poll worked, the runs counter and last success times, and the pollers' own health.
    /// A family with no series is left out. When two endpoints report the same queue or target, the
    /// first endpoint by name wins, so no series is written twice.
    func writePollingFamilies(into w: inout ExpositionWriter) {
        let current = polls.currentReadings

        var queues: [String: (endpoint: String, queue: QueueReading)] = [:]
        var lastRuns: [String: ReconcileRun] = [:]
        var quarantines: [String: QuarantineReading] = [:]
        for (endpoint, reading) in current {
            for q in reading.queues where queues[q.name] == nil { queues[q.name] = (endpoint, q) }
            for run in reading.runs where lastRuns[run.target] == nil && (run.recordsChecked != nil || run.drift != nil) {
                lastRuns[run.target] = run
            }
            for q in reading.quarantines where quarantines[q.target] == nil { quarantines[q.target] = q }
        }
        let queueNames = queues.keys.sorted()
        func queueFamily(_ name: String, _ help: String, _ value: (QueueReading) -> Double?) {
            let rows = queueNames.compactMap { n in value(queues[n]!.queue).map { (n, $0) } }
            guard !rows.isEmpty else { return }
            w.family(name, .gauge, help: help)
            for (queue, v) in rows { w.sample(name, [("queue", queue)], v) }
        }
        queueFamily("scim_queue_depth", "Items waiting in the queue, as last polled.") { $0.depth }
        queueFamily("scim_queue_in_flight", "Items being processed, as last polled.") { $0.inFlight }
        queueFamily("scim_queue_oldest_age_seconds", "Age of the oldest waiting item, as last polled.") { $0.oldestAgeSeconds }
        queueFamily("scim_queue_dead_letters", "Items in the dead-letter queue, as last polled.") { $0.deadLetters }
        queueFamily("scim_queue_progress_timestamp_seconds",
                    "When processed_total last changed (first seen counts as a change); no progress while depth > 0 means stuck.") { q in
            guard let endpoint = queues[q.name]?.endpoint, let p = polls.endpoints[endpoint]?.progress[q.name] else { return nil }
            return Double(p.changedAt) / 1000
        }

        let runTargets = lastRuns.keys.sorted()
        let checked = runTargets.compactMap { t in lastRuns[t]!.recordsChecked.map { (t, $0) } }
        if !checked.isEmpty {
            w.family("scim_reconcile_records_checked", .gauge, help: "Records the last reconciler run checked.")
            for (target, v) in checked { w.sample("scim_reconcile_records_checked", [("target", target)], v) }
        }
        let drifted = runTargets.compactMap { t in lastRuns[t]!.drift.map { (t, $0) } }
        if !drifted.isEmpty {
            w.family("scim_reconcile_drift_records", .gauge, help: "Records out of sync after the last reconciler run, by kind.")
            for (target, d) in drifted {
                for (kind, v) in [("mismatched", d.mismatched), ("missing", d.missing), ("orphaned", d.orphaned)] {
                    w.sample("scim_reconcile_drift_records", [("target", target), ("kind", kind)], v)
                }
            }
        }
        let targets = polls.targets.keys.sorted()
        if polls.targets.values.contains(where: { !$0.counts.isEmpty }) {
            w.family("scim_reconcile_runs_total", .counter, help: "Reconciler runs seen by polling, each counted once, by result.")
            for target in targets {
                let counts = polls.targets[target]!.counts
                for result in counts.keys.sorted() {
                    w.sample("scim_reconcile_runs_total", [("target", target), ("result", result)], Double(counts[result]!))
                }
            }
        }
        let successes = targets.compactMap { t in polls.targets[t]!.lastSuccess.map { (t, $0) } }
        if !successes.isEmpty {
            w.family("scim_reconcile_last_success_timestamp_seconds", .gauge, help: "When the last successful reconciler run ended.")
            for (target, ms) in successes {
                w.sample("scim_reconcile_last_success_timestamp_seconds", [("target", target)], Double(ms) / 1000)
            }
        }
        if !quarantines.isEmpty {
            w.family("scim_connector_quarantined", .gauge, help: "1 while the IdP holds the connector in quarantine.")
            for target in quarantines.keys.sorted() {
                w.sample("scim_connector_quarantined", [("target", target)], quarantines[target]!.quarantined ? 1 : 0)
            }
        }

        let names = polls.endpoints.keys.sorted()
        let registered = names.filter { polls.endpoints[$0]!.registered }
        if !registered.isEmpty {
            w.family("scimwatch_poll_up", .gauge, help: "1 if the endpoint's last poll gave a reading, else 0.")
            for name in registered { w.sample("scimwatch_poll_up", [("endpoint", name)], polls.endpoints[name]!.up ? 1 : 0) }
        }
        let durations = registered.compactMap { n in polls.endpoints[n]!.lastDuration.map { (n, $0) } }
        if !durations.isEmpty {
            w.family("scimwatch_poll_duration_seconds", .gauge, help: "How long the endpoint's last poll took, good or bad.")
            for (name, seconds) in durations { w.sample("scimwatch_poll_duration_seconds", [("endpoint", name)], seconds) }
        }
        if names.contains(where: { !polls.endpoints[$0]!.errors.isEmpty }) {
            w.family("scimwatch_poll_errors_total", .counter, help: "Failed polls by reason.")
            for name in names {
                let errors = polls.endpoints[name]!.errors
                for reason in errors.keys.sorted() {
                    w.sample("scimwatch_poll_errors_total", [("endpoint", name), ("reason", reason.label)], Double(errors[reason]!))
                }
            }
        }
    }
}
