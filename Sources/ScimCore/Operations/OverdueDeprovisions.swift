/// The open deprovisions past their threshold, kept so that what the symptom alert needs of them (how
/// many, on which targets, the oldest few) costs no pass over them: counts per (tenant, target) change
/// as operations become overdue or resolve, and a heap by open time gives the oldest.
///
/// Replay evaluates the symptom alerts every minute of event time; sorting every overdue operation
/// and naming each one's target there was the largest part of the alert evaluation's cost.
struct OverdueDeprovisions: Sendable {
    private(set) var keys = UInt64Set()
    /// Overdue operations per ``SeriesKey/pack(tenant:target:small:code:)`` of (tenant, target).
    private var byPair: [UInt64: Int] = [:]
    /// (open time, key) of overdue operations; entries go stale when their operation resolves or moves.
    private var byOpenTime = TimeQueue()
    /// Changes whenever the overdue set (or an overdue operation's open time) changes.
    private(set) var version: UInt64 = 0

    var count: Int { keys.count }

    mutating func mark(_ key: UInt64, _ op: OperationFacts) {
        guard keys.insert(key) else { return }
        byPair[SeriesKey.pack(tenant: op.tenant, target: op.target), default: 0] += 1
        push(key, op)
    }

    mutating func unmark(_ key: UInt64, _ op: OperationFacts) {
        guard keys.remove(key) != nil else { return }
        let pair = SeriesKey.pack(tenant: op.tenant, target: op.target)
        if let n = byPair[pair], n > 1 { byPair[pair] = n - 1 } else { byPair[pair] = nil }
        version &+= 1
    }

    /// An overdue operation's open time moved earlier (a phase logged out of order).
    mutating func moved(_ key: UInt64, _ op: OperationFacts) {
        guard keys.contains(key) else { return }
        push(key, op)
    }

    private mutating func push(_ key: UInt64, _ op: OperationFacts) {
        byOpenTime.push(op.openedAt, key)
        version &+= 1
    }

    /// The summary the symptom alert shows: `open` gives the open operations (for validity and subjects).
    mutating func summary(open: OpenOperations) -> OverdueSummary {
        OverdueSummary(count: keys.count, byTarget: OverdueSummary.pairs(byPair),
                       oldest: oldest(OverdueSummary.oldestLimit, open: open))
    }

    /// The `limit` oldest, in ``OpenOperation/isOlder(_:than:)`` order (the overdue API's): the queue's
    /// front entries are popped (stale ones for good) and the valid ones pushed back.
    mutating func oldest(_ limit: Int, open: OpenOperations) -> [OpenOperation] {
        guard limit > 0 else { return [] }
        if byOpenTime.count > 2 * keys.count + 1024 { rebuild(open: open) }
        var taken: [(time: Int64, key: UInt64)] = []
        var takenKeys = UInt64Set()
        var found: [OpenOperation] = []
        while let (time, key) = byOpenTime.top {
            // Past the limit, keep going only through ties of the last time (the subject orders them).
            if found.count >= limit, time > found[found.count - 1].openedAt { break }
            byOpenTime.pop()
            guard keys.contains(key), let op = open[key], op.openedAt == time, takenKeys.insert(key) else { continue }
            taken.append((time, key))
            found.append(op)
        }
        for (time, key) in taken { byOpenTime.push(time, key) }
        return Array(found.sorted(by: OpenOperation.isOlder).prefix(limit))
    }

    private mutating func rebuild(open: OpenOperations) {
        byOpenTime = TimeQueue()
        for key in keys.keys { if let op = open[key] { byOpenTime.push(op.openedAt, key) } }
    }
}

/// What the deprovisions-overdue symptom alert says: how many, per target, and the oldest few.
public struct OverdueSummary: Sendable, Equatable {
    public static let oldestLimit = 5

    public struct Pair: Sendable, Equatable {
        public var tenant: LabelID
        public var target: LabelID
        public var count: Int
    }

    public var count: Int
    /// Overdue deprovisions per (tenant, target), in label-id order.
    public var byTarget: [Pair]
    /// The oldest (by open time, then subject), at most ``oldestLimit``.
    public var oldest: [OpenOperation]

    public static let none = OverdueSummary(count: 0, byTarget: [], oldest: [])

    public init(count: Int, byTarget: [Pair], oldest: [OpenOperation]) {
        self.count = count
        self.byTarget = byTarget
        self.oldest = oldest
    }

    /// The summary of a list of overdue operations (tests, and callers that hold the list).
    public init(_ operations: [OpenOperation]) {
        var counts: [UInt64: Int] = [:]
        for op in operations { counts[SeriesKey.pack(tenant: op.tenant, target: op.target), default: 0] += 1 }
        self.init(count: operations.count, byTarget: Self.pairs(counts),
                  oldest: Array(operations.sorted(by: OpenOperation.isOlder).prefix(Self.oldestLimit)))
    }

    /// Counts by packed (tenant, target) as ``byTarget`` lists them.
    static func pairs(_ counts: [UInt64: Int]) -> [Pair] {
        counts.map { Pair(tenant: SeriesKey.tenant($0.key), target: SeriesKey.target($0.key), count: $0.value) }
            .sorted { ($0.tenant, $0.target) < ($1.tenant, $1.target) }
    }
}
