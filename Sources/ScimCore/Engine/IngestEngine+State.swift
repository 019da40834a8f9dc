extension IngestEngine {
    static let stateVersion: UInt64 = 1

    /// The engine's counters as bytes, for a checkpoint. The duplicate window is stored separately.
    public func encodedState() -> [UInt8] {
        var w = StateWriter()
        w.write(Self.stateVersion)
        w.write(labels.tenants.values)
        w.write(labels.tenants.foldedCount)
        w.write(labels.targets.values)
        w.write(labels.targets.foldedCount)
        for family in [requests.requests, requests.retries, requests.bulk] {
            w.write(family.series.flatMap { [$0.key, $0.value] })
        }
        w.write(histograms: requests.durations.series)
        w.write(sourceNames.count)
        for (name, stats) in zip(sourceNames, sources) {
            w.write(name)
            w.write([stats.lines, stats.bytes, stats.duplicates, stats.late, stats.events])
            w.write(stats.parseErrors)
            w.write(stats.rotations)
        }
        w.write(latestEventTime)
        w.write(operationMetrics.resolved.series.flatMap { [$0.key, $0.value] })
        w.write(histograms: operationMetrics.latency.series)
        return w.bytes
    }

    /// Restores counters from a checkpoint made by ``encodedState()``.
    public mutating func restoreState(_ bytes: [UInt8]) throws(StateDecodingError) {
        var r = StateReader(bytes)
        try r.readVersion(Self.stateVersion)
        let tenants = try r.readStrings()
        let tenantsFolded = try r.readUInt64()
        let targets = try r.readStrings()
        let targetsFolded = try r.readUInt64()
        guard tenants.first == LabelTable.other, targets.first == LabelTable.other else { throw StateDecodingError() }
        // Restored values keep their ids even beyond a lowered cap, so stored series keys stay valid.
        labels.tenants = LabelTable(cap: max(configuration.tenantCap, tenants.count - 1), restoring: tenants, foldedCount: tenantsFolded)
        labels.targets = LabelTable(cap: max(configuration.targetCap, targets.count - 1), restoring: targets, foldedCount: targetsFolded)
        func pairs(_ flat: [UInt64]) -> [(key: UInt64, value: UInt64)] {
            stride(from: 0, to: flat.count - 1, by: 2).map { (key: flat[$0], value: flat[$0 + 1]) }
        }
        var metrics = RequestMetrics()
        metrics.requests = CounterFamily(series: pairs(try r.readUInt64s()))
        metrics.retries = CounterFamily(series: pairs(try r.readUInt64s()))
        metrics.bulk = CounterFamily(series: pairs(try r.readUInt64s()))
        metrics.durations = HistogramFamily(bounds: RequestMetrics.durationBounds, series: try r.readHistograms())
        requests = metrics
        for _ in 0..<(try r.readInt()) {
            let name = try r.readString()
            let counts = try r.readUInt64s()
            let parseErrors = try r.readUInt64s()
            let rotations = try r.readUInt64s()
            guard counts.count == 5 else { throw StateDecodingError() }
            let index = registerSource(name)
            var stats = SourceStats()
            (stats.lines, stats.bytes, stats.duplicates, stats.late, stats.events) = (counts[0], counts[1], counts[2], counts[3], counts[4])
            for (i, v) in parseErrors.enumerated() where i < stats.parseErrors.count { stats.parseErrors[i] = v }
            for (i, v) in rotations.enumerated() where i < stats.rotations.count { stats.rotations[i] = v }
            sources[index] = stats
        }
        latestEventTime = try r.readInt64()
        operationMetrics.restore(resolved: CounterFamily(series: pairs(try r.readUInt64s())),
                                 latency: HistogramFamily(bounds: OperationMetrics.latencyBounds, series: try r.readHistograms()))
    }

    /// Restores one stored recent id.
    public mutating func restoreRecentID(_ hash: UInt64, time: Int64) {
        duplicates.restore(hash, time: time, latest: latestEventTime)
    }

    /// Called after a checkpoint stored ``DuplicateWindow/unsaved``.
    public mutating func markRecentIDsSaved() { duplicates.markSaved() }
}

extension IngestEngine {
    /// Restores the SLO section of a checkpoint.
    public mutating func restoreSLOState(_ bytes: [UInt8]) throws(StateDecodingError) {
        try slo.restoreState(bytes)
    }

    /// Restores the checkpoint's `hourly` section.
    public mutating func restoreHourly(_ bytes: [UInt8]) throws(StateDecodingError) {
        try hourly.restore(bytes)
    }

    /// Restores the checkpoint's `bad_tally` section.
    public mutating func restoreBadTallies(_ bytes: [UInt8]) throws(StateDecodingError) {
        try slo.restoreTallies(bytes)
    }

    /// Restores the checkpoint's `alert_history` section.
    public mutating func restoreAlertHistory(_ bytes: [UInt8]) throws(StateDecodingError) {
        try slo.history.restore(bytes)
    }
}

extension IngestEngine {
    /// Restores the firing symptom alerts of a checkpoint.
    public mutating func restoreSymptomState(_ bytes: [UInt8]) throws(StateDecodingError) {
        var states = AlertStates()
        try states.restore(bytes)
        symptoms.alerts = states
    }
}

extension StateWriter {
    mutating func write(histograms: [HistogramFamily.Series]) {
        write(histograms.count)
        for h in histograms {
            write(h.key)
            write(h.buckets)
            write(h.sum)
            write(h.count)
        }
    }
}

extension StateReader {
    mutating func readHistograms() throws(StateDecodingError) -> [HistogramFamily.Series] {
        var out: [HistogramFamily.Series] = []
        for _ in 0..<(try readInt()) {
            out.append(HistogramFamily.Series(key: try readUInt64(), buckets: try readUInt64s(), sum: try readDouble(), count: try readUInt64()))
        }
        return out
    }
}
