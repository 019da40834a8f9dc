import ScimCore
import Yams

extension ConfigurationLoader {
    /// `mapping:` of a json poller: `queue` (a constant `name` and paths), `reconciler` (paths) and
    /// `quarantined` (a path).
    mutating func parsePollMapping(_ node: Node, _ key: String) -> PollMapping? {
        var result = PollMapping()
        for (k, v) in mapping(node, key) ?? [] {
            let path = "\(key).\(k)"
            switch k {
            case "queue":
                let fields = pathFields(v, path, allowed: ["name", "depth", "in_flight", "oldest_age_seconds", "dead_letters", "processed_total"])
                guard let name = fields["name"] else { issues.append(.init("\(path).name", "is required: the queue label")); continue }
                guard let depth = fields["depth"] else { issues.append(.init("\(path).depth", "is required")); continue }
                result.queue = .init(name: name, depth: depth, inFlight: fields["in_flight"], oldestAgeSeconds: fields["oldest_age_seconds"],
                                     deadLetters: fields["dead_letters"], processedTotal: fields["processed_total"])
            case "reconciler":
                let fields = pathFields(v, path, allowed: [
                    "result", "run_id", "started_at", "finished_at", "records_checked", "drift_missing", "drift_orphaned",
                    "drift_mismatched", "interval_seconds",
                ])
                guard let outcome = fields["result"] else { issues.append(.init("\(path).result", "is required")); continue }
                result.reconciler = .init(
                    result: outcome, runID: fields["run_id"], startedAt: fields["started_at"], finishedAt: fields["finished_at"],
                    recordsChecked: fields["records_checked"], driftMissing: fields["drift_missing"],
                    driftOrphaned: fields["drift_orphaned"], driftMismatched: fields["drift_mismatched"],
                    intervalSeconds: fields["interval_seconds"])
            case "quarantined":
                if let text = string(v, path), !text.isEmpty { result.quarantined = text } else { issues.append(.init(path, "must be a dotted path")) }
            default:
                unknown(path)
            }
        }
        if result.queue == nil, result.reconciler == nil, result.quarantined == nil {
            issues.append(.init(key, "must map at least one of queue, reconciler or quarantined"))
        }
        return result
    }

    private mutating func pathFields(_ node: Node, _ key: String, allowed: Set<String>) -> [String: String] {
        var fields: [String: String] = [:]
        for (k, v) in mapping(node, key) ?? [] {
            guard allowed.contains(k) else { unknown("\(key).\(k)"); continue }
            if let text = string(v, "\(key).\(k)"), !text.isEmpty { fields[k] = text } else { issues.append(.init("\(key).\(k)", "must not be empty")) }
        }
        return fields
    }
}
