extension MetricsSnapshot {
    func writeOperationFamilies(into w: inout ExpositionWriter) {
        let e = engine
        let tenants = e.labels.tenants.values
        let targets = e.labels.targets.values
        func className(_ raw: UInt8) -> String { LifecycleClass(rawValue: raw)?.name ?? "unknown" }

        w.family("scim_operations_total", .counter, help: "Resolved operations by tenant, target, lifecycle class and result.")
        let resolvedRows = e.operationsResolved.series.map { s in
            let small = SeriesKey.small(s.key)
            return ([("tenant", tenants[Int(SeriesKey.tenant(s.key))]), ("target", targets[Int(SeriesKey.target(s.key))]),
                     ("class", className(small >> 2)), ("result", OperationResult(rawValue: small & 3)?.label ?? "unknown")], s.value)
        }
        for (labels, value) in sortedRows(resolvedRows) { w.sample("scim_operations_total", labels, Double(value)) }

        w.family("scim_operation_latency_seconds", .histogram, help: "Open to success of succeeded operations.")
        let latency = e.operationLatency
        let latencyRows = (0..<latency.index.count).map { i in
            let key = latency.index.keys[i]
            return ([("target", targets[Int(SeriesKey.target(key))]), ("class", className(SeriesKey.small(key)))], i)
        }
        for (labels, i) in sortedRows(latencyRows) {
            w.histogram("scim_operation_latency_seconds", labels, bounds: latency.bounds,
                        cumulative: latency.cumulative(i), sum: latency.sum(i))
        }

        w.family("scim_operation_latency_window_seconds", .summary,
                 help: "Exact p50, p95 and p99 of succeeded operation latency over the sliding window.")
        for c in LifecycleClass.allCases.sorted(by: { $0.name < $1.name }) where Int(c.rawValue) < e.latencyWindows.count {
            let summary = e.latencyWindows[Int(c.rawValue)]
            for (q, value) in zip(summary.quantiles, summary.values) {
                w.sample("scim_operation_latency_window_seconds", [("class", c.name), ("quantile", ExpositionWriter.format(q))],
                         value ?? .nan)
            }
            w.sample("scim_operation_latency_window_seconds_sum", [("class", c.name)], summary.sumSeconds)
            w.sample("scim_operation_latency_window_seconds_count", [("class", c.name)], Double(summary.count))
        }

        w.family("scim_operations_open", .gauge, help: "Operations opened and not yet resolved.")
        let openRows = e.operationsOpen.series.map { s in
            ([("tenant", tenants[Int(SeriesKey.tenant(s.key))]), ("target", targets[Int(SeriesKey.target(s.key))]),
              ("class", className(SeriesKey.small(s.key)))], s.value)
        }
        for (labels, value) in sortedRows(openRows) { w.sample("scim_operations_open", labels, Double(value)) }

        w.family("scim_operations_open_oldest_age_seconds", .gauge, help: "Age of the oldest open operation of the class.")
        for c in LifecycleClass.allCases.sorted(by: { $0.name < $1.name }) where Int(c.rawValue) < e.oldestOpenAge.count {
            w.sample("scim_operations_open_oldest_age_seconds", [("class", c.name)], e.oldestOpenAge[Int(c.rawValue)] ?? 0)
        }

        w.family("scim_deprovisions_overdue", .gauge, help: "Open deprovisions older than the deprovision latency threshold.")
        let overdueRows = e.deprovisionsOverdue.series.map { s in
            ([("tenant", tenants[Int(SeriesKey.tenant(s.key))]), ("target", targets[Int(SeriesKey.target(s.key))])], s.value)
        }
        for (labels, value) in sortedRows(overdueRows) { w.sample("scim_deprovisions_overdue", labels, Double(value)) }
    }

    func sortedRows<T>(_ rows: [([(String, String)], T)]) -> [([(String, String)], T)] {
        rows.sorted { a, b in
            for (x, y) in zip(a.0, b.0) where x.1 != y.1 { return x.1 < y.1 }
            return false
        }
    }
}
