@testable import ScimCore
import Testing

/// One test per rule of the operation model (events.md), on the pure correlator.
@Suite struct OperationCorrelatorTests {
    var labels = Labels()
    var correlator = OperationCorrelator()
    var out: [OperationTransition] = []

    let minute: Int64 = 60_000

    mutating func event(_ op: OperationKind, _ phase: Phase, at minutes: Int64, status: Int16 = -1,
                        outcome: Outcome? = nil, subject: String? = "u1", correlation: String? = nil,
                        target: String = "github") -> Event {
        Event(time: minutes * minute, tenant: labels.tenants.intern("acme"), target: labels.targets.intern(target),
              operation: op, phase: phase, status: status, outcome: outcome, subject: subject, correlationID: correlation)
    }

    mutating func apply(_ e: Event) -> [OperationTransition] {
        out.removeAll()
        correlator.apply(e, into: &out)
        return out
    }

    func results(_ ts: [OperationTransition]) -> [(OperationResult, Int64)] {
        ts.compactMap { if case .resolved(_, let r, _, let latency, _) = $0 { (r, latency) } else { nil } }
    }

    @Test mutating func requestedOpensAndASuccessfulAttemptResolvesWithTheLatency() {
        #expect(apply(event(.disable, .requested, at: 0)).isEmpty) // opening is no transition
        #expect(correlator.open.count == 1)
        let r = results(apply(event(.disable, .attempt, at: 7, status: 204)))
        #expect(r.map(\.0) == [.succeeded] && r.map(\.1) == [7 * minute])
        #expect(correlator.open.isEmpty)
    }

    @Test mutating func theFirstAttemptOpensWhenNoRequestWasSeen() {
        #expect(results(apply(event(.create, .attempt, at: 1, status: 500))).isEmpty)
        #expect(correlator.open.values.first?.requested == false)
        let r = results(apply(event(.create, .attempt, at: 4, status: 201)))
        #expect(r.map(\.1) == [3 * minute])
    }

    @Test mutating func aRetryableFailureLeavesItOpenAndCountsAttempts() {
        _ = apply(event(.create, .requested, at: 0))
        _ = apply(event(.create, .attempt, at: 1, status: 429))
        _ = apply(event(.create, .attempt, at: 2, status: 503))
        _ = apply(event(.create, .attempt, at: 3, status: 0))
        let op = correlator.open.values.first
        #expect(op?.attempts == 3 && op?.lastStatus == 0)
    }

    @Test(arguments: [Int16(400), 404, 409, 412, 413, 422])
    mutating func aTerminalStatusResolvesAsFailed(status: Int16) {
        _ = apply(event(.update, .requested, at: 0))
        #expect(results(apply(event(.update, .attempt, at: 1, status: status))).map(\.0) == [.failed])
    }

    @Test mutating func notFoundOnDeleteIsSuccess() {
        _ = apply(event(.delete, .requested, at: 0))
        #expect(results(apply(event(.delete, .attempt, at: 2, status: 404))).map(\.0) == [.succeeded])
    }

    @Test mutating func anOutcomeWithoutStatusDecides() {
        _ = apply(event(.enable, .requested, at: 0))
        #expect(results(apply(event(.enable, .attempt, at: 1, outcome: .failure))).isEmpty)
        #expect(results(apply(event(.enable, .attempt, at: 2, outcome: .success))).map(\.0) == [.succeeded])
        _ = apply(event(.disable, .requested, at: 3, subject: "u2"))
        #expect(results(apply(event(.disable, .attempt, at: 4, outcome: .skipped, subject: "u2"))).isEmpty)
        #expect(correlator.open.count == 1)
    }

