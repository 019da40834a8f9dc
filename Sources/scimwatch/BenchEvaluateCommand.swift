import ArgumentParser
import Foundation
import ScimCore

/// `scimwatch bench-evaluate`: times one evaluation of many SLOs over a full period of minutes
/// (scripts/bench-evaluate.sh records it in docs/benchmarks.md). Hidden from --help.
struct BenchEvaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-evaluate", abstract: "Time one evaluation of N SLOs over D days of minutes.", shouldDisplay: false)

    @Option var slos: Int = 100
    @Option var days: Int = 30

    func run() throws {
        let definitions = (0..<slos).map { i in
            SLODefinition(name: "slo-\(i)", sli: .requestSuccess(bad: StatusClass.defaultBad), objective: 0.995,
                          periodMs: Int64(days) * 86_400_000)
        }
        var engine = SLOEngine(definitions: definitions)
        var labels = Labels()
        let tenant = labels.tenants.intern("acme")
        let target = labels.targets.intern("github")
        let start: Int64 = 1_794_787_200_000
        let minutes = Int64(days) * 1440
        // Every minute of the period holds events (some bad), so every window sums real minutes.
        for m in 0..<minutes {
            for i in 0..<3 {
                let e = Event(time: start + m * 60_000 + Int64(i), tenant: tenant, target: target, operation: .update,
                              status: (m + Int64(i)) % 97 == 0 ? 503 : 200)
                engine.record(e, countedStatus: e.countedStatus, labels: labels)
            }
        }
        let now = start + minutes * 60_000
        let clock = ContinuousClock()
        let evaluation = clock.measure { _ = engine.evaluate(now: now, labels: labels) }
        let statuses = clock.measure { _ = engine.statuses(now: now) }
        let rss = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("VmHWM") }.map(String.init) ?? "VmHWM: unknown"
        print("\(slos) SLOs over \(days) days (\(minutes) minutes each): evaluate \(evaluation), all windows and budgets \(statuses); \(rss)")
    }
}
