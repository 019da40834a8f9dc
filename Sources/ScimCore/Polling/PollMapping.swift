/// Format `json`: where each value sits in any JSON answer, as dotted paths (`data.0.pending`). One
/// poller reads at most one queue, one reconciler run and one quarantine flag; the reconciler and
/// quarantine values belong to the poller's `target`.
///
/// A configured path that is absent from an answer fails the poll with `missing_field`; a `null`
/// there means "not reported" for optional values (and `missing_field` for depth, result and the flag).
public struct PollMapping: Sendable, Equatable {
    /// One queue: a constant name and the paths of its values.
    public struct Queue: Sendable, Equatable {
        public var name: String
        public var depth: String
        public var inFlight: String?
        public var oldestAgeSeconds: String?
        public var deadLetters: String?
        public var processedTotal: String?

        public init(name: String, depth: String, inFlight: String? = nil, oldestAgeSeconds: String? = nil,
                    deadLetters: String? = nil, processedTotal: String? = nil) {
            self.name = name
            self.depth = depth
            self.inFlight = inFlight
            self.oldestAgeSeconds = oldestAgeSeconds
            self.deadLetters = deadLetters
            self.processedTotal = processedTotal
        }
    }

    /// The last reconciler run: paths of its values (`result` is required).
    public struct Reconciler: Sendable, Equatable {
        public var result: String
        public var runID: String?
        public var startedAt: String?
        public var finishedAt: String?
        public var recordsChecked: String?
        public var driftMissing: String?
        public var driftOrphaned: String?
        public var driftMismatched: String?
        public var intervalSeconds: String?

        public init(result: String, runID: String? = nil, startedAt: String? = nil, finishedAt: String? = nil,
                    recordsChecked: String? = nil, driftMissing: String? = nil, driftOrphaned: String? = nil,
                    driftMismatched: String? = nil, intervalSeconds: String? = nil) {
            self.result = result
            self.runID = runID
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.recordsChecked = recordsChecked
            self.driftMissing = driftMissing
            self.driftOrphaned = driftOrphaned
            self.driftMismatched = driftMismatched
            self.intervalSeconds = intervalSeconds
        }
    }

    public var queue: Queue?
    public var reconciler: Reconciler?
    /// Path of a quarantine flag (boolean, number, or a word such as `Quarantine`).
    public var quarantined: String?

    public init(queue: Queue? = nil, reconciler: Reconciler? = nil, quarantined: String? = nil) {
        self.queue = queue
        self.reconciler = reconciler
        self.quarantined = quarantined
    }

    /// Reads the mapped values of `document`.
    func read(_ document: JSONValue, target: String?) throws(PollFailure) -> PollReading {
        var reading = PollReading()
        if let q = queue {
            reading.queues.append(QueueReading(
                name: q.name, depth: try required(document, q.depth, PollFields.number),
                inFlight: try optional(document, q.inFlight, PollFields.number),
                oldestAgeSeconds: try optional(document, q.oldestAgeSeconds, PollFields.number),
                deadLetters: try optional(document, q.deadLetters, PollFields.number),
                processedTotal: try optional(document, q.processedTotal, PollFields.number)))
        }
        let target = target ?? "default"
        if let r = reconciler {
            let missing = try optional(document, r.driftMissing, PollFields.number)
            let orphaned = try optional(document, r.driftOrphaned, PollFields.number)
            let mismatched = try optional(document, r.driftMismatched, PollFields.number)
            let drift = (missing == nil && orphaned == nil && mismatched == nil) ? nil
                : DriftCounts(missing: missing ?? 0, orphaned: orphaned ?? 0, mismatched: mismatched ?? 0)
            reading.runs.append(ReconcileRun(
                target: target, runID: try optional(document, r.runID, PollFields.identifier),
                startedAt: try optional(document, r.startedAt, PollFields.time) ?? nil,
                finishedAt: try optional(document, r.finishedAt, PollFields.time) ?? nil,
                result: try required(document, r.result, PollFields.string),
                recordsChecked: try optional(document, r.recordsChecked, PollFields.number), drift: drift,
                intervalSeconds: try optional(document, r.intervalSeconds, PollFields.number)))
        }
        if let path = quarantined {
            reading.quarantines.append(QuarantineReading(target: target, quarantined: try required(document, path, PollFields.flag)))
        }
        return reading
    }

    private func required<T>(
        _ document: JSONValue, _ path: String, _ convert: (JSONValue, String) throws(PollFailure) -> T
    ) throws(PollFailure) -> T {
        guard let value = try optional(document, path, convert) else { throw PollFailure(.missingField, "\(path) is null") }
        return value
    }

    private func optional<T>(
        _ document: JSONValue, _ path: String?, _ convert: (JSONValue, String) throws(PollFailure) -> T
    ) throws(PollFailure) -> T? {
        guard let path else { return nil }
        guard let value = document.value(atPath: path) else { throw PollFailure(.missingField, "\(path) is absent") }
        if value == .null { return nil }
        return try convert(value, path)
    }
}