    @Test mutating func completedGivesTheFinalResult() {
        _ = apply(event(.create, .requested, at: 0))
        _ = apply(event(.create, .attempt, at: 1, status: 503))
        #expect(results(apply(event(.create, .completed, at: 9, outcome: .failure))).map(\.0) == [.failed])
        _ = apply(event(.create, .requested, at: 10, subject: "u2"))
        #expect(results(apply(event(.create, .completed, at: 12, outcome: .success, subject: "u2"))).map(\.1) == [2 * minute])
    }

    /// A `completed` logged after the attempt that resolved its operation says nothing new. Here each
    /// arrives 200 resolutions later, among 20,000 operations: a cache of recent resolutions that kept
    /// one entry per slot (direct-mapped) lost about 4% of them to collisions and counted those twice.
    @Test mutating func aCompletedAfterItsResolutionIsNotCountedAgainAmongManyOperations() {
        var resolved = 0
        let lag = 200
        for i in 0..<20_000 + lag {
            if i < 20_000 { resolved += results(apply(event(.update, .attempt, at: Int64(i / 100), status: 200, subject: "u\(i)"))).count }
            if i >= lag { resolved += results(apply(event(.update, .completed, at: Int64(i / 100), outcome: .success, subject: "u\(i - lag)"))).count }
        }
        #expect(resolved == 20_000)
    }

    @Test mutating func theKeyIsTenantTargetClassAndCorrelationIDOrSubject() {
        _ = apply(event(.disable, .requested, at: 0))
        _ = apply(event(.disable, .requested, at: 0, target: "slack"))
        _ = apply(event(.create, .requested, at: 0))
        _ = apply(event(.disable, .requested, at: 0, correlation: "c-1"))
        #expect(correlator.open.count == 4)
        // `delete` is the same class as `disable`: it resolves the github deprovision of u1.
        #expect(results(apply(event(.delete, .attempt, at: 1, status: 204))).count == 1)
        // The correlation id wins over the subject.
        #expect(results(apply(event(.disable, .attempt, at: 2, status: 204, subject: "someone-else", correlation: "c-1"))).count == 1)
    }

    @Test mutating func anEventWithoutSubjectOrCorrelationIsNotAnOperation() {
        #expect(apply(event(.create, .attempt, at: 0, status: 500, subject: nil)).isEmpty)
        #expect(apply(event(.read, .attempt, at: 0, status: 200)).isEmpty)
        #expect(correlator.open.isEmpty)
    }

    @Test mutating func anAttemptLoggedBeforeItsRequestKeepsTheEarlierOpenTime() {
        _ = apply(event(.disable, .attempt, at: 5, status: 503))
        _ = apply(event(.disable, .requested, at: 2))
        let r = results(apply(event(.disable, .attempt, at: 8, status: 204)))
        #expect(r.map(\.1) == [6 * minute])
        #expect(correlator.open.isEmpty)
    }

    @Test mutating func aRequestLoggedAfterItsResolutionDoesNotReopen() {
        _ = apply(event(.disable, .attempt, at: 5, status: 204))
        _ = apply(event(.disable, .requested, at: 3))
        #expect(correlator.open.isEmpty)
    }

    @Test mutating func aDuplicateRequestDoesNotOpenTwice() {
        _ = apply(event(.disable, .requested, at: 0))
        _ = apply(event(.disable, .requested, at: 1))
        #expect(correlator.open.count == 1)
        #expect(correlator.open.values.first?.openedAt == 0)
    }

    @Test mutating func anOperationOpenPastTheTimeoutExpires() {
        _ = apply(event(.create, .requested, at: 0))
        out.removeAll()
        correlator.advance(to: 23 * 60 * minute, into: &out)
        #expect(results(out).isEmpty)
        correlator.advance(to: 24 * 60 * minute, into: &out)
        #expect(results(out).map(\.0) == [.expired])
        #expect(correlator.open.isEmpty)
    }

