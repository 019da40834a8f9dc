/// What one successful poll answer says: queue gauges, reconciler runs and connector quarantine.
/// Every value is as the endpoint reported it; ``PollState`` decides what is counted and exposed.
public struct PollReading: Sendable, Equatable {
    /// At most this many queues and this many reconciler targets are kept from one answer (the first
    /// ones), so a misbehaving endpoint cannot blow up the number of series.
    public static let maxEntries = 200

    public var queues: [QueueReading]
    /// Runs by target; a target may appear more than once (Entra: the last and the last successful
    /// execution). The first run listed for a target is its "last run" for the gauges.
    public var runs: [ReconcileRun]
    public var quarantines: [QuarantineReading]

    public init(queues: [QueueReading] = [], runs: [ReconcileRun] = [], quarantines: [QuarantineReading] = []) {
        self.queues = queues
        self.runs = runs
        self.quarantines = quarantines
    }
}

/// One queue's state (`scim_queue_*{queue}`). Optional values are absent from formats that lack them
/// (an Entra escrow backlog has a depth only) and are then not exposed.
public struct QueueReading: Sendable, Equatable {
    public var name: String
    public var depth: Double
    public var inFlight: Double?
    public var oldestAgeSeconds: Double?
    public var deadLetters: Double?
    /// A counter of processed items; its changes mark progress (``PollState``).
    public var processedTotal: Double?

    public init(name: String, depth: Double, inFlight: Double? = nil, oldestAgeSeconds: Double? = nil,
                deadLetters: Double? = nil, processedTotal: Double? = nil) {
        self.name = name
        self.depth = depth
        self.inFlight = inFlight
        self.oldestAgeSeconds = oldestAgeSeconds
        self.deadLetters = deadLetters
        self.processedTotal = processedTotal
    }
}

/// Records that disagree between the IdP and a target after a reconciler run.
public struct DriftCounts: Sendable, Equatable {
    public var missing: Double
    public var orphaned: Double
    public var mismatched: Double

    public init(missing: Double, orphaned: Double, mismatched: Double) {
        self.missing = missing
        self.orphaned = orphaned
        self.mismatched = mismatched
    }
}

/// One reconciler (or Entra provisioning) run of a target.
public struct ReconcileRun: Sendable, Equatable {
    public var target: String
    public var runID: String?
    /// Epoch milliseconds; `nil` when not reported (or an Entra placeholder, meaning never).
    public var startedAt: Int64?
    public var finishedAt: Int64?
    /// The normalised result (see ``normalizedResult(_:)``), the `result` label of the runs counter.
    public var result: String
    public var recordsChecked: Double?
    public var drift: DriftCounts?
    public var intervalSeconds: Double?

    public init(target: String, runID: String? = nil, startedAt: Int64? = nil, finishedAt: Int64? = nil,
                result: String, recordsChecked: Double? = nil, drift: DriftCounts? = nil, intervalSeconds: Double? = nil) {
        self.target = target
        self.runID = runID
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.result = Self.normalizedResult(result)
        self.recordsChecked = recordsChecked
        self.drift = drift
        self.intervalSeconds = intervalSeconds
    }

    /// What identifies the run for counting it once: its id, else its finish time; `nil` (not counted
    /// yet) while it has neither.
    public var key: String? {
        if let runID, !runID.isEmpty { return "id:" + runID }
        if let finishedAt { return "end:" + String(finishedAt) }
        return nil
    }

    /// Whether the run has ended: a finish time, or a result that is not an in-progress one.
    public var isFinished: Bool {
        finishedAt != nil || !Self.inProgressResults.contains(result)
    }

    public var isSuccess: Bool { result == "success" }

    static let inProgressResults: Set<String> = ["running", "in_progress", "started", "pending", "active"]

    /// Result words as label values: lower snake case (`EntryLevelErrors` -> `entry_level_errors`);
    /// `succeeded`/`ok` -> `success`, `failed`/`error` -> `failure`; anything not made of at most 32
    /// letters, digits and `_` -> `other`, so the label stays bounded and valid.
    public static func normalizedResult(_ text: String) -> String {
        var out = ""
        var previousLower = false
        for ch in text {
            if ch.isUppercase, previousLower { out.append("_") }
            previousLower = ch.isLowercase || ch.isNumber
            if ch == "-" || ch == " " { out.append("_"); continue }
            out.append(contentsOf: ch.lowercased())
        }
        switch out {
        case "succeeded", "ok", "success", "successful": return "success"
        case "failed", "failure", "error", "errored": return "failure"
        default: break
        }
        let valid = !out.isEmpty && out.count <= 32
            && out.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        return valid ? out : "other"
    }
}

/// Whether the IdP holds a connector in quarantine (`scim_connector_quarantined{target}`).
public struct QuarantineReading: Sendable, Equatable {
    public var target: String
    public var quarantined: Bool
    /// The IdP's reason, e.g. `EncounteredQuarantineException` (for logs; not a label).
    public var reason: String?

    public init(target: String, quarantined: Bool, reason: String? = nil) {
        self.target = target
        self.quarantined = quarantined
        self.reason = reason
    }
}
