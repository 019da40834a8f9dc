/// A follow-up event of an operation in flight: an attempt (first, retry or one of a stuck deprovision's
/// failing attempts) or a `completed` event.
struct SimPending: Sendable {
    enum Step: UInt8, Sendable { case attempt, completedSuccess, completedFailure }

    /// Event time, epoch ms.
    var time: Int64
    /// Insertion order; breaks ties in `time` so the order never depends on the heap's layout.
    var seq: UInt64 = 0
    var subject: UInt64 = SimPending.noSubject
    /// 0 = no correlation id.
    var correlation: UInt64 = 0
    var tenant: Int32
    var target: Int32
    var bulkTotal: Int32 = -1
    var operation: OperationKind
    var step: Step = .attempt
    var attempt: UInt8 = 1
    /// > 0: a stuck deprovision's attempt that must fail; how many such attempts remain, this one included.
    var stuckAttempts: UInt8 = 0
    /// Whether the operation reports a `completed` event once it resolves.
    var wantsCompleted = false

    static let noSubject = UInt64.max

    @inline(__always)
    func precedes(_ other: SimPending) -> Bool {
        time < other.time || (time == other.time && seq < other.seq)
    }
}

/// A binary min-heap of pending events ordered by (time, insertion order).
struct SimPendingQueue: Sendable {
    private var heap: [SimPending] = []
    private var nextSeq: UInt64 = 0

    init() {
        heap.reserveCapacity(1024)
    }

    var count: Int { heap.count }

    /// The earliest pending time, or `Int64.max` when empty.
    @inline(__always)
    var minTime: Int64 { heap.first?.time ?? .max }

    mutating func push(_ item: SimPending) {
        var item = item
        item.seq = nextSeq
        nextSeq &+= 1
        heap.append(item)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) >> 1
            guard item.precedes(heap[parent]) else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = item
    }

    /// Removes and returns the earliest item; the queue must not be empty.
    mutating func pop() -> SimPending {
        let top = heap[0]
        let last = heap.removeLast()
        let n = heap.count
        if n > 0 {
            var parent = 0
            while true {
                var child = 2 * parent + 1
                if child >= n { break }
                if child + 1 < n, heap[child + 1].precedes(heap[child]) { child += 1 }
                guard heap[child].precedes(last) else { break }
                heap[parent] = heap[child]
                parent = child
            }
            heap[parent] = last
        }
        return top
    }
}
