import CPrefetch

/// The operation model of events.md as a pure state machine: events in, transitions out.
///
/// An operation is keyed by (tenant, target, lifecycle class, correlation id or else subject). It
/// opens on `requested` (or on its first attempt), resolves on a successful attempt, a terminal
/// failure or a `completed` event, and expires after the timeout. Time is event time; "now" comes from
/// ``advance(to:into:)``. Open operations are kept in memory (about 130 bytes each, see
/// docs/benchmarks.md) and persisted by the caller from ``changedSinceSave`` and ``removedSinceSave``.
///
/// An open operation is stored as plain ``OperationFacts`` and its subject in a slot of ``subjects``, so
/// the per-event work (lookups, updates, transitions) copies no `String`: a subject is made once, when
/// its operation opens.
public struct OperationCorrelator: Sendable {
    public let configuration: OperationConfiguration
    /// Open operations by key.
    private var facts = UInt64Map<OperationFacts>(vacant: .vacant)
    /// Subjects of open operations by slot (``OperationFacts/subjectSlot``), and the slots free for reuse.
    /// A resolved operation's slot is freed at once and its subject overwritten when the slot is reused
    /// (by a later event: the transitions of this one can still read it, see ``subject(of:)``), so the
    /// array holds at most as many subjects as were ever open at once.
    private var subjects: [String] = []
    private var freeSlots: [Int32] = []
    /// Keys opened or changed since the last save, and keys resolved since then.
    public private(set) var changedSinceSave = UInt64Set()
    public private(set) var removedSinceSave = UInt64Set()
    /// Keys of open operations that a checkpoint has stored.
    private var stored = UInt64Set()
    /// Open deprovisions past their threshold.
    private var overdue = OverdueDeprovisions()
    /// Changes whenever ``overdueOperations(limit:)`` or ``overdueSummary()`` could answer differently,
    /// so callers can keep their answer.
    public var overdueVersion: UInt64 { overdue.version }
    /// How many open deprovisions are past their threshold.
    public var overdueCount: Int { overdue.count }

    /// Open times per class (oldest first, stale entries skipped lazily).
    private var byOpenTime: [TimeQueue] = Array(repeating: TimeQueue(), count: LifecycleClass.allCases.count)
    /// Open deprovisions not yet overdue, by open time.
    private var notYetOverdue = TimeQueue()
    /// Entries in all heaps, stale ones included (they are popped lazily).
    private var heapEntries = 0
    /// Stale entries allowed beyond three per open operation before the queues are made again from the
    /// open operations: 4 MiB of entries at most. Each rebuild walks the whole open-operation table, and
    /// a busy log resolves most operations within seconds behind a few that stay open all day, so with a
    /// small allowance (it was 4,096) rebuilds came every few tens of thousands of operations: about 3%
    /// of what operations add to a replay. Internal so that tests can make rebuilds happen.
    var staleEntriesAllowed = 1 << 18
    /// Entries in the open-time queues, stale ones included (for tests of their bound).
    var queuedEntries: Int { heapEntries }
    /// Recently resolved keys and when, so that a `requested` logged after its resolution does not reopen
    /// it and a `completed` does not count it again. Bounded: about the 8,192 most recently resolved
    /// (see ``RecentlyResolved``).
    private var recentlyResolved = RecentlyResolved()
    /// False when nothing is persisted (an in-memory replay): changes are then not tracked.
    public var tracksChanges = true

    /// ``OperationConfiguration/terminalStatuses`` as a table by status (a `Set` would hash each lookup).
    private let terminal: [Bool]

    public init(configuration: OperationConfiguration = OperationConfiguration()) {
        self.configuration = configuration
        terminal = (0..<1000).map { configuration.terminalStatuses.contains(Int16($0)) }
    }

    /// The open operations, with their subjects (a view for the API, persistence and tests).
    public var open: OpenOperations { OpenOperations(facts: facts, subjects: subjects) }

    /// The subject of a transition's operation, or nil when it was never stored (opened and resolved by
    /// one event: the event has it). Valid until the next event or advance.
    public func subject(of op: OperationFacts) -> String? {
        op.subjectSlot >= 0 ? subjects[Int(op.subjectSlot)] : nil
    }

