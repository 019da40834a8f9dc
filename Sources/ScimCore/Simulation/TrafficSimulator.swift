/// A deterministic, pure generator of `native` JSON lines (events.md) for a ``SimulationScenario``.
///
/// All randomness comes from a SplitMix64 generator seeded by the scenario; time is simulated (no clock
/// reads). The same scenario and start time always produce the same bytes, however the output is split
/// into calls: `lines(until: t)` once equals any sequence of calls ending at `t`, and
/// `appendLines(count:)` continues the same sequence.
///
/// Lines are written in non-decreasing event time. Every event has a unique `id` (a tag of seed and start
/// time, then a counter), except deliberate duplicates, which repeat the previous line byte for byte.
public struct TrafficSimulator: Sendable {
    /// The scenario being simulated.
    public let scenario: SimulationScenario
    /// The simulated start, epoch milliseconds; incident offsets count from here.
    public let startTime: Int64
    /// What has been written so far.
    public private(set) var totals = SimulationTotals()
    /// Event time (epoch ms) of the last line written; `startTime` before the first.
    public private(set) var currentTime: Int64

    var rng: SimRandom
    var queue = SimPendingQueue()
    /// Time of the next new operation, epoch ms (fractional: high rates put many in one millisecond).
    var arrivalClock: Double
    let meanGapMs: Double
    var nextID: UInt64 = 0
    var pendingDuplicate: [UInt8]?
    var dayNumber: Int64 = .min
    var dayPrefix: [UInt8] = []
    let tenantBytes: [[UInt8]]
    let targetBytes: [[UInt8]]
    let idPrefix: [UInt8]
    let incidents: [SimIncident]
    let medianMs: [Double]
    let maxLineLength: Int

    /// The average number of lines one new operation produces under background traffic (measured), used to
    /// turn `eventsPerSecond` into a rate of new operations.
    static let linesPerOperation = 1.475
    static let idps: [StaticString] = ["okta", "entra", "workday", "onelogin"]

    /// A simulator for `scenario` whose simulated time starts at `startTime` (epoch ms).
    /// The scenario must have at least one tenant and one target.
    public init(scenario: SimulationScenario, startTime: Int64) {
        precondition(!scenario.tenants.isEmpty && !scenario.targets.isEmpty, "a scenario needs tenants and targets")
        self.scenario = scenario
        self.startTime = startTime
        currentTime = startTime
        var seeder = SimRandom(seed: scenario.seed ^ 0x5C1A_57A7_CAFE_F00D)
        rng = SimRandom(seed: seeder.next())
        let rate = scenario.eventsPerSecond.isFinite ? max(scenario.eventsPerSecond, 1e-6) : 1
        meanGapMs = 1000 * Self.linesPerOperation / rate
        arrivalClock = Double(startTime)
        tenantBytes = scenario.tenants.map(SimLineWriter.escaped)
        targetBytes = scenario.targets.map(SimLineWriter.escaped)
        var tagger = SimRandom(seed: scenario.seed ^ UInt64(bitPattern: startTime))
        let tag = tagger.next()
        idPrefix = Array("ev-".utf8) + (0..<8).map { k in
            Array("0123456789abcdef".utf8)[Int((tag >> UInt64(28 - 4 * k)) & 0xF)]
        } + [UInt8(ascii: "-")]
        incidents = scenario.incidents.compactMap { SimIncident($0, targets: scenario.targets) }
        let medians: [Double] = [120, 85, 150, 210, 260, 330, 110, 180]
        medianMs = scenario.targets.indices.map { medians[$0 % medians.count] }
        maxLineLength = 640 + (tenantBytes.map(\.count).max() ?? 0) + (targetBytes.map(\.count).max() ?? 0)
        arrivalClock += rng.exponential(mean: meanGapMs)
    }

    /// Lines written so far, duplicates included.
    public var linesWritten: Int { totals.lines }
    /// Duplicate lines written so far.
    public var duplicatesWritten: Int { totals.duplicates }
    /// Attempts written so far with this HTTP status, duplicates excluded.
    public func attempts(status: Int) -> Int { totals.attempts(status: status) }

    /// Appends the lines of all events with event time in (last time generated, `time`], in time order,
    /// each ending in `"\n"`.
    public mutating func lines(until time: Int64, into out: inout [UInt8]) {
        run(until: time, budget: .max, into: &out)
    }

    /// Appends exactly `count` lines, advancing simulated time at the scenario's rate.
    public mutating func appendLines(count: Int, into out: inout [UInt8]) {
        guard count > 0 else { return }
        out.reserveCapacity(out.count + count * 240)
        run(until: .max, budget: count, into: &out)
    }

