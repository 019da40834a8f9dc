/// The counts of one SLO: events and bad events per minute of event time, cumulative totals, and a
/// sample of recent bad events for the evidence of a page.
public struct SLOTracker: Sendable {
    public let definition: SLODefinition
    public internal(set) var minutes: MinuteCounts
    /// `scim_slo_events_total` and `scim_slo_bad_events_total`.
    public internal(set) var eventsTotal: UInt64 = 0
    public internal(set) var badTotal: UInt64 = 0
    /// The most recent bad events (bounded ring).
    var badSamples: [BadSample] = []
    var nextSample = 0
    static let sampleCapacity = 512
    /// Every bad event by hour, target, tenant and status, for reports (persisted, unlike the samples).
    public internal(set) var badTally = BadTally()

    /// Label filters resolved to label ids as values are first seen (nil = not yet decided).
    private var tenantAllowed: [Bool?] = []
    private var targetAllowed: [Bool?] = []

    /// For operation SLIs: the classes counted (as a set of raw values), the latency threshold, and
    /// whether an overdue transition counts the operation bad (precomputed off the hot path).
    private(set) var operationClasses = ClassSet()
    private(set) var latencyThreshold: Int64?
    private(set) var countsOverdue = false

    mutating func resolveOperationRules(overdueThresholdMs: Int64) {
        switch definition.sli {
        case .operationSuccess(let classes):
            operationClasses = ClassSet(classes)
        case .operationLatency(let classes, let threshold):
            operationClasses = ClassSet(classes)
            latencyThreshold = threshold
            countsOverdue = threshold == overdueThresholdMs && classes == [.deprovision]
        default:
            operationClasses = ClassSet()
        }
    }

    /// For request SLIs: whether each status 0...999 is bad (a table, not a search per event).
    private let badStatuses: [Bool]

    @inline(__always)
    func isBad(_ status: Int16) -> Bool { status >= 0 && Int(status) < badStatuses.count && badStatuses[Int(status)] }

    public init(definition: SLODefinition) {
        self.definition = definition
        if case .requestSuccess(let bad) = definition.sli {
            badStatuses = (0..<1000).map { code in bad.contains { $0.matches(Int16(code)) } }
        } else {
            badStatuses = []
        }
        let minutes = Int((definition.periodMs + 7 * 86_400_000) / 60_000)
        self.minutes = MinuteCounts(capacityMinutes: minutes)
    }

    /// One bad event, for evidence.
    public struct BadSample: Sendable, Equatable {
        public var time: Int64
        public var tenant: LabelID
        public var target: LabelID
        /// HTTP status, or -1 for an operation that failed, expired or was late.
        public var status: Int16
        public var reference: String?
    }

    /// Whether the event's tenant and target pass the SLO's filter.
    @inline(__always)
    mutating func admits(tenant: LabelID, target: LabelID, labels: Labels) -> Bool {
        if definition.tenants.isEmpty && definition.targets.isEmpty { return true }
        return allowed(tenant, in: &tenantAllowed, names: definition.tenants, values: labels.tenants.values)
            && allowed(target, in: &targetAllowed, names: definition.targets, values: labels.targets.values)
    }

    private func allowed(_ id: LabelID, in cache: inout [Bool?], names: [String], values: [String]) -> Bool {
        if names.isEmpty { return true }
        let i = Int(id)
        if i < cache.count, let decided = cache[i] { return decided }
        if cache.count <= i { cache.append(contentsOf: repeatElement(nil, count: i - cache.count + 1)) }
        let decided = i < values.count && names.contains(values[i])
        cache[i] = decided
        return decided
    }

    /// Counts `total` events of which `bad` are bad, at event time `time`.
    @inline(__always)
    mutating func count(total: UInt32, bad: UInt32, at time: Int64) {
        guard minutes.add(total: total, bad: bad, at: time) else { return }
        eventsTotal &+= UInt64(total)
        badTotal &+= UInt64(bad)
    }

    mutating func sample(_ s: BadSample) {
        badTally.add(time: s.time, tenant: s.tenant, target: s.target, status: s.status)
        if badSamples.count < Self.sampleCapacity {
            badSamples.append(s)
        } else {
            badSamples[nextSample] = s
        }
        nextSample = (nextSample + 1) % Self.sampleCapacity
    }

    /// Good/bad over the window of `windowMs` ending with the minute of `now`.
    public func window(_ windowMs: Int64, now: Int64) -> (total: UInt64, bad: UInt64) {
        minutes.sum(minutes: max(1, windowMs / 60_000), endingAt: MinuteCounts.minute(of: now))
    }

    /// (bad / total) / (1 - objective) over the window; 0 with no events.
    public func burnRate(_ windowMs: Int64, now: Int64) -> Double {
        let w = window(windowMs, now: now)
        guard w.total > 0 else { return 0 }
        return (Double(w.bad) / Double(w.total)) / definition.budget
    }

    /// 1 - consumed / allowed over the period: below 0 when overspent, 1 with no events.
    public func budgetRemaining(now: Int64) -> Double {
        let w = window(definition.periodMs, now: now)
        guard w.total > 0 else { return 1 }
        return 1 - Double(w.bad) / (Double(w.total) * definition.budget)
    }

    /// The top values of the bad events sampled since `since`, as evidence.
    func evidence(since: Int64, labels: Labels) -> Evidence {
        let recent = badSamples.filter { $0.time >= since }
        func top(_ key: (BadSample) -> String?) -> [(String, Int)] {
            var counts: [String: Int] = [:]
            for s in recent { if let k = key(s) { counts[k, default: 0] += 1 } }
            return counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5).map { ($0.key, $0.value) }
        }
        let references = recent.sorted { $0.time > $1.time }.compactMap(\.reference)
        var unique: [String] = []
        for r in references where !unique.contains(r) && unique.count < 5 { unique.append(r) }
        return Evidence(
            topTargets: top { labels.targets.values[Int($0.target)] },
            topTenants: top { labels.tenants.values[Int($0.tenant)] },
            topStatusCodes: top { $0.status >= 0 ? String($0.status) : nil },
            sampleCorrelationIDs: unique)
    }
}

/// A set of lifecycle classes as a bit mask.
struct ClassSet: Sendable {
    private var bits: UInt8 = 0

    init() {}

    init(_ classes: [LifecycleClass]) {
        for c in classes { bits |= 1 << c.rawValue }
    }

    @inline(__always)
    func contains(_ c: LifecycleClass) -> Bool { bits & (1 << c.rawValue) != 0 }
}