    /// Asks for the slots an event of `key` and `phase` will read: its open-operation slot (see
    /// ``UInt64Map/prefetch(_:)``), and the next one for an attempt or a `completed` event (which may
    /// resolve it, see ``UInt64Map/prefetchForRemoval(_:)``); and its recently-resolved entry, which a
    /// resolution writes and a `requested` or `completed` event finding nothing open reads.
    @inline(__always)
    public func prefetch(_ key: UInt64, phase: Phase) {
        if phase == .requested { facts.prefetch(key) } else { facts.prefetchForRemoval(key) }
        recentlyResolved.prefetch(key)
    }

    /// The key of an event's operation, or `nil` when it cannot be correlated (request SLIs only).
    @inline(__always)
    public static func key(of e: Event) -> UInt64? {
        key(operation: e.operation, identity: e.identity, tenant: e.tenant, target: e.target) { e.correlationID ?? e.subject }
    }

    /// ``key(of:)`` from an event's fields, for a caller that reads them in place (passing a whole event
    /// copies it and retains its strings). `unhashedID` (the correlation id, else the subject) is asked
    /// for only when the parser left no identity hash.
    @inline(__always)
    public static func key(operation: OperationKind, identity: UInt64, tenant: LabelID, target: LabelID,
                           unhashedID: () -> String?) -> UInt64? {
        guard let cls = operation.lifecycleClass else { return nil }
        var identity = identity
        if identity == 0 {
            guard let id = unhashedID(), !id.isEmpty else { return nil }
            identity = byteHash(id)
        }
        let labels = UInt64(UInt32(bitPattern: tenant)) << 32 | UInt64(UInt32(bitPattern: target))
        var h = identity ^ (labels &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(cls.rawValue) &* 0xC2B2_AE3D_27D4_EB4F)
        h = (h ^ (h >> 31)) &* 0xBF58_476D_1CE4_E5B9
        return h == 0 ? 1 : h
    }

    /// Applies one event; appends what it decided.
    public mutating func apply(_ e: Event, into out: inout [OperationTransition]) {
        guard let key = Self.key(of: e) else { return }
        apply(e, key: key).forEach { out.append($0) }
    }

    /// Applies one event whose ``key(of:)`` the caller computed already (to prefetch its slot); returns
    /// what it decided.
    @inline(__always)
    public mutating func apply(_ e: Event, key: UInt64) -> EventTransitions {
        guard let cls = e.operation.lifecycleClass else { return EventTransitions() }
        switch e.phase {
        case .requested:
            if let slot = facts.find(key) {
                var op = facts.value(at: slot)
                if e.time < op.openedAt { reopen(&op, at: e.time, key: key) }
                op.requested = true
                facts.replace(at: slot, with: op)
                if tracksChanges { changedSinceSave.insert(key) }
                return EventTransitions()
            }
            if let resolvedAt = recentlyResolved.time(of: key), e.time <= resolvedAt { return EventTransitions() }
            insert(OperationFacts(tenant: e.tenant, target: e.target, lifecycleClass: cls, openedAt: e.time, requested: true),
                   subject: Self.subject(of: e), key: key)
            return EventTransitions()
        case .attempt:
            guard e.outcome != .skipped else { return EventTransitions() }
            // One probe: the slot found here is where the operation is updated or removed.
            let slot = facts.find(key)
            var op = slot.map(facts.value(at:))
                ?? OperationFacts(tenant: e.tenant, target: e.target, lifecycleClass: cls, openedAt: e.time, requested: false)
            if slot != nil, e.time < op.openedAt { reopen(&op, at: e.time, key: key) }
            op.attempts += 1
            if e.status >= 0 { op.lastStatus = e.status }
            switch Self.attemptResult(e, terminal: terminal) {
            case .succeeded?: return resolve(op, key: key, .succeeded, at: e.time, openSlot: slot)
            case .failed?: return resolve(op, key: key, .failed, at: e.time, openSlot: slot)
            default:
                if let slot {
                    facts.replace(at: slot, with: op)
                    if tracksChanges { changedSinceSave.insert(key) }
                } else {
                    insert(op, subject: Self.subject(of: e), key: key)
                }
                return EventTransitions()
            }
        case .completed:
            let result: OperationResult
            switch e.outcome {
            case .success: result = .succeeded
            case .failure: result = .failed
            default:
                guard let fromStatus = Self.attemptResult(e, terminal: terminal) else { return EventTransitions() }
                result = fromStatus
            }
            if let slot = facts.find(key) {
                return resolve(facts.value(at: slot), key: key, result, at: e.time, openSlot: slot)
            } else if recentlyResolved.time(of: key) == nil {
                let op = OperationFacts(tenant: e.tenant, target: e.target, lifecycleClass: cls, openedAt: e.time, requested: false)
                return resolve(op, key: key, result, at: e.time, openSlot: nil)
            }
            return EventTransitions()
        }
    }

