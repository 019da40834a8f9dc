/// What polling knows, owned by the single ingest task: per endpoint whether its last poll worked, its
/// error counts and last good reading; per reconciler target the runs counted once each and the last
/// success. Pure: every method that needs time takes `now` (epoch milliseconds).
///
/// Stale values are withdrawn, never frozen: after a failed poll an endpoint's queue, reconciler and
/// quarantine gauges are no longer exposed (`scimwatch_poll_up` 0 and the error counter say why).
/// Counters, seen run keys, last success times and queue progress survive restarts in the checkpoint
/// (``encodedState()``).
public struct PollState: Sendable, Equatable {
    /// One polled endpoint (`pollers[].name`, the `endpoint` label).
    public struct Endpoint: Sendable, Equatable {
        /// Configured in this process: only these expose `scimwatch_poll_up` and a duration. Endpoints
        /// known only from a checkpoint keep their error counters.
        public var registered = false
        /// Whether the last poll gave a reading.
        public var up = false
        /// Seconds the last poll took, good or bad.
        public var lastDuration: Double?
        /// Failed polls by reason.
        public var errors: [PollFailureReason: UInt64] = [:]
        public var lastFailure: PollFailure?
        /// The last good reading and when it was taken (epoch ms); kept for reference after a failure,
        /// but exposed only while ``up``.
        public var lastReading: PollReading?
        public var readAt: Int64?
        /// Per queue of the last reading: `processed_total` and when it last changed.
        public var progress: [String: QueueProgress] = [:]

        public init() {}
    }

    /// When a queue's `processed_total` last moved.
    public struct QueueProgress: Sendable, Equatable {
        public var processedTotal: Double
        /// Epoch ms of the poll that first saw this value (the first sighting counts as a change).
        public var changedAt: Int64

        public init(processedTotal: Double, changedAt: Int64) {
            self.processedTotal = processedTotal
            self.changedAt = changedAt
        }
    }

    /// Runs of one reconciler target.
    public struct TargetRuns: Sendable, Equatable {
        /// `scim_reconcile_runs_total` by result.
        public var counts: [String: UInt64] = [:]
        /// Keys of runs already counted, oldest first, at most ``PollState/seenRunsPerTarget``.
        public var seen: [String] = []
        /// Epoch ms of the latest successful run's end.
        public var lastSuccess: Int64?

        public init() {}
    }

    /// Run keys remembered per target: far more than an endpoint lists at once, so a run still listed
    /// is never counted again.
    public static let seenRunsPerTarget = 64
    /// Distinct results per target; more fold into `other`.
    public static let resultsPerTarget = 16

    public private(set) var endpoints: [String: Endpoint] = [:]
    public private(set) var targets: [String: TargetRuns] = [:]
    /// Distinct targets counted; more fold into `__other__` (the engine's `target_cap`).
    public let targetCap: Int

    public init(targetCap: Int = 100) {
        self.targetCap = targetCap
    }

    /// Declares a configured endpoint, so `scimwatch_poll_up` shows 0 until its first good poll.
    public mutating func register(endpoint: String) {
        endpoints[endpoint, default: Endpoint()].registered = true
    }

    /// Records one poll: a reading or a failure, how long it took, and when it ended.
    public mutating func record(endpoint name: String, result: Result<PollReading, PollFailure>, duration: Duration, now: Int64) {
        var endpoint = endpoints[name] ?? Endpoint()
        let parts = duration.components
        endpoint.lastDuration = ((Double(parts.seconds) + Double(parts.attoseconds) * 1e-18) * 1e6).rounded() / 1e6 // µs
        switch result {
        case .success(let reading):
            endpoint.up = true
            endpoint.lastFailure = nil
            endpoint.lastReading = reading
            endpoint.readAt = now
            var progress: [String: QueueProgress] = [:]
            for queue in reading.queues {
                guard let processed = queue.processedTotal else { continue }
                if let previous = endpoint.progress[queue.name], previous.processedTotal == processed {
                    progress[queue.name] = previous
                } else {
                    progress[queue.name] = QueueProgress(processedTotal: processed, changedAt: now)
                }
            }
            endpoint.progress = progress
            for run in reading.runs { count(run, now: now) }
        case .failure(let failure):
            endpoint.up = false
            endpoint.lastFailure = failure
            endpoint.errors[failure.reason, default: 0] += 1
        }
        endpoints[name] = endpoint
    }

