extension PollDecoder {
    /// Format `entra-sync-job`: a Microsoft Graph `synchronizationJob`. The poller names the target.
    ///
    /// - `status.code` `Quarantine` -> quarantined (any other code -> not quarantined).
    /// - `status.lastExecution` -> a run (`state` as result, keyed by `timeEnded`) and two queues:
    ///   `<target>/escrowed` (depth = `countEscrowed`, the backlog Entra holds back after errors) and
    ///   `<target>/exports` (depth = `countExports` - `countExported`, exports not yet done).
    /// - `status.lastSuccessfulExecution` -> a successful run (its `timeEnded` is the last success).
    /// - Times `0001-01-01T00:00:00Z` are placeholders: never.
    static func decodeEntra(_ document: JSONValue, target: String) throws(PollFailure) -> PollReading {
        guard case .object = document else { throw PollFailure(.wrongType, "the body is not a JSON object") }
        let status = try PollFields(document["status"], path: "status")
        let code = try status.string("code")
        var quarantineReason: String?
        if let quarantine = status.member("quarantine") {
            quarantineReason = try PollFields(quarantine, path: "status.quarantine").optionalString("reason")
        }
        var reading = PollReading()
        reading.quarantines = [QuarantineReading(
            target: target, quarantined: code.lowercased() == "quarantine", reason: quarantineReason)]
        var lastEnded: Int64?
        if let value = status.member("lastExecution") {
            let last = try PollFields(value, path: "status.lastExecution")
            if let escrowed = try last.optionalNumber("countEscrowed") {
                reading.queues.append(QueueReading(name: target + "/escrowed", depth: escrowed))
            }
            if let exports = try last.optionalNumber("countExports"), let exported = try last.optionalNumber("countExported") {
                reading.queues.append(QueueReading(name: target + "/exports", depth: max(0, exports - exported)))
            }
            if let run = try entraRun(last, target: target) {
                lastEnded = run.finishedAt
                reading.runs.append(run)
            }
        }
        if let value = status.member("lastSuccessfulExecution") {
            let success = try PollFields(value, path: "status.lastSuccessfulExecution")
            if var run = try entraRun(success, target: target), run.finishedAt != nil, run.finishedAt != lastEnded {
                run.result = "success"
                reading.runs.append(run)
            }
        }
        return reading
    }

    private static func entraRun(_ execution: PollFields, target: String) throws(PollFailure) -> ReconcileRun? {
        guard let state = try execution.optionalString("state") else { return nil }
        return ReconcileRun(
            target: target, startedAt: try execution.optionalTime("timeBegan"),
            finishedAt: try execution.optionalTime("timeEnded"), result: state)
    }
}
