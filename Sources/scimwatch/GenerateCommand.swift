import ArgumentParser
import Foundation
import ScimApp
import ScimCore

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write simulated native log lines to a file (the load generator for tests and benchmarks).")

    @Option(name: .long, help: "How many lines to write.")
    var lines: Int = 1_000_000

    @Option(name: .long, help: "Seed of the simulation; the same seed and start give the same bytes.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Event time of the first line, RFC 3339.")
    var start: String = "2026-11-16T00:00:00Z"

    @Option(name: .long, help: "Simulated events per second (sets how much event time the lines span).")
    var rate: Double = 200

    @Option(name: .long, help: "Output file (appended to).")
    var out: String

    func run() throws {
        guard let startTime = EventTime.parseRFC3339(start) else { throw ValidationError("--start must be RFC 3339") }
        guard lines >= 0 else { throw ValidationError("--lines must not be negative") }
        let scenario = SimulationScenario(
            eventsPerSecond: rate, seed: seed,
            incidents: [
                .rateLimitBurst(target: "slack", from: .seconds(600), to: .seconds(900), repeatEvery: .seconds(7200)),
                .tokenExpiry(target: "zoom", from: .seconds(1800), to: .seconds(3600), repeatEvery: .seconds(14400)),
            ])
        var simulator = TrafficSimulator(scenario: scenario, startTime: startTime)
        guard let handle = FileHandle(forWritingAtPath: out) ?? {
            FileManager.default.createFile(atPath: out, contents: nil)
            return FileHandle(forWritingAtPath: out)
        }() else { throw ValidationError("cannot write \(out)") }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        var remaining = lines
        var buffer: [UInt8] = []
        while remaining > 0 {
            let chunk = min(remaining, 100_000)
            buffer.removeAll(keepingCapacity: true)
            simulator.appendLines(count: chunk, into: &buffer)
            handle.write(Data(buffer))
            remaining -= chunk
        }
        let totals = simulator.totals
        FileHandle.standardError.write(Data("wrote \(totals.lines) lines (\(totals.duplicates) duplicates, \(totals.attempts) attempts) to \(out)\n".utf8))
    }
}
