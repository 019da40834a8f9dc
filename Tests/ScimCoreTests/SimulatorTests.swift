import ScimCore
import Testing

/// 2026-11-16T00:00:00Z.
private let start: Int64 = 1_794_787_200_000
private let minute: Int64 = 60_000

/// Lines of simulator output, parsed with the production parser.
private struct Parsed {
    var lines: [ArraySlice<UInt8>] = []
    var events: [Event] = []
    var labels = Labels()
    var endsWithNewline = true

    func tenant(_ e: Event) -> String { labels.tenants.values[Int(e.tenant)] }
    func target(_ e: Event) -> String { labels.targets.values[Int(e.target)] }

    /// The `id` value: the simulator writes it last, as `,"id":"..."}`.
    func id(_ index: Int) -> String {
        let line = lines[index]
        let close = line.endIndex - 2
        var open = close - 1
        while line[open] != UInt8(ascii: "\"") { open -= 1 }
        #expect(String(decoding: line[(open - 6)...open], as: UTF8.self) == ",\"id\":\"")
        return String(decoding: line[(open + 1)..<close], as: UTF8.self)
    }

    func text(_ index: Int) -> String { String(decoding: lines[index], as: UTF8.self) }

    /// Share of attempts to `target` with event time in [from, to) whose status satisfies `matches`.
    func share(target name: String, from: Int64, to: Int64, _ matches: (Int16) -> Bool) -> (share: Double, n: Int) {
        var hits = 0
        var n = 0
        for e in events where e.phase == .attempt && e.time >= from && e.time < to && target(e) == name {
            n += 1
            if matches(e.status) { hits += 1 }
        }
        return (n == 0 ? 0 : Double(hits) / Double(n), n)
    }
}

private func parse(_ bytes: [UInt8]) throws -> Parsed {
    var parsed = Parsed()
    let parser = NativeParser()
    var lineStart = 0
    for i in bytes.indices where bytes[i] == UInt8(ascii: "\n") {
        let line = bytes[lineStart..<i]
        try line.withUnsafeBytes { raw in try parser.parse(raw, labels: &parsed.labels, into: &parsed.events) }
        parsed.lines.append(line)
        lineStart = i + 1
    }
    parsed.endsWithNewline = lineStart == bytes.count
    return parsed
}

private func generate(_ scenario: SimulationScenario, until offset: Int64) -> ([UInt8], TrafficSimulator) {
    var sim = TrafficSimulator(scenario: scenario, startTime: start)
    var out: [UInt8] = []
    sim.lines(until: start + offset, into: &out)
    return (out, sim)
}

@Suite("TrafficSimulator")
struct SimulatorTests {
    @Test func sameSeedGivesSameBytesAndOtherSeedsDiffer() {
        let (a, _) = generate(.demo, until: 10 * minute)
        let (b, _) = generate(.demo, until: 10 * minute)
        #expect(a.count > 100_000)
        #expect(a == b)

        var other = SimulationScenario.demo
        other.seed = 43
        let (c, _) = generate(other, until: 10 * minute)
        #expect(c != a)

        var later = TrafficSimulator(scenario: .demo, startTime: start + 1)
        var d: [UInt8] = []
        later.lines(until: start + minute, into: &d)
        #expect(!d.isEmpty && d != Array(a.prefix(d.count)))
    }

    @Test func splittingCallsDoesNotChangeTheOutput() {
        let (whole, wholeSim) = generate(.demo, until: 15 * minute)

        var sim = TrafficSimulator(scenario: .demo, startTime: start)
        var pieces: [UInt8] = []
        var t = start
        while t < start + 15 * minute {
            t = min(t + 7_777, start + 15 * minute)
            sim.lines(until: t, into: &pieces)
        }
        #expect(pieces == whole)
        #expect(sim.totals == wholeSim.totals)

        // appendLines continues the same sequence, in any chunking.
        var counted = TrafficSimulator(scenario: .demo, startTime: start)
        var byCount: [UInt8] = []
        counted.appendLines(count: wholeSim.totals.lines, into: &byCount)
        #expect(byCount == whole)

        var chunked = TrafficSimulator(scenario: .demo, startTime: start)
        var byChunks: [UInt8] = []
        var left = wholeSim.totals.lines
        var size = 1
        while left > 0 {
            let n = min(size, left)
            chunked.appendLines(count: n, into: &byChunks)
            left -= n
            size = size * 3 % 1_001 + 1
        }
        #expect(byChunks == whole)
    }