    /// What on-call sees of an operation: its subject, else its correlation id.
    public static func subject(of e: Event) -> String { e.subject ?? e.correlationID ?? "(correlation id)" }

    /// Success (2xx, 404 on delete, `outcome: success`), terminal failure, or `nil` (still open).
    /// Static: as a method on the correlator, a call could copy the correlator.
    @inline(__always)
    private static func attemptResult(_ e: Event, terminal: [Bool]) -> OperationResult? {
        if e.status >= 0 {
            if (200...299).contains(e.status) || (e.status == 404 && e.operation == .delete) { return .succeeded }
            if Int(e.status) < terminal.count, terminal[Int(e.status)] { return .failed }
            return nil
        }
        return e.outcome == .success ? .succeeded : nil
    }

    /// Moves time forward: expires operations past the timeout and marks deprovisions overdue.
    public mutating func advance(to now: Int64, into out: inout [OperationTransition]) {
        for c in LifecycleClass.allCases {
            while let (time, key) = byOpenTime[Int(c.rawValue)].top {
                guard let slot = facts.find(key), case let op = facts.value(at: slot), op.openedAt == time else {
                    byOpenTime[Int(c.rawValue)].pop() // stale: resolved, or reopened earlier
                    heapEntries -= 1
                    continue
                }
                guard now - time >= configuration.timeoutMs else { break }
                byOpenTime[Int(c.rawValue)].pop()
                heapEntries -= 1
                resolve(op, key: key, .expired, at: time + configuration.timeoutMs, openSlot: slot).forEach { out.append($0) }
            }
        }
        let threshold = configuration.deprovisionOverdueMs
        while let (time, key) = notYetOverdue.top {
            guard var op = facts[key], op.openedAt == time, !op.overdue else {
                notYetOverdue.pop()
                heapEntries -= 1
                continue
            }
            guard now - time >= threshold else { break }
            notYetOverdue.pop()
            heapEntries -= 1
            op.overdue = true
            facts[key] = op
            overdue.mark(key, op)
            if tracksChanges { changedSinceSave.insert(key) }
            out.append(.overdue(op, time: time + threshold))
        }
    }

    /// The oldest open time of a class, if any is open.
    public mutating func oldestOpenTime(of c: LifecycleClass) -> Int64? {
        while let (time, key) = byOpenTime[Int(c.rawValue)].top {
            if let op = facts[key], op.openedAt == time { return time }
            byOpenTime[Int(c.rawValue)].pop()
            heapEntries -= 1
        }
        return nil
    }

    /// Overdue deprovisions in ``OpenOperation/isOlder(_:than:)`` order, at most `limit`: taken from
    /// the overdue set's queue by open time, so only those within the limit (and ties with the last)
    /// are made with their subjects (a snapshot takes this list; many more may be overdue).
    public mutating func overdueOperations(limit: Int) -> [OpenOperation] { overdue.oldest(limit, open: open) }

    /// What the deprovisions-overdue symptom alert shows (see ``OverdueSummary``).
    public mutating func overdueSummary() -> OverdueSummary { overdue.summary(open: open) }

