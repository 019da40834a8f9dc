import ScimCore
import Testing

@Suite struct PollSimulationTests {
    let t0: Int64 = 1_795_000_000_000

    @Test func simulatedQueuesDecodeAndProcessedTotalNeverGoesBackwards() throws {
        var previous = -1.0
        var stalled = 0
        for second in stride(from: Int64(0), to: 1200, by: 5) {
            let body = Array(PollSimulation.queues(at: t0 + second * 1000).utf8)
            let reading = try PollDecoder(format: .native).decode(body).get()
            let provisioning = try #require(reading.queues.first { $0.name == "provisioning" })
            let processed = try #require(provisioning.processedTotal)
            #expect(processed >= previous)
            if processed == previous, provisioning.depth > 0 { stalled += 1 }
            previous = processed
        }
        #expect(stalled > 10, "the queue stalls for a while every ten minutes")
    }

    @Test func simulatedReconcilerReportsANewRunEveryInterval() throws {
        var keys: Set<String> = []
        for second in stride(from: Int64(0), to: 1800, by: 30) {
            let body = Array(PollSimulation.reconciler(at: t0 + second * 1000).utf8)
            let reading = try PollDecoder(format: .native).decode(body).get()
            #expect(Set(reading.runs.map(\.target)) == ["github", "slack"])
            for run in reading.runs { keys.insert(run.target + (run.key ?? "")) }
        }
        #expect(keys.count >= 2 * 1800 / Int(PollSimulation.reconcileInterval))
    }
}