    private mutating func run(until time: Int64, budget: Int, into out: inout [UInt8]) {
        var remaining = budget
        if remaining > 0, let duplicate = pendingDuplicate {
            out.append(contentsOf: duplicate)
            pendingDuplicate = nil
            totals.lines += 1
            totals.duplicates += 1
            remaining -= 1
        }
        guard remaining > 0 else { return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxLineLength) { buffer in
            let base = buffer.baseAddress!
            while remaining > 0 {
                let pendingTime = queue.minTime
                let arrivalTime = Int64(arrivalClock)
                let line: SimLine
                if pendingTime <= arrivalTime {
                    guard pendingTime <= time else { break }
                    line = step(queue.pop())
                } else {
                    guard arrivalTime <= time else { break }
                    line = startOperation(at: arrivalTime)
                    arrivalClock += rng.exponential(mean: meanGapMs)
                }
                var writer = SimLineWriter(base)
                write(line, to: &writer)
                let written = UnsafeBufferPointer(start: base, count: writer.count)
                out.append(contentsOf: written)
                remaining -= 1
                if rng.chance(scenario.duplicateShare) {
                    if remaining > 0 {
                        out.append(contentsOf: written)
                        totals.lines += 1
                        totals.duplicates += 1
                        remaining -= 1
                    } else {
                        pendingDuplicate = Array(written)
                    }
                }
            }
        }
    }

    // MARK: - Writing

    private mutating func write(_ l: SimLine, to w: inout SimLineWriter) {
        w.raw("{\"time\":\"")
        let day = l.time.floorDiv(86_400_000)
        if day != dayNumber {
            dayNumber = day
            dayPrefix = Array(EventTime.format(day * 86_400_000).utf8.prefix(11))
        }
        w.bytes(dayPrefix)
        w.timeOfDay(Int(l.time - day * 86_400_000))
        w.raw("\",\"tenant\":\"")
        w.bytes(tenantBytes[l.tenant])
        w.raw("\",\"target\":\"")
        w.bytes(targetBytes[l.target])
        w.raw("\",\"operation\":\"")
        w.raw(l.operation.staticName)
        switch l.phase {
        case .requested: w.raw("\",\"phase\":\"requested\"")
        case .attempt: w.raw("\",\"phase\":\"attempt\"")
        case .completed: w.raw("\",\"phase\":\"completed\"")
        }
        if l.subject != SimPending.noSubject {
            w.raw(",\"subject\":\"u")
            w.padded(Int(l.subject), width: 9)
            w.byte(UInt8(ascii: "\""))
        }
        if l.correlation != 0 {
            w.raw(",\"correlation_id\":\"c-")
            w.hex(l.correlation, digits: 12)
            w.byte(UInt8(ascii: "\""))
        }
        if l.status >= 0 {
            w.raw(",\"status\":")
            w.decimal(l.status)
        }
        if let outcome = l.outcome {
            switch outcome {
            case .success: w.raw(",\"outcome\":\"success\"")
            case .failure: w.raw(",\"outcome\":\"failure\"")
            case .skipped: w.raw(",\"outcome\":\"skipped\"")
            }
        }
        if l.durationMs >= 0 {
            w.raw(",\"duration_ms\":")
            w.decimal(l.durationMs)
        }
        if l.attempt > 0 {
            w.raw(",\"attempt\":")
            w.decimal(l.attempt)
        }
        if l.retryAfterS >= 0 {
            w.raw(",\"retry_after_s\":")
            w.decimal(l.retryAfterS)
        }
        if let code = l.errorCode {
            w.raw(",\"error_code\":\"")
            w.raw(code.text)
            w.byte(UInt8(ascii: "\""))
        }
        if l.bulkTotal >= 0 {
            w.raw(",\"bulk_total\":")
            w.decimal(l.bulkTotal)
            w.raw(",\"bulk_failed\":")
            w.decimal(max(l.bulkFailed, 0))
        }
        if l.idp >= 0 {
            w.raw(",\"idp\":\"")
            w.raw(Self.idps[l.idp])
            w.byte(UInt8(ascii: "\""))
        }
        w.raw(",\"id\":\"")
        w.bytes(idPrefix)
        nextID += 1
        w.decimal(nextID)
        w.raw("\"}\n")

        currentTime = l.time
        totals.lines += 1
        switch l.phase {
        case .requested: totals.requested += 1
        case .attempt:
            totals.countAttempt(status: l.status, attempt: l.attempt)
            if l.bulkTotal >= 0 {
                totals.bulkTotal += l.bulkTotal
                totals.bulkFailed += max(l.bulkFailed, 0)
            }
        case .completed:
            if l.outcome == .success { totals.completedSuccess += 1 } else { totals.completedFailure += 1 }
        }
    }
}