    @Test mutating func aDeprovisionBecomesOverdueOnceAtTheThreshold() {
        _ = apply(event(.delete, .requested, at: 0))
        _ = apply(event(.create, .requested, at: 0, subject: "u9"))
        out.removeAll()
        correlator.advance(to: 9 * minute, into: &out)
        #expect(out.isEmpty)
        correlator.advance(to: 10 * minute, into: &out)
        correlator.advance(to: 11 * minute, into: &out)
        #expect(out.count == 1)
        if case .overdue(let op, let time)? = out.first {
            #expect(correlator.subject(of: op) == "u1" && time == 10 * minute)
        } else {
            Issue.record("no overdue transition")
        }
        #expect(correlator.overdueOperations(limit: 10).map(\.subject) == ["u1"])
        _ = apply(event(.delete, .attempt, at: 12, status: 204))
        #expect(correlator.overdueOperations(limit: 10).isEmpty)
    }

    @Test mutating func subjectsStayWithTheirOperationsWhileSlotsAreReused() {
        // Subjects are kept apart from the operations, in slots that resolutions free for later ones.
        var expected: [String: Bool] = [:]
        for round in 0..<5 {
            for n in 0..<20 {
                let subject = "u\(round)-\(n)"
                _ = apply(event(.disable, .requested, at: Int64(round), subject: subject))
                expected[subject] = true
            }
            for n in stride(from: 0, to: 20, by: 3) {
                let subject = "u\(round)-\(n)"
                let resolved = apply(event(.disable, .attempt, at: Int64(round), status: 200, subject: subject))
                guard case .resolved(let op, .succeeded, _, _, true)? = resolved.first else {
                    Issue.record("\(subject) did not resolve")
                    continue
                }
                #expect(correlator.subject(of: op) == subject, "a transition's subject is readable until the next event")
                expected[subject] = false
            }
        }
        let open = correlator.open
        #expect(Set(open.values.map(\.subject)) == Set(expected.filter(\.value).keys))
        #expect(open.count == expected.values.filter { $0 }.count)
    }

    @Test mutating func openOperationsSurviveEncodingWithTheirAge() throws {
        _ = apply(event(.delete, .requested, at: 3))
        _ = apply(event(.delete, .attempt, at: 4, status: 500))
        let key = try #require(correlator.open.keys.first)
        let op = try #require(correlator.open[key])
        var restored = OperationCorrelator()
        restored.restore(try OperationCorrelator.decode(OperationCorrelator.encode(op)), key: key)
        #expect(restored.open[key] == op)
        #expect(restored.oldestOpenTime(of: .deprovision) == 3 * minute)
        var transitions: [OperationTransition] = []
        restored.advance(to: 13 * minute, into: &transitions)
        #expect(transitions.count == 1)
    }

    @Test mutating func queuesMadeAgainBehindLongOpenOperationsStillExpireAndMarkOverdueInOrder() {
        // A few deprovisions stay open while thousands of operations open and resolve behind them: the
        // stale queue entries are dropped by rebuilds (allowed 64 here), and the long-open ones still
        // become overdue and expire at their own times.
        correlator.staleEntriesAllowed = 64
        for k in 0..<5 { _ = apply(event(.delete, .requested, at: Int64(k), subject: "stuck\(k)")) }
        for k in 0..<3000 {
            let subject = "u\(k)"
            _ = apply(event(k % 2 == 0 ? .delete : .create, .requested, at: 5, subject: subject))
            _ = apply(event(k % 2 == 0 ? .delete : .create, .attempt, at: 6, status: 204, subject: subject))
            #expect(correlator.queuedEntries <= 3 * (correlator.open.count + 1) + 64)
        }
        #expect(correlator.open.count == 5)
        #expect(correlator.oldestOpenTime(of: .deprovision) == 0)
        out.removeAll()
        correlator.advance(to: 12 * minute, into: &out) // overdue at 10 minutes: the three opened at 0, 1, 2
        #expect(out.map { if case .overdue(_, let t) = $0 { t } else { -1 } } == [10, 11, 12].map { $0 * minute })
        out.removeAll()
        correlator.advance(to: 24 * 60 * minute + 3 * minute, into: &out) // 24 h: the four opened at 0 to 3 expire
        #expect(results(out).map(\.0) == [.expired, .expired, .expired, .expired])
        #expect(correlator.oldestOpenTime(of: .deprovision) == 4 * minute)
    }

