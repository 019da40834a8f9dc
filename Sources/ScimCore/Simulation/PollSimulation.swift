/// The demo's queue and reconciler endpoints (format `native`), as a pure function of the time, so
/// every answer is deterministic and tests need no server to check it.
///
/// - `provisioning` drains about 5 items a second with a depth that breathes over two minutes; every
///   ten minutes it stalls for two (depth and oldest age climb, `processed_total` stops).
/// - `deprovisioning` is small and steady, with a dead letter now and then.
/// - The reconciler runs every three minutes for `github` and `slack` (40 s and 25 s long); about one
///   run in five fails, and each finds some drift.
public enum PollSimulation {
    static let stallPeriod: Int64 = 600
    static let stallStart: Int64 = 420
    static let stallLength: Int64 = 120
    /// Seconds between reconciler runs.
    public static let reconcileInterval: Int64 = 180

    /// `{"queues": [...]}` at `now` (epoch ms).
    public static func queues(at now: Int64) -> String {
        let t = now / 1000
        let phase = t % stallPeriod
        let stalledFor = max(0, min(phase - stallStart, stallLength))
        let stalledBefore = (t / stallPeriod) * stallLength + stalledFor
        let processed = 5 * (t - stalledBefore)
        let wave = 2 + abs(t % 120 - 60) / 4 // 2...17 and back over two minutes
        let depth = wave + 2 * stalledFor
        let inFlight = stalledFor > 0 ? 0 : 3 + t % 4
        let oldest = Double(depth * 2 + stalledFor * 10) / 10
        let deprovisioningDepth = (t / 7) % 4
        return """
            {"queues": [
              {"name": "provisioning", "depth": \(depth), "in_flight": \(inFlight), "oldest_age_seconds": \(oldest),
               "dead_letters": 0, "processed_total": \(processed)},
              {"name": "deprovisioning", "depth": \(deprovisioningDepth), "in_flight": \(t % 2),
               "oldest_age_seconds": \(deprovisioningDepth * 2), "dead_letters": \((t / 900) % 5), "processed_total": \(t / 2)}
            ]}
            """
    }

    /// `{"targets": [...]}` at `now`: the last finished run of each target.
    public static func reconciler(at now: Int64) -> String {
        let t = now / 1000
        let targets = [("github", Int64(40)), ("slack", Int64(25))].map { target, length -> String in
            var run = t / reconcileInterval
            if t - run * reconcileInterval < length { run -= 1 }
            let started = run * reconcileInterval
            var random = SimRandom(seed: UInt64(bitPattern: run) &* 31 &+ UInt64(length))
            // github's runs always succeed, so a last success is known from the first poll on (the demo's
            // dashboards and report show one); slack fails about one run in five.
            let failed = random.below(5) == 0 && target != "github"
            return """
                {"target": "\(target)", "run_id": "\(target)-\(run)", "started_at": "\(EventTime.format(started * 1000))",
                 "finished_at": "\(EventTime.format((started + length) * 1000))", "result": "\(failed ? "failure" : "success")",
                 "records_checked": \(5000 + random.below(200)),
                 "drift": {"missing": \(random.below(4)), "orphaned": \(random.below(2)), "mismatched": \(random.below(9))},
                 "interval_seconds": \(reconcileInterval)}
                """
        }
        return "{\"targets\": [\n" + targets.joined(separator: ",\n") + "\n]}"
    }
}
