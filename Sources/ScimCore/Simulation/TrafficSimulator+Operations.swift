/// How operations unfold: what starts, what follows, and how each attempt is answered.
extension TrafficSimulator {
    static let maxAttempts: UInt8 = 5

    /// Starts a new operation at `t` and returns its first line; follow-ups go to the queue.
    mutating func startOperation(at t: Int64) -> SimLine {
        let tenant = rng.below(tenantBytes.count)
        let target = rng.below(targetBytes.count)
        var op = SimPending(time: t, tenant: Int32(tenant), target: Int32(target), operation: .update)
        let roll = rng.below(100)
        switch roll {
        case 0..<28: // profile updates, some with a correlation id
            op.subject = newSubject()
            if rng.chance(0.3) { op.correlation = newCorrelation() }
            return attempt(op)
        case 28..<50: // membership
            op.operation = roll < 40 ? .groupAdd : roll < 46 ? .groupRemove : .groupUpdate
            op.subject = newSubject()
            return attempt(op)
        case 50..<70: // provision
            op.operation = roll < 66 ? .create : .enable
            return lifecycle(op, requestedShare: 0.6, delayMs: 200 + rng.exponential(mean: 3000))
        case 70..<88: // deprovision
            op.operation = roll < 82 ? .disable : .delete
            var delay = 500 + rng.exponential(mean: 15_000)
            if rng.chance(0.05) { delay += Double(rng.range(60_000, 300_000)) }
            if rng.chance(scenario.stuckDeprovisionShare) { return stuckDeprovision(op) }
            return lifecycle(op, requestedShare: 0.85, delayMs: delay)
        case 88..<92: // bulk requests: request-level only
            op.operation = rng.chance(0.5) ? .create : rng.chance(0.5) ? .update : .groupAdd
            op.bulkTotal = Int32(rng.range(5, 100))
            return attempt(op)
        default: // reads: request SLIs only
            op.operation = .read
            return attempt(op)
        }
    }

    /// A provision or deprovision: maybe `requested` first (then the attempt after `delayMs`), maybe a
    /// `completed` event once it resolves.
    private mutating func lifecycle(_ op: SimPending, requestedShare: Double, delayMs: Double) -> SimLine {
        var op = op
        op.subject = newSubject()
        if rng.chance(0.4) { op.correlation = newCorrelation() }
        op.wantsCompleted = rng.chance(0.5)
        guard rng.chance(requestedShare) else { return attempt(op) }
        let requested = requestedLine(op)
        op.time += Int64(delayMs)
        queue.push(op)
        return requested
    }

    /// A deprovision that never completes: a request, then nothing or a few failing attempts minutes apart.
    private mutating func stuckDeprovision(_ op: SimPending) -> SimLine {
        var op = op
        op.subject = newSubject()
        if rng.chance(0.4) { op.correlation = newCorrelation() }
        let requested = requestedLine(op)
        let failures = rng.below(4)
        if failures > 0 {
            op.stuckAttempts = UInt8(failures)
            op.time += Int64(rng.range(30_000, 300_000))
            queue.push(op)
        }
        return requested
    }

    private mutating func requestedLine(_ op: SimPending) -> SimLine {
        var line = SimLine(
            time: op.time, tenant: Int(op.tenant), target: Int(op.target), operation: op.operation, phase: .requested)
        line.subject = op.subject
        line.correlation = op.correlation
        line.idp = Int(op.tenant) % Self.idps.count
        return line
    }

    /// The line of a queued follow-up.
    mutating func step(_ op: SimPending) -> SimLine {
        switch op.step {
        case .attempt:
            return attempt(op)
        case .completedSuccess, .completedFailure:
            var line = SimLine(
                time: op.time, tenant: Int(op.tenant), target: Int(op.target), operation: op.operation,
                phase: .completed)
            line.subject = op.subject
            line.correlation = op.correlation
            if op.step == .completedSuccess {
                line.outcome = .success
            } else {
                line.outcome = .failure
                line.errorCode = .retriesExhausted
            }
            return line
        }
    }

    /// Answers an attempt at `op.time` and queues what follows: a retry, a `completed` event, or nothing.
    private mutating func attempt(_ op: SimPending) -> SimLine {
        let target = Int(op.target)
        var line = SimLine(time: op.time, tenant: Int(op.tenant), target: target, operation: op.operation, phase: .attempt)
        line.subject = op.subject
        line.correlation = op.correlation
        line.attempt = Int(op.attempt)
        line.bulkTotal = Int(op.bulkTotal)
        if op.stuckAttempts > 0 {
            answerStuck(&line)
        } else {
            answer(&line)
        }
        if line.bulkTotal >= 0 {
            if (200..<300).contains(line.status) {
                line.bulkFailed = rng.chance(0.85) ? 0 : rng.range(1, min(5, line.bulkTotal))
            } else {
                line.bulkFailed = line.bulkTotal
            }
        }

        let status = line.status
        let succeeded = (200..<300).contains(status) || (status == 404 && op.operation == .delete)
        var next = op
        if op.stuckAttempts > 0 {
            if op.stuckAttempts > 1 {
                next.stuckAttempts -= 1
                next.attempt &+= 1
                next.time += Int64(rng.range(120_000, 600_000))
                queue.push(next)
            }
        } else if succeeded {
            if op.wantsCompleted {
                next.step = .completedSuccess
                next.time += Int64(rng.range(5, 500))
                queue.push(next)
            }
        } else if Self.isTerminal(status) || op.attempt >= Self.maxAttempts {
            if op.wantsCompleted {
                next.step = .completedFailure
                next.time += Int64(rng.range(5, 500))
                queue.push(next)
            }
        } else {
            next.attempt += 1
            if line.retryAfterS >= 0 {
                next.time += Int64(line.retryAfterS) * 1000 + Int64(rng.below(1000))
            } else {
                next.time += (Int64(1000) << Int64(op.attempt - 1)) + Int64(rng.below(1000))
            }
            queue.push(next)
        }
        return line
    }