    @Test mutating func theOverdueSummaryEqualsOneMadeFromTheSortedOverdueList() {
        // Deprovisions on three targets open at a few shared minutes (ties, ordered by subject), some
        // resolve after becoming overdue (stale heap entries), some get an earlier attempt logged late
        // (their open time moves): the kept summary must equal one computed from the full list.
        var random = SplitMix(seed: 11)
        let targets = ["github", "slack", "jira"]
        var time: Int64 = 0
        for step in 0..<3000 {
            time += Int64(random.next() % 2)
            let subject = "u\(random.next() % 400)"
            let target = targets[Int(random.next() % 3)]
            switch random.next() % 10 {
            case 0..<5: _ = apply(event(.delete, .requested, at: time, subject: subject, target: target))
            case 5..<8: _ = apply(event(.delete, .attempt, at: time, status: 204, subject: subject, target: target))
            default: _ = apply(event(.delete, .attempt, at: max(0, time - 30), status: 500, subject: subject, target: target))
            }
            out.removeAll()
            correlator.advance(to: time * minute, into: &out)
            if step % 50 == 0 {
                // The reference: every open operation marked overdue, sorted here.
                let all = correlator.open.values.filter(\.overdue)
                    .sorted { ($0.openedAt, $0.subject, $0.tenant, $0.target) < ($1.openedAt, $1.subject, $1.tenant, $1.target) }
                let reference = OverdueSummary(all)
                #expect(correlator.overdueSummary() == reference)
                #expect(correlator.overdueCount == reference.count)
                // A limited list is the full list's start, whatever tie the limit cuts through.
                for limit in [1, 7, 50, all.count, all.count + 1] {
                    #expect(correlator.overdueOperations(limit: limit) == Array(all.prefix(limit)), "limit \(limit)")
                }
            }
        }
        #expect(correlator.overdueCount > 0)
    }
}

@Suite struct OperationFactsTests {
    @Test func packedFieldsReadBackWhatWasWritten() {
        let maxLabel = LabelID(SeriesKey.maxLabelValues)
        for cls in LifecycleClass.allCases {
            for (tenant, target, status) in [(0, 0, Int16(-1)), (maxLabel, 1, 599), (7, maxLabel, Int16.max), (maxLabel, maxLabel, Int16.min)] {
                var f = OperationFacts(tenant: tenant, target: target, lifecycleClass: cls, openedAt: -5, requested: true,
                                       attempts: 3, lastStatus: status, overdue: false)
                #expect(f.tenant == tenant && f.target == target && f.lifecycleClass == cls && f.lastStatus == status)
                #expect(f.requested && !f.overdue && f.openedAt == -5 && f.attempts == 3)
                f.overdue = true
                f.requested = false
                f.lastStatus = 204
                #expect(f.overdue && !f.requested && f.lastStatus == 204 && f.tenant == tenant && f.target == target && f.lifecycleClass == cls)
            }
        }
    }