    /// Counts a finished run the first time its key is seen; keeps the latest success time.
    private mutating func count(_ run: ReconcileRun, now: Int64) {
        guard run.isFinished, let key = run.key else { return }
        var name = run.target
        if targets[name] == nil, targets.count >= targetCap { name = LabelTable.other }
        var runs = targets[name] ?? TargetRuns()
        if run.isSuccess {
            let end = run.finishedAt ?? run.startedAt ?? now
            runs.lastSuccess = max(runs.lastSuccess ?? .min, end)
        }
        if !runs.seen.contains(key) {
            runs.seen.append(key)
            if runs.seen.count > Self.seenRunsPerTarget { runs.seen.removeFirst(runs.seen.count - Self.seenRunsPerTarget) }
            var result = run.result
            if runs.counts[result] == nil, runs.counts.count >= Self.resultsPerTarget { result = "other" }
            runs.counts[result, default: 0] += 1
        }
        targets[name] = runs
    }

    /// The readings exposed now: those of endpoints whose last poll worked, by endpoint name.
    public var currentReadings: [(endpoint: String, reading: PollReading)] {
        endpoints.keys.sorted().compactMap { name in
            guard let e = endpoints[name], e.up, let reading = e.lastReading else { return nil }
            return (name, reading)
        }
    }
}

extension PollState {
    static let stateVersion: UInt64 = 1

    /// What must survive a restart, for the checkpoint's `polls` section: error counters, queue
    /// progress, runs counters, seen run keys and last success times. Readings are not kept: after a
    /// restart they are stale until the next poll.
    public func encodedState() -> [UInt8] {
        var w = StateWriter()
        w.write(Self.stateVersion)
        w.write(endpoints.count)
        for name in endpoints.keys.sorted() {
            let e = endpoints[name]!
            w.write(name)
            let reasons = e.errors.keys.sorted()
            w.write(reasons.map(\.label))
            w.write(reasons.map { e.errors[$0]! })
            let queues = e.progress.keys.sorted()
            w.write(queues)
            for q in queues {
                w.write(e.progress[q]!.processedTotal)
                w.write(e.progress[q]!.changedAt)
            }
        }
        w.write(targets.count)
        for name in targets.keys.sorted() {
            let t = targets[name]!
            w.write(name)
            let results = t.counts.keys.sorted()
            w.write(results)
            w.write(results.map { t.counts[$0]! })
            w.write(t.seen)
            w.write(t.lastSuccess ?? .min)
        }
        return w.bytes
    }

    /// Restores what ``encodedState()`` wrote. Restored endpoints are not registered and not up.
    public mutating func restoreState(_ bytes: [UInt8]) throws(StateDecodingError) {
        var r = StateReader(bytes)
        try r.readVersion(Self.stateVersion)
        var endpoints: [String: Endpoint] = [:]
        for _ in 0..<(try r.readInt()) {
            let name = try r.readString()
            let reasons = try r.readStrings()
            let counts = try r.readUInt64s()
            guard reasons.count == counts.count else { throw StateDecodingError() }
            var e = Endpoint()
            for (label, n) in zip(reasons, counts) {
                if let reason = PollFailureReason(rawValue: label) { e.errors[reason] = n }
            }
            for q in try r.readStrings() {
                e.progress[q] = QueueProgress(processedTotal: try r.readDouble(), changedAt: try r.readInt64())
            }
            endpoints[name] = e
        }
        var targets: [String: TargetRuns] = [:]
        for _ in 0..<(try r.readInt()) {
            let name = try r.readString()
            let results = try r.readStrings()
            let counts = try r.readUInt64s()
            guard results.count == counts.count else { throw StateDecodingError() }
            var t = TargetRuns()
            t.counts = Dictionary(zip(results, counts), uniquingKeysWith: +)
            t.seen = try r.readStrings()
            let last = try r.readInt64()
            t.lastSuccess = last == .min ? nil : last
            targets[name] = t
        }
        for (name, registered) in self.endpoints where registered.registered {
            endpoints[name, default: Endpoint()].registered = true
        }
        self.endpoints = endpoints
        self.targets = targets
    }
}