    /// Called once the store has saved the changed and removed keys.
    public mutating func markSaved() {
        for key in removedSinceSave.keys { stored.remove(key) }
        for key in changedSinceSave.keys { stored.insert(key) }
        changedSinceSave.removeAll()
        removedSinceSave.removeAll()
    }

    /// Restores an open operation from the store.
    public mutating func restore(_ op: OpenOperation, key: UInt64) {
        if let old = facts[key] {
            freeSlots.append(old.subjectSlot)
            overdue.unmark(key, old)
        }
        var restored = op.facts
        restored.subjectSlot = store(subject: op.subject)
        facts[key] = restored
        stored.insert(key)
        if op.overdue { overdue.mark(key, restored) }
        track(restored, key: key)
    }

    /// Encodes an open operation for the store.
    public static func encode(_ op: OpenOperation) -> [UInt8] { op.encoded() }

    /// Decodes what ``encode(_:)`` wrote.
    public static func decode(_ bytes: [UInt8]) throws(StateDecodingError) -> OpenOperation {
        try OpenOperation(decoding: bytes)
    }

    // MARK: - Changes

    /// Opens an operation the caller found absent (an opening is not a transition: the open gauges are
    /// counted from the open operations).
    private mutating func insert(_ op: OperationFacts, subject: String, key: UInt64) {
        var op = op
        op.subjectSlot = store(subject: subject)
        facts.insertNew(key, op)
        track(op, key: key)
        if tracksChanges { changedSinceSave.insert(key) }
        if tracksChanges { removedSinceSave.remove(key) }
    }

    private mutating func store(subject: String) -> Int32 {
        if let slot = freeSlots.popLast() {
            subjects[Int(slot)] = subject
            return slot
        }
        subjects.append(subject)
        return Int32(subjects.count - 1)
    }

    private mutating func track(_ op: OperationFacts, key: UInt64) {
        byOpenTime[Int(op.lifecycleClass.rawValue)].push(op.openedAt, key)
        if op.lifecycleClass == .deprovision, !op.overdue { notYetOverdue.push(op.openedAt, key) }
        // Resolved operations leave stale heap entries behind the oldest open one; rebuild from the
        // open operations past ``staleEntriesAllowed``, so memory follows what is open.
        heapEntries += op.lifecycleClass == .deprovision && !op.overdue ? 2 : 1
        if heapEntries > 3 * facts.count + staleEntriesAllowed { rebuildHeaps() }
    }

    private mutating func rebuildHeaps() {
        byOpenTime = Array(repeating: TimeQueue(), count: LifecycleClass.allCases.count)
        notYetOverdue = TimeQueue()
        heapEntries = 0
        for (key, op) in facts {
            byOpenTime[Int(op.lifecycleClass.rawValue)].push(op.openedAt, key)
            heapEntries += 1
            if op.lifecycleClass == .deprovision, !op.overdue {
                notYetOverdue.push(op.openedAt, key)
                heapEntries += 1
            }
        }
    }

    /// An event older than the open time moves it earlier (phases logged out of order).
    private mutating func reopen(_ op: inout OperationFacts, at time: Int64, key: UInt64) {
        op.openedAt = time
        if op.overdue { overdue.moved(key, op) }
        track(op, key: key)
    }