    @Test func eachOperationHasTheLifecycleClassOfEventsMd() {
        let expected: [OperationKind: LifecycleClass?] = [
            .create: .provision, .enable: .provision, .disable: .deprovision, .delete: .deprovision, .update: .update,
            .groupAdd: .membership, .groupRemove: .membership, .groupUpdate: .membership, .read: nil, .unknown: nil,
        ]
        #expect(expected.count == OperationKind.allCases.count)
        for kind in OperationKind.allCases { #expect(kind.lifecycleClass == expected[kind]!, "\(kind)") }
    }

    @Test func aClassMadeFromItsLowBitsIsTheClassOfThatRawValue() {
        #expect(LifecycleClass.allCases.map(\.rawValue) == [0, 1, 2, 3])
        for c in LifecycleClass.allCases {
            #expect(LifecycleClass(lowBits: c.rawValue) == c && LifecycleClass(lowBits: c.rawValue | 0xFC) == c)
            #expect(LifecycleClass(lowBits: c.rawValue).name == c.name)
        }
    }

    @Test func aCorrelatorSlotIsHalfACacheLine() {
        #expect(MemoryLayout<OperationFacts>.size == 24)
        #expect(MemoryLayout<(key: UInt64, value: OperationFacts)>.stride == 32)
    }
}

@Suite struct LatencyWindowTests {
    @Test func quantilesEqualTheNearestRankOfASortedReference() {
        var window = LatencyWindow(windowMs: 3_600_000)
        var generator = SplitMix(seed: 7)
        var reference: [Int64] = []
        for i in 0..<1000 {
            let latency = Int64(generator.next() % 600_000)
            reference.append(latency)
            window.add(latencyMs: latency, at: Int64(i) * 1000)
        }
        window.trim(now: 999_000)
        let summary = window.summary(quantiles: [0.5, 0.95, 0.99])
        let sorted = reference.sorted()
        #expect(summary.values == [sorted[499], sorted[949], sorted[989]].map { Double($0) / 1000 })
        #expect(summary.count == 1000)
    }

    @Test func aLargeWindowsRanksEqualASortedReference() {
        var generator = SplitMix(seed: 11)
        let shapes: [(String, () -> Int64)] = [
            ("uniform", { Int64(generator.next() % 86_400_000) }),
            ("seconds with a long tail", { generator.next() % 50 == 0 ? Int64(generator.next() % 86_400_000) : Int64(generator.next() % 5000) }),
            ("few distinct", { Int64(generator.next() % 4) * 1000 }),
            ("one value", { 1234 }),
        ]
        for (name, next) in shapes {
            let values = (0..<20_000).map { _ in next() }
            let sorted = values.sorted()
            let ranks = [0, 1, 9_999, 10_000, 18_999, 19_799, 19_999, Int(generator.next() % 20_000)]
            #expect(LatencyWindow.values(atRanks: ranks, of: values) == ranks.map { sorted[$0] }, "\(name)")
        }
    }

    @Test func latencyBucketsNeverDecrease() {
        var previous = LatencyWindow.bucket(0)
        var v: Int64 = 0
        while v < Int64.max / 3 {
            let b = LatencyWindow.bucket(v)
            #expect(b >= previous && b < LatencyWindow.bucketCount, "\(v)")
            previous = b
            v = v < 100_000 ? v + 1 : v + v / 7
        }
    }

    @Test func eachTagsSummaryIsThatOfItsOwnLatencies() {
        var window = LatencyWindow(windowMs: 3_600_000)
        var generator = SplitMix(seed: 9)
        var byTag: [[Int64]] = [[], [], [], []]
        for i in 0..<2000 {
            let latency = Int64(generator.next() % 900_000)
            let tag = Int(generator.next() % 3) // tag 3 stays empty
            byTag[tag].append(latency)
            window.add(latencyMs: latency, at: Int64(i) * 1000, tag: UInt8(tag))
        }
        let summaries = window.summaries(quantiles: [0.5, 0.99], tags: 4)
        for tag in 0..<4 {
            let sorted = byTag[tag].sorted()
            let expected: [Double?] = sorted.isEmpty ? [nil, nil]
                : [0.5, 0.99].map { q in Double(sorted[Int((q * Double(sorted.count)).rounded(.up)) - 1]) / 1000 }
            #expect(summaries[tag].values == expected && summaries[tag].count == sorted.count, "tag \(tag)")
        }
    }