    /// Sets status, duration, `retry_after_s` and `error_code` of an attempt: incidents first, then background.
    private mutating func answer(_ line: inout SimLine) {
        let offset = line.time - startTime
        let median = medianMs[line.target]
        for incident in incidents where incident.target == line.target && incident.isActive(atOffset: offset) {
            guard rng.chance(incident.share) else { break }
            switch incident.kind {
            case .rateLimit:
                fail(&line, status: 429, durationMs: rng.logNormalish(median: median * 0.3, sigma: 0.4))
                line.retryAfterS = rng.range(2, 20)
            case .tokenExpiry:
                fail(&line, status: 401, durationMs: rng.logNormalish(median: median * 0.4, sigma: 0.4))
            case .outage:
                outageFailure(&line, median: median)
            }
            return
        }
        // A healthy background: about 0.2% of attempts fail in ways the default SLOs call bad, well
        // inside their budgets, so that only the incidents burn them fast.
        let u = rng.unit()
        if u < 0.0008 {
            let s = rng.below(4)
            fail(&line, status: s == 0 ? 502 : s == 1 ? 503 : 500, durationMs: rng.logNormalish(median: median, sigma: 0.6))
        } else if u < 0.0012 {
            fail(&line, status: 0, durationMs: Double(30_000 + rng.below(500)))
        } else if u < 0.0020 {
            fail(&line, status: 429, durationMs: rng.logNormalish(median: median * 0.3, sigma: 0.4))
            line.retryAfterS = rng.range(1, 10)
        } else if u < 0.0025 {
            switch line.operation {
            case .create: fail(&line, status: 409, durationMs: duration(median))
            case .delete: line.status = 404; line.durationMs = Int(duration(median))
            default: fail(&line, status: 400, durationMs: duration(median))
            }
        } else if u < 0.0027 {
            fail(&line, status: 403, durationMs: duration(median))
        } else {
            switch line.operation {
            case _ where line.bulkTotal >= 0: line.status = 200
            case .create: line.status = 201
            case .delete, .groupAdd, .groupRemove, .groupUpdate: line.status = rng.chance(0.7) ? 204 : 200
            default: line.status = 200
            }
            var d = duration(median)
            if line.bulkTotal >= 0 || line.operation == .read { d *= line.operation == .read ? 0.5 : 4 }
            line.durationMs = Int(d)
        }
    }

    /// A stuck deprovision's attempt: forbidden, a server error or a timeout.
    private mutating func answerStuck(_ line: inout SimLine) {
        let median = medianMs[line.target]
        switch rng.below(3) {
        case 0: fail(&line, status: 403, durationMs: duration(median))
        case 1: fail(&line, status: 500, durationMs: duration(median))
        default: fail(&line, status: 0, durationMs: Double(30_000 + rng.below(500)))
        }
    }

    private mutating func outageFailure(_ line: inout SimLine, median: Double) {
        let u = rng.unit()
        if u < 0.4 {
            fail(&line, status: 0, durationMs: Double(30_000 + rng.below(500)))
        } else if u < 0.6 {
            fail(&line, status: 504, durationMs: Double(rng.range(10_000, 30_000)))
        } else {
            let status = u < 0.8 ? 503 : u < 0.9 ? 502 : 500
            fail(&line, status: status, durationMs: rng.logNormalish(median: median * 0.5, sigma: 0.5))
        }
    }

    @inline(__always)
    private func fail(_ line: inout SimLine, status: Int, durationMs: Double) {
        line.status = status
        line.durationMs = Int(durationMs)
        line.errorCode = SimErrorCode(status: status)
    }

    /// A realistic duration: log-normal-ish around the target's median, with an occasional slow tail.
    @inline(__always)
    private mutating func duration(_ median: Double) -> Double {
        var d = rng.logNormalish(median: median, sigma: 0.45)
        if rng.chance(0.02) { d *= 3 + 5 * rng.unit() }
        return min(max(d, 3), 29_000)
    }

    /// Statuses that end an operation as failed without retries (events.md defaults; 404 handled by caller).
    @inline(__always)
    static func isTerminal(_ status: Int) -> Bool {
        switch status {
        case 400, 404, 409, 412, 413, 422: true
        default: false
        }
    }

    @inline(__always)
    private mutating func newSubject() -> UInt64 {
        UInt64(rng.below(1_000_000_000))
    }

    @inline(__always)
    private mutating func newCorrelation() -> UInt64 {
        (rng.next() & 0xFFFF_FFFF_FFFF) | 1
    }
}
