/// Turns a poll answer's body into a ``PollReading``, or a ``PollFailure`` with the reason. Pure: the
/// same bytes give the same answer. One decoder per poller (`pollers[]`).
public struct PollDecoder: Sendable {
    public var format: PollFormat
    /// The `target` label for `entra-sync-job` and for the reconciler and quarantine values of `json`.
    public var target: String?
    /// The dotted paths of format `json`.
    public var mapping: PollMapping?

    public init(format: PollFormat, target: String? = nil, mapping: PollMapping? = nil) {
        self.format = format
        self.target = target
        self.mapping = mapping
    }

    /// Decodes one answer body.
    public func decode(_ body: [UInt8]) -> Result<PollReading, PollFailure> {
        do throws(PollFailure) {
            let document: JSONValue
            do {
                document = try JSONValue.parse(body)
            } catch {
                throw PollFailure(.invalidJSON, "the body is not JSON (\(error.reason.label))")
            }
            switch format {
            case .native: return .success(try Self.decodeNative(document))
            case .entraSyncJob: return .success(try Self.decodeEntra(document, target: target ?? "entra"))
            case .json:
                guard let mapping else { throw PollFailure(.missingField, "the json format has no mapping") }
                return .success(try mapping.read(document, target: target))
            }
        } catch {
            return .failure(error)
        }
    }

    /// Format `native`: `{"queues": [...]}`, `{"targets": [...]}`, or both keys in one document.
    static func decodeNative(_ document: JSONValue) throws(PollFailure) -> PollReading {
        guard case .object = document else { throw PollFailure(.wrongType, "the body is not a JSON object") }
        let queuesValue = document["queues"].flatMap { $0 == .null ? nil : $0 }
        let targetsValue = document["targets"].flatMap { $0 == .null ? nil : $0 }
        guard queuesValue != nil || targetsValue != nil else {
            throw PollFailure(.missingField, "neither queues nor targets is present")
        }
        var reading = PollReading()
        if let queuesValue {
            for (i, item) in try PollFields.array(queuesValue, "queues").enumerated() {
                let q = try PollFields(item, path: "queues[\(i)]")
                reading.queues.append(QueueReading(
                    name: try q.string("name"), depth: try q.number("depth"), inFlight: try q.number("in_flight"),
                    oldestAgeSeconds: try q.number("oldest_age_seconds"), deadLetters: try q.number("dead_letters"),
                    processedTotal: try q.optionalNumber("processed_total")))
            }
        }
        if let targetsValue {
            for (i, item) in try PollFields.array(targetsValue, "targets").enumerated() {
                let t = try PollFields(item, path: "targets[\(i)]")
                let drift = try PollFields(t.member("drift"), path: t.name("drift"))
                reading.runs.append(ReconcileRun(
                    target: try t.string("target"), runID: try t.optionalIdentifier("run_id"),
                    startedAt: try t.optionalTime("started_at"), finishedAt: try t.optionalTime("finished_at"),
                    result: try t.string("result"), recordsChecked: try t.number("records_checked"),
                    drift: DriftCounts(missing: try drift.number("missing"), orphaned: try drift.number("orphaned"),
                                       mismatched: try drift.number("mismatched")),
                    intervalSeconds: try t.optionalNumber("interval_seconds")))
            }
        }
        return reading
    }
}