    @Test func oldLatenciesLeaveTheWindow() {
        var window = LatencyWindow(windowMs: 60_000)
        window.add(latencyMs: 100_000, at: 0)
        window.add(latencyMs: 1_000, at: 50_000)
        window.trim(now: 70_000)
        #expect(window.summary(quantiles: [0.5]).values == [1.0])
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension LatencyWindowTests {
    @Test(arguments: [[Int64](repeating: 7, count: 500), Array(0..<501), Array((0..<501).reversed()), [5, 1, 5, 1, 5, 1, 9]])
    func quantilesAreExactOnDuplicatesAndOrderedInput(values: [Int64]) {
        var window = LatencyWindow(windowMs: 3_600_000)
        for (i, v) in values.enumerated() { window.add(latencyMs: v, at: Int64(i)) }
        let sorted = values.sorted()
        let expected = [0.5, 0.95, 0.99].map { q in
            Double(sorted[min(max(Int((q * Double(sorted.count)).rounded(.up)), 1), sorted.count) - 1]) / 1000
        }
        #expect(window.summary(quantiles: [0.5, 0.95, 0.99]).values == expected)
    }
}

@Suite struct TimeQueueTests {
    @Test func popsInTimeOrderWhateverOrderTimesArriveIn() {
        // Mostly increasing times with some late ones, pops interleaved: each pop is the smallest left.
        var queue = TimeQueue()
        var reference: [(time: Int64, key: UInt64)] = []
        var random = SplitMix(seed: 5)
        var clock: Int64 = 0
        for step in 0..<4000 {
            if random.next() % 3 != 0 {
                clock += Int64(random.next() % 5)
                let time = random.next() % 8 == 0 ? clock - Int64(random.next() % 100) : clock
                queue.push(time, UInt64(step) + 1)
                reference.append((time, UInt64(step) + 1))
            } else {
                let expected = reference.min { $0.time < $1.time }?.time
                #expect(queue.top?.time == expected)
                let popped = queue.pop()
                #expect(popped?.time == expected)
                if let popped, let i = reference.firstIndex(where: { $0.key == popped.key }) { reference.remove(at: i) }
            }
            #expect(queue.count == reference.count)
        }
        while let popped = queue.pop() {
            #expect(popped.time == reference.min { $0.time < $1.time }?.time)
            reference.removeAll { $0.key == popped.key }
        }
        #expect(reference.isEmpty)
    }
}

@Suite struct HourlyActivityBucketTests {
    @Test func aDeprovisionLandsInTheFirstBucketAtOrAboveItsLatency() {
        // Latencies at, just under and just over every bound, and past the last: the bucket chosen is
        // the first bound >= the latency (the last bucket, "above every bound", past them all).
        let bounds = HourlyActivity.latencyBounds
        var latencies: [Int64] = [0, 1, 999, 1000, 1001]
        for b in bounds { latencies += [Int64((b * 1000).rounded(.down)) - 1, Int64((b * 1000).rounded(.down)), Int64((b * 1000).rounded(.up)) + 1] }
        latencies.append(Int64(bounds.last! * 1000) * 2)
        for ms in latencies where ms >= 0 {
            var activity = HourlyActivity()
            activity.recordDeprovision(latencyMs: ms, at: 0)
            let buckets = activity.sum(from: 0, to: 3_600_000).buckets
            let expected = bounds.firstIndex { Double(ms) / 1000 <= $0 } ?? bounds.count
            #expect(buckets.firstIndex(of: 1) == expected, "\(ms) ms")
        }
    }
    @Test func theBranchFreeSearchEqualsALinearScanForEveryLength() {
        for count in 0...20 {
            let bounds = (0..<count).map { Double($0 * 2 + 1) }
            for value in [-1.0, .nan, .infinity] + (0...(count * 2 + 2)).map(Double.init) {
                let expected = bounds.firstIndex { !(value > $0) } ?? count
                #expect(bounds.withUnsafeBufferPointer { firstBound(atLeast: value, in: $0) } == expected, "\(value) in \(count)")
            }
        }
    }
}
