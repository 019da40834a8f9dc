/// All SLOs of a process: classifies events and operation transitions into per-minute good/bad counts,
/// and evaluates the burn-rate policy into alert state changes. Pure: "now" is always a parameter.
public struct SLOEngine: Sendable {
    public internal(set) var trackers: [SLOTracker]
    public internal(set) var alerts = AlertStates()
    /// Every alert state change with its time, for the weekly report (persisted apart from ``alerts``).
    public internal(set) var history = AlertHistory()
    /// The alerts whose condition held at the last evaluation, with their evidence (Alertmanager
    /// wants firing alerts re-sent while they fire).
    public internal(set) var firingNow: [AlertNotification] = []
    /// Whether ``firingNow`` is filled (run mode re-sends firing alerts; replay does not need them).
    public var collectsFiring = false
    /// The time of the last evaluation (epoch ms).
    public internal(set) var evaluatedAt: Int64 = .min

    /// Planned maintenance windows (see ``MaintenanceWindow``).
    public var maintenance: [MaintenanceWindow] = []

    public init(definitions: [SLODefinition]) {
        trackers = definitions.map(SLOTracker.init)
        resolveOperationRules()
    }

    private mutating func resolveOperationRules() {
        for i in trackers.indices { trackers[i].resolveOperationRules(overdueThresholdMs: overdueThresholdMs) }
        lowestLatencyThreshold = trackers.compactMap(\.latencyThreshold).min() ?? .max
        countedClasses = ClassSet(LifecycleClass.allCases.filter { c in trackers.contains { $0.operationClasses.contains(c) } })
    }

    /// The lifecycle classes some operation SLO counts.
    private var countedClasses = ClassSet()

    /// Whether some operation SLO counts operations of class `c`: the caller need not pass on the others'
    /// transitions (a call that finds nothing to count still costs its entry).
    @inline(__always)
    public func countsOperations(of c: LifecycleClass) -> Bool { countedClasses.contains(c) }

    // MARK: - Counting

    /// An attempt with its counted status (request SLIs) or a bulk request (bulk SLIs).
    @inline(__always)
    public mutating func record(_ e: Event, countedStatus: Int16?, labels: Labels) {
        for i in trackers.indices {
            switch trackers[i].definition.sli {
            case .requestSuccess:
                guard let status = countedStatus, trackers[i].admits(tenant: e.tenant, target: e.target, labels: labels) else { continue }
                if maintenance.excludes(trackers[i].definition.name, at: e.time) { continue }
                let isBad = trackers[i].isBad(status)
                trackers[i].count(total: 1, bad: isBad ? 1 : 0, at: e.time)
                if isBad {
                    trackers[i].sample(.init(time: e.time, tenant: e.tenant, target: e.target, status: status,
                                             reference: e.correlationID ?? e.subject))
                }
            case .bulkSuccess:
                guard e.bulkTotal > 0, trackers[i].admits(tenant: e.tenant, target: e.target, labels: labels),
                      !maintenance.excludes(trackers[i].definition.name, at: e.time) else { continue }
                trackers[i].count(total: UInt32(e.bulkTotal), bad: UInt32(e.bulkFailed), at: e.time)
                if e.bulkFailed > 0 {
                    trackers[i].sample(.init(time: e.time, tenant: e.tenant, target: e.target, status: max(e.status, -1),
                                             reference: e.correlationID ?? e.subject))
                }
            default:
                continue
            }
        }
    }

    /// Whether some SLO may count `t` bad, so that its subject is needed as evidence: a failure, an
    /// expiry, an overdue deprovision, or a success slower than the lowest latency threshold.
    @inline(__always)
    public func mayCountBad(_ t: OperationTransition) -> Bool {
        switch t {
        case .overdue(let op, _): countedClasses.contains(op.lifecycleClass)
        case .resolved(let op, let result, _, let latency, _):
            countedClasses.contains(op.lifecycleClass) && (result != .succeeded || latency > lowestLatencyThreshold)
        }
    }

    /// The lowest latency threshold of the operation latency SLOs (``Int64/max`` without any).
    private var lowestLatencyThreshold: Int64 = .max

    /// An operation that resolved or became overdue; `reference` (its subject) goes with a bad count
    /// as evidence, and may be nil when ``mayCountBad(_:)`` said no.
    public mutating func record(_ t: OperationTransition, labels: Labels, reference: String?) {
        switch t {
        case .resolved(let op, let result, let time, let latency, _):
            for i in trackers.indices where trackers[i].operationClasses.contains(op.lifecycleClass) {
                guard trackers[i].admits(tenant: op.tenant, target: op.target, labels: labels) else { continue }
                if let threshold = trackers[i].latencyThreshold {
                    // Counted once: an operation already counted bad when it became overdue is not counted again.
                    if op.overdue && trackers[i].countsOverdue { continue }
                    count(i, op: op, bad: result != .succeeded || latency > threshold, at: time, reference: reference)
                } else {
                    count(i, op: op, bad: result != .succeeded, at: time, reference: reference)
                }
            }
        case .overdue(let op, let time):
            for i in trackers.indices where trackers[i].countsOverdue && trackers[i].operationClasses.contains(op.lifecycleClass) {
                guard trackers[i].admits(tenant: op.tenant, target: op.target, labels: labels) else { continue }
                count(i, op: op, bad: true, at: time, reference: reference)
            }
        }
    }

    /// The deprovision overdue threshold this engine's correlator uses; latency SLOs of deprovisions
    /// with the same threshold count an operation bad at the moment it becomes overdue.
    public var overdueThresholdMs: Int64 = 600_000 {
        didSet { resolveOperationRules() }
    }

    private mutating func count(_ i: Int, op: OperationFacts, bad: Bool, at time: Int64, reference: String?) {
        if maintenance.excludes(trackers[i].definition.name, at: time) { return }
        trackers[i].count(total: 1, bad: bad ? 1 : 0, at: time)
        if bad {
            trackers[i].sample(.init(time: time, tenant: op.tenant, target: op.target,
                                     status: op.lastStatus >= 0 ? op.lastStatus : -1, reference: reference))
        }
    }
}
