/// All SLOs of a process: classifies events and operation transitions into per-minute good/bad counts,
/// and evaluates the burn-rate policy into alert state changes. Pure: "now" is always a parameter.
public struct SLOEngine: Sendable {
    public internal(set) var trackers: [SLOTracker]
    public internal(set) var alerts = AlertStates()
    /// The alerts whose condition held at the last evaluation, with their evidence (Alertmanager
    /// wants firing alerts re-sent while they fire).
    public internal(set) var firingNow: [AlertNotification] = []
    /// The time of the last evaluation (epoch ms).
    public internal(set) var evaluatedAt: Int64 = .min

    public init(definitions: [SLODefinition]) {
        trackers = definitions.map(SLOTracker.init)
    }

    // MARK: - Counting

    /// An attempt with its counted status (request SLIs) or a bulk request (bulk SLIs).
    @inline(__always)
    public mutating func record(_ e: Event, countedStatus: Int16?, labels: Labels) {
        for i in trackers.indices {
            switch trackers[i].definition.sli {
            case .requestSuccess(let badClasses):
                guard let status = countedStatus, trackers[i].admits(tenant: e.tenant, target: e.target, labels: labels) else { continue }
                let isBad = badClasses.contains { $0.matches(status) }
                trackers[i].count(total: 1, bad: isBad ? 1 : 0, at: e.time)
                if isBad {
                    trackers[i].sample(.init(time: e.time, tenant: e.tenant, target: e.target, status: status,
                                             reference: e.correlationID ?? e.subject))
                }
            case .bulkSuccess:
                guard e.bulkTotal > 0, trackers[i].admits(tenant: e.tenant, target: e.target, labels: labels) else { continue }
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

    /// An operation that resolved or became overdue.
    public mutating func record(_ t: OperationTransition, labels: Labels) {
        for i in trackers.indices {
            switch (trackers[i].definition.sli, t) {
            case (.operationSuccess(let classes), .resolved(let op, let result, let time, _, _)):
                guard classes.contains(op.lifecycleClass), trackers[i].admits(tenant: op.tenant, target: op.target, labels: labels) else { continue }
                count(i, op: op, bad: result != .succeeded, at: time)
            case (.operationLatency(let classes, let threshold), .resolved(let op, let result, let time, let latency, _)):
                guard classes.contains(op.lifecycleClass), trackers[i].admits(tenant: op.tenant, target: op.target, labels: labels) else { continue }
                // Counted once: an operation already counted bad when it became overdue is not counted again.
                if op.overdue && countsOverdue(threshold: threshold, classes: classes) { continue }
                count(i, op: op, bad: result != .succeeded || latency > threshold, at: time)
            case (.operationLatency(let classes, let threshold), .overdue(let op, let time)):
                guard countsOverdue(threshold: threshold, classes: classes), classes.contains(op.lifecycleClass),
                      trackers[i].admits(tenant: op.tenant, target: op.target, labels: labels) else { continue }
                count(i, op: op, bad: true, at: time)
            default:
                continue
            }
        }
    }

    /// The deprovision overdue threshold this engine's correlator uses; latency SLOs with the same
    /// threshold count an operation bad at the moment it becomes overdue.
    public var overdueThresholdMs: Int64 = 600_000

    private func countsOverdue(threshold: Int64, classes: [LifecycleClass]) -> Bool {
        threshold == overdueThresholdMs && classes == [.deprovision]
    }

    private mutating func count(_ i: Int, op: OpenOperation, bad: Bool, at time: Int64) {
        trackers[i].count(total: 1, bad: bad ? 1 : 0, at: time)
        if bad {
            trackers[i].sample(.init(time: time, tenant: op.tenant, target: op.target,
                                     status: op.lastStatus >= 0 ? op.lastStatus : -1, reference: op.subject))
        }
    }
}