    @Test func everyLineParsesInTimeOrderWithUniqueIDs() throws {
        let (out, sim) = generate(.demo, until: 30 * minute)
        let parsed = try parse(out)
        #expect(parsed.endsWithNewline)
        #expect(parsed.events.count == parsed.lines.count)
        #expect(parsed.lines.count == sim.totals.lines)
        #expect(parsed.events.first.map { $0.time > start } == true)
        #expect(parsed.events.last.map { $0.time <= start + 30 * minute } == true)
        #expect(sim.currentTime == parsed.events.last?.time)

        var previous = start
        var firstLineOfID: [String: Int] = [:]
        var duplicates = 0
        for (i, event) in parsed.events.enumerated() {
            #expect(event.time >= previous, "line \(i) goes back in time")
            previous = event.time
            #expect(event.idHash != 0)
            let id = parsed.id(i)
            if let first = firstLineOfID[id] {
                duplicates += 1
                #expect(parsed.lines[first] == parsed.lines[i], "a repeated id must repeat the line byte for byte")
            } else {
                firstLineOfID[id] = i
            }
        }
        #expect(duplicates > 0)
        #expect(duplicates == sim.duplicatesWritten)
        #expect(Set(parsed.labels.tenants.values.dropFirst()) == Set(SimulationScenario.tenantNames(count: 4)))
        #expect(Set(parsed.labels.targets.values.dropFirst()) == Set(SimulationScenario.defaultTargets))
    }

    @Test func eachCallCoversItsOwnTimeRangeInOrder() throws {
        var sim = TrafficSimulator(scenario: SimulationScenario(eventsPerSecond: 300, seed: 9), startTime: start)
        var lower = start
        for step in [1, 250, 999, 5_000, 60_000, 3, 120_000] as [Int64] {
            var out: [UInt8] = []
            sim.lines(until: lower + step, into: &out)
            let parsed = try parse(out)
            var previous = lower
            for event in parsed.events {
                #expect(event.time >= previous)
                #expect(event.time <= lower + step)
                previous = event.time
            }
            lower += step
        }
        var none: [UInt8] = []
        sim.lines(until: lower - 10_000, into: &none)
        #expect(none.isEmpty)
    }

