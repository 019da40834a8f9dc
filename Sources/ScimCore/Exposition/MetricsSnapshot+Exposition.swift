extension MetricsSnapshot {
    /// The whole exposition in `format`: families in a fixed order, series sorted by label values.
    public func render(_ format: ExpositionFormat) -> String {
        var w = ExpositionWriter(format: format)
        writeRequestFamilies(into: &w)
        writeOperationFamilies(into: &w)
        writePollingFamilies(into: &w)
        writeSLOFamilies(into: &w)
        writeSelfFamilies(into: &w)
        writeNotificationFamilies(into: &w)
        writeReportDeliveryFamily(into: &w)
        w.finish()
        return w.text
    }

    private var tenants: [String] { engine.labels.tenants.values }
    private var targets: [String] { engine.labels.targets.values }

    private func operationName(_ key: UInt64) -> String {
        OperationKind(rawValue: SeriesKey.small(key))?.name ?? "unknown"
    }

    private func writeRequestFamilies(into w: inout ExpositionWriter) {
        let requests = engine.requests
        w.family("scim_requests_total", .counter, help: "SCIM attempts by tenant, target, operation and HTTP status (0 = no response).")
        let requestRows = requests.requests.series.map { s in
            ([("tenant", tenants[Int(SeriesKey.tenant(s.key))]), ("target", targets[Int(SeriesKey.target(s.key))]),
              ("operation", operationName(s.key)), ("code", String(SeriesKey.code(s.key)))], s.value)
        }
        for (labels, value) in sortedRows(requestRows) { w.sample("scim_requests_total", labels, Double(value)) }

        w.family("scim_request_duration_seconds", .histogram, help: "Duration of SCIM attempts.")
        let durations = requests.durations
        let durationRows = (0..<durations.index.count).map { i in
            let key = durations.index.keys[i]
            return ([("target", targets[Int(SeriesKey.target(key))]), ("operation", operationName(key))], i)
        }
        for (labels, i) in sortedRows(durationRows) {
            w.histogram("scim_request_duration_seconds", labels, bounds: durations.bounds,
                        cumulative: durations.cumulative(i), sum: durations.sum(i))
        }

        w.family("scim_retries_total", .counter, help: "SCIM attempts that were retries (attempt >= 2).")
        let retryRows = requests.retries.series.map { s in
            ([("tenant", tenants[Int(SeriesKey.tenant(s.key))]), ("target", targets[Int(SeriesKey.target(s.key))]),
              ("operation", operationName(s.key))], s.value)
        }
        for (labels, value) in sortedRows(retryRows) { w.sample("scim_retries_total", labels, Double(value)) }

        w.family("scim_bulk_operations_total", .counter, help: "Operations inside SCIM bulk requests by result.")
        let bulkRows = requests.bulk.series.map { s in
            ([("tenant", tenants[Int(SeriesKey.tenant(s.key))]), ("target", targets[Int(SeriesKey.target(s.key))]),
              ("result", SeriesKey.small(s.key) == 0 ? "succeeded" : "failed")], s.value)
        }
        for (labels, value) in sortedRows(bulkRows) { w.sample("scim_bulk_operations_total", labels, Double(value)) }
    }

    private func writeSelfFamilies(into w: inout ExpositionWriter) {
        w.family("scimwatch_build_info", .gauge, help: "Always 1; the labels say which build is running.")
        w.sample("scimwatch_build_info", [("version", version), ("revision", revision)], 1)

        let names = engine.sourceNames
        let order = names.indices.sorted { names[$0] < names[$1] }
        func perSource(_ name: String, _ type: MetricType, _ help: String, _ value: (Int) -> Double) {
            w.family(name, type, help: help)
            for i in order { w.sample(name, [("source", names[i])], value(i)) }
        }
        let stats = engine.sources
        perSource("scimwatch_log_lines_total", .counter, "Lines read, good or bad.") { Double(stats[$0].lines) }
        perSource("scimwatch_log_bytes_total", .counter, "Bytes read.") { Double(stats[$0].bytes) }
        perSource("scimwatch_events_total", .counter, "Events accepted (parsed and not duplicate).") { Double(stats[$0].events) }

        w.family("scimwatch_log_parse_errors_total", .counter, help: "Lines skipped because they could not be parsed, by reason.")
        for i in order {
            for reason in ParseErrorReason.allCases.sorted(by: { $0.label < $1.label }) {
                let count = stats[i].parseErrors[Int(reason.rawValue)]
                if count > 0 { w.sample("scimwatch_log_parse_errors_total", [("source", names[i]), ("reason", reason.label)], Double(count)) }
            }
        }
        w.family("scimwatch_log_rotations_total", .counter, help: "Log rotations detected, by kind.")
        for i in order {
            for kind in RotationKind.allCases.sorted(by: { $0.label < $1.label }) {
                w.sample("scimwatch_log_rotations_total", [("source", names[i]), ("kind", kind.label)],
                         Double(stats[i].rotations[Int(kind.rawValue)]))
            }
        }
        perSource("scimwatch_log_lag_bytes", .gauge, "Bytes written to the source's files and not yet read.") {
            $0 < lagBytes.count ? Double(lagBytes[$0]) : 0
        }
        perSource("scimwatch_log_files", .gauge, "Files the source is tailing.") {
            $0 < openFiles.count ? Double(openFiles[$0]) : 0
        }
        perSource("scimwatch_log_read_errors_total", .counter, "Failed attempts to open, stat or read a file.") {
            $0 < readErrors.count ? Double(readErrors[$0]) : 0
        }
        perSource("scimwatch_events_duplicate_total", .counter, "Events dropped because their id was seen recently.") {
            Double(stats[$0].duplicates)
        }
        perSource("scimwatch_events_late_total", .counter, "Events older than the retention window.") { Double(stats[$0].late) }

        w.family("scimwatch_label_values_folded_total", .counter, help: "Events whose label value was folded into __other__ by a cap.")
        w.sample("scimwatch_label_values_folded_total", [("label", "target")], Double(engine.labels.targets.foldedCount))
        w.sample("scimwatch_label_values_folded_total", [("label", "tenant")], Double(engine.labels.tenants.foldedCount))

        w.family("scimwatch_store_errors_total", .counter, help: "Failed store operations.")
        for (operation, count) in storeErrors.sorted(by: { $0.key < $1.key }) {
            w.sample("scimwatch_store_errors_total", [("operation", operation)], Double(count))
        }
    }
}