    /// `openSlot`: the operation's slot when it was open, nil when the resolving event also opened it.
    /// Inlined: returning its transitions from a call went through memory, and was a third of `apply`.
    @inline(__always)
    private mutating func resolve(_ op: OperationFacts, key: UInt64, _ result: OperationResult, at time: Int64,
                                  openSlot: Int?) -> EventTransitions {
        var op = op
        var decided = EventTransitions()
        let wasOpen = openSlot != nil
        // A deprovision resolving past its threshold became overdue at open + threshold, whether or not
        // time was advanced in between (replay advances once per block): say so first, so it counts then.
        let threshold = configuration.deprovisionOverdueMs
        if wasOpen, op.lifecycleClass == .deprovision, !op.overdue, time - op.openedAt >= threshold {
            op.overdue = true // and no longer open: never in the overdue set
            decided.overdue = .overdue(op, time: op.openedAt + threshold)
        }
        if let openSlot {
            facts.remove(at: openSlot)
            freeSlots.append(op.subjectSlot)
            // The next operation to open reuses this slot, and overwriting a subject reads the old one
            // (to release it): written when this operation opened, long before, it had left the cache,
            // and that read was a third of an opening's time.
            subjects.withUnsafeBufferPointer { scim_prefetch($0.baseAddress! + Int(op.subjectSlot)) }
            if op.overdue { overdue.unmark(key, op) }
            if tracksChanges {
                changedSinceSave.remove(key)
                // Only what a checkpoint stored needs deleting; the rest never reached the store.
                if stored.contains(key) { removedSinceSave.insert(key) }
            }
        }
        decided.resolved = .resolved(op, result, time: time, latencyMs: max(0, time - op.openedAt), wasOpen: wasOpen)
        recentlyResolved.record(key, at: time)
        return decided
    }
}

/// What one event decided: nothing; a resolution; or, for a deprovision resolving past its threshold,
/// its becoming overdue and then its resolution (counted in that order). Returned by value: appending
/// at most two transitions per event to an array, to read them back, cost more than deciding them.
public struct EventTransitions: Sendable {
    public var overdue: OperationTransition?
    public var resolved: OperationTransition?

    /// Calls `body` with each transition, in the order they are counted.
    @inline(__always)
    public func forEach(_ body: (OperationTransition) -> Void) {
        if let overdue { body(overdue) }
        if let resolved { body(resolved) }
    }
}

/// Recently resolved operation keys and when: a fixed table of 2,048 sets of four entries, a set per key
/// hash, each set one cache line (key and time side by side), so a lookup or a record reads one line.
/// Recording into a full set replaces its oldest resolution. An entry is lost only when four later
/// resolutions fall into its set; a direct-mapped table (one entry per hash) would lose one at the
/// first, and count a `completed` logged soon after its attempt a second time.
struct RecentlyResolved: Sendable {
    private static let sets = 1 << 11
    private static let ways = 4
    private var entries = LargeTable<(key: UInt64, time: Int64)>(repeating: (0, .min), count: sets * ways)

    @inline(__always)
    private static func set(_ key: UInt64) -> Int { (Int(truncatingIfNeeded: key >> 17) & (sets - 1)) * ways }

    @inline(__always)
    func prefetch(_ key: UInt64) { scim_prefetch(entries.elements + Self.set(key)) }

    @inline(__always)
    func time(of key: UInt64) -> Int64? {
        let set = entries.elements + Self.set(key)
        for way in 0..<Self.ways where set[way].key == key { return set[way].time }
        return nil
    }

    @inline(__always)
    mutating func record(_ key: UInt64, at time: Int64) {
        if !isKnownUniquelyReferenced(&entries) { entries = entries.copy() }
        let set = entries.elements + Self.set(key)
        // The entry of the key if it is there, else the oldest (empty entries are the oldest: `.min`).
        // Chosen by selects, not branches (which way is oldest is a coin toss per resolution): as
        // branches, this loop was a fifth of the correlator's samples; as selects, a sixth.
        var chosen = 0
        var oldest = set[0].time
        for way in 1..<Self.ways {
            let older = set[way].time < oldest
            chosen = older ? way : chosen
            oldest = older ? set[way].time : oldest
        }
        for way in 0..<Self.ways { chosen = set[way].key == key ? way : chosen }
        set[chosen] = (key, time)
    }
}

/// The open operations of a correlator as ``OpenOperation``s: a read-only view.
public struct OpenOperations: Sendable {
    let facts: UInt64Map<OperationFacts>
    let subjects: [String]

    public var count: Int { facts.count }
    public var isEmpty: Bool { facts.isEmpty }
    public var keys: [UInt64] { facts.keys }
    public var values: [OpenOperation] { facts.values.map(operation) }

    public subscript(key: UInt64) -> OpenOperation? { facts[key].map(operation) }

    private func operation(_ f: OperationFacts) -> OpenOperation { OpenOperation(f, subject: subjects[Int(f.subjectSlot)]) }
}