    @Test func rateLimitBurstAnswers429AndRetries() throws {
        let scenario = SimulationScenario(
            eventsPerSecond: 200, seed: 5,
            incidents: [.rateLimitBurst(target: "slack", from: .seconds(60), to: .seconds(180))])
        let (out, _) = generate(scenario, until: 4 * minute)
        let parsed = try parse(out)
        let during = parsed.share(target: "slack", from: start + minute, to: start + 3 * minute) { $0 == 429 }
        let before = parsed.share(target: "slack", from: start, to: start + minute) { $0 == 429 }
        let elsewhere = parsed.share(target: "github", from: start + minute, to: start + 3 * minute) { $0 == 429 }
        #expect(during.n > 1_000)
        #expect(during.share > 0.5 && during.share < 0.7)
        #expect(before.share < 0.05)
        #expect(elsewhere.share < 0.05)

        var retries = 0
        for (i, e) in parsed.events.enumerated() where e.phase == .attempt && parsed.target(e) == "slack" {
            if e.status == 429 { #expect(parsed.text(i).contains("\"retry_after_s\":")) }
            if e.attempt >= 2, e.time >= start + minute { retries += 1 }
        }
        #expect(retries > during.n / 3)
    }

    @Test func tokenExpiryAnswers401ToNineInTen() throws {
        let scenario = SimulationScenario(
            eventsPerSecond: 200, seed: 11,
            incidents: [.tokenExpiry(target: "zoom", from: .seconds(60), to: .seconds(180))])
        let (out, _) = generate(scenario, until: 4 * minute)
        let parsed = try parse(out)
        let during = parsed.share(target: "zoom", from: start + minute, to: start + 3 * minute) { $0 == 401 }
        let after = parsed.share(target: "zoom", from: start + 3 * minute, to: start + 4 * minute) { $0 == 401 }
        let elsewhere = parsed.share(target: "jira", from: start + minute, to: start + 3 * minute) { $0 == 401 }
        #expect(during.n > 1_000)
        #expect(during.share > 0.86 && during.share < 0.94)
        #expect(after.share == 0)
        #expect(elsewhere.share == 0)
    }

    @Test func outageFailsWith5xxAndTimeouts() throws {
        let scenario = SimulationScenario(
            eventsPerSecond: 200, seed: 13,
            incidents: [.outage(target: "salesforce", from: .seconds(30), to: .seconds(90))])
        let (out, _) = generate(scenario, until: 2 * minute)
        let parsed = try parse(out)
        let failing = parsed.share(target: "salesforce", from: start + 30_000, to: start + 90_000) {
            $0 == 0 || $0 >= 500
        }
        let timeouts = parsed.share(target: "salesforce", from: start + 30_000, to: start + 90_000) { $0 == 0 }
        #expect(failing.share > 0.85)
        #expect(timeouts.share > 0.2 && timeouts.share < 0.6)
    }

    @Test func demoIncidentsComeEarlyAndRecur() throws {
        #expect(SimulationScenario.demo.tenants == ["tenant-00", "tenant-01", "tenant-02", "tenant-03"])
        let (out, _) = generate(.demo, until: 20 * minute)
        let parsed = try parse(out)
        for cycle in [0, 10] as [Int64] {
            let base = start + cycle * minute
            let burst = parsed.share(target: "slack", from: base + minute, to: base + 2 * minute) { $0 == 429 }
            let quiet = parsed.share(target: "slack", from: base + 3 * minute, to: base + 6 * minute) { $0 == 429 }
            let expiry = parsed.share(target: "zoom", from: base + 2 * minute, to: base + 5 * minute) { $0 == 401 }
            #expect(burst.share > 0.4, "cycle \(cycle)")
            #expect(quiet.share < 0.05, "cycle \(cycle)")
            #expect(expiry.share > 0.8, "cycle \(cycle)")
        }
        let incident = SimulationScenario.Incident.tokenExpiry(
            target: "zoom", from: .seconds(120), to: .seconds(300), repeatEvery: .seconds(600))
        #expect(!incident.isActive(atOffset: 119_999))
        #expect(incident.isActive(atOffset: 120_000))
        #expect(!incident.isActive(atOffset: 300_000))
        #expect(incident.isActive(atOffset: 720_500))
        let once = SimulationScenario.Incident.outage(target: "x", from: .seconds(1), to: .seconds(2))
        #expect(once.isActive(atOffset: 1_500) && !once.isActive(atOffset: 601_500))
    }

    @Test func countersMatchWhatWasWritten() throws {
        let (out, sim) = generate(.demo, until: 20 * minute)
        let parsed = try parse(out)
        var seen = Set<UInt64>()
        var byStatus: [Int: Int] = [:]
        var attempts = 0, retries = 0, requested = 0, succeeded = 0, failed = 0, bulkTotal = 0, bulkFailed = 0
        for e in parsed.events where seen.insert(e.idHash).inserted {
            switch e.phase {
            case .requested: requested += 1
            case .completed: if e.outcome == .success { succeeded += 1 } else { failed += 1 }
            case .attempt:
                let status = try #require(e.countedStatus)
                byStatus[Int(status), default: 0] += 1
                attempts += 1
                if e.attempt >= 2 { retries += 1 }
                if e.bulkTotal >= 0 {
                    bulkTotal += Int(e.bulkTotal)
                    bulkFailed += Int(e.bulkFailed)
                }
            }
        }
        let totals = sim.totals
        #expect(totals.lines == parsed.lines.count)
        #expect(sim.linesWritten == parsed.lines.count)
        #expect(totals.duplicates == parsed.lines.count - seen.count)
        #expect(totals.events == seen.count)
        #expect(totals.attemptsByStatus == byStatus)
        #expect(sim.attempts(status: 429) == byStatus[429, default: 0])
        #expect(totals.attempts == attempts)
        #expect(totals.retries == retries)
        #expect(totals.requested == requested)
        #expect(totals.completedSuccess == succeeded)
        #expect(totals.completedFailure == failed)
        #expect(totals.bulkTotal == bulkTotal && totals.bulkFailed == bulkFailed)
        #expect(bulkTotal > 0 && bulkFailed > 0)
    }

    @Test(arguments: [20.0, 50_000.0])
    func appendLinesWritesExactlyCount(rate: Double) throws {
        var sim = TrafficSimulator(scenario: SimulationScenario(eventsPerSecond: rate, seed: 21), startTime: start)
        var written = 0
        for count in [0, 1, 2, 17, 1_000, 25_000, 3] {
            var out: [UInt8] = []
            sim.appendLines(count: count, into: &out)
            #expect(out.count(where: { $0 == UInt8(ascii: "\n") }) == count)
            #expect(out.last == (count == 0 ? nil : UInt8(ascii: "\n")))
            let parsed = try parse(out)
            #expect(parsed.events.count == count)
            written += count
            #expect(sim.linesWritten == written)
        }
        // Simulated time advances at about the scenario rate; in the first seconds follow-ups (attempts
        // after a request, retries, completions) are still pending, so fewer lines fall in that time.
        let seconds = Double(sim.currentTime - start) / 1000
        let ratio = Double(written) / seconds / rate
        if seconds > 600 {
            #expect(abs(ratio - 1) < 0.1)
        } else {
            #expect(ratio > 0.5 && ratio < 1.1)
        }
    }

    @Test func backgroundTrafficLooksLikeProvisioning() throws {
        let end = start + 120 * minute
        let (out, sim) = generate(SimulationScenario(eventsPerSecond: 20, seed: 3), until: 120 * minute)
        let parsed = try parse(out)
        #expect(abs(Double(sim.totals.lines) / 7_200 / 20 - 1) < 0.05)

        var operations = Set<OperationKind>()
        var durations: [Double] = []
        var withCorrelation = 0
        var deprovisionRequests: [String: Int64] = [:]
        var deprovisionSucceeded = Set<String>()
        for e in parsed.events {
            operations.insert(e.operation)
            if e.correlationID != nil { withCorrelation += 1 }
            if e.phase == .attempt, (200..<300).contains(e.status) { durations.append(e.durationMs) }
            guard e.operation.lifecycleClass == .deprovision, let subject = e.subject else { continue }
            let key = "\(parsed.tenant(e))/\(parsed.target(e))/\(subject)"
            if e.phase == .requested { deprovisionRequests[key] = e.time }
            if e.phase == .attempt, (200..<300).contains(e.status) || (e.status == 404 && e.operation == .delete) {
                deprovisionSucceeded.insert(key)
            }
        }
        #expect(operations.isSuperset(of: [.create, .enable, .update, .disable, .delete, .groupAdd, .groupRemove, .read]))
        #expect(withCorrelation > 0)
        durations.sort()
        let median = durations[durations.count / 2]
        #expect(median > 50 && median < 400)
        #expect(durations[durations.count * 99 / 100] < 10_000)
        let retryShare = Double(sim.totals.retries) / Double(sim.totals.attempts)
        #expect(retryShare > 0.002 && retryShare < 0.05)
        #expect(sim.totals.completedSuccess > 0 && sim.totals.completedFailure > 0)

        // Some deprovisions requested long ago never succeed.
        let old = deprovisionRequests.filter { $0.value < end - 60 * minute }
        let neverDone = old.keys.filter { !deprovisionSucceeded.contains($0) }.count
        let stuckShare = Double(neverDone) / Double(old.count)
        #expect(stuckShare > 0.005 && stuckShare < 0.1)
    }
}
