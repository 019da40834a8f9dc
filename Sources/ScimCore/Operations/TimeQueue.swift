/// A min-queue of (time, key), for "what opened first" and "what expires next". Entries may go stale
/// (their operation resolved); the owner checks them when it pops.
///
/// Times mostly arrive in order (logs are written as things happen), so entries pushed at or after the
/// latest in-order time go to a plain run, O(1) each; the few that arrive out of order go to a binary
/// heap. The front is the smaller of the two fronts. (A heap for every entry cost a sift per operation.)
struct TimeQueue: Sendable {
    /// Entries in non-decreasing time order.
    private var run = ChunkedFIFO(filler: Entry(time: 0, key: 0))
    /// Entries pushed earlier than the run's last time.
    private var heap = TimeHeap()

    private struct Entry: BitwiseCopyable, Sendable {
        var time: Int64
        var key: UInt64
    }

    var count: Int { run.count + heap.count }
    var isEmpty: Bool { count == 0 }

    var top: (time: Int64, key: UInt64)? {
        let fromRun = run.first.map { (time: $0.time, key: $0.key) }
        guard let fromHeap = heap.top else { return fromRun }
        guard let fromRun else { return fromHeap }
        return fromHeap.time < fromRun.time ? fromHeap : fromRun
    }

    mutating func push(_ time: Int64, _ key: UInt64) {
        if let last = run.last, time < last.time {
            heap.push(time, key)
        } else {
            run.append(Entry(time: time, key: key))
        }
    }

    @discardableResult
    mutating func pop() -> (time: Int64, key: UInt64)? {
        let fromRun = run.first
        if let fromHeap = heap.top, fromRun == nil || fromHeap.time < fromRun!.time {
            return heap.pop()
        }
        guard fromRun != nil else { return nil }
        let e = run.removeFirst()
        return (e.time, e.key)
    }
}

/// A binary min-heap of (time, key): the out-of-order part of a ``TimeQueue``.
struct TimeHeap: Sendable {
    private var entries: [(time: Int64, key: UInt64)] = []

    var count: Int { entries.count }
    var top: (time: Int64, key: UInt64)? { entries.first }

    mutating func push(_ time: Int64, _ key: UInt64) {
        entries.append((time, key))
        var i = entries.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if entries[parent].time <= entries[i].time { break }
            entries.swapAt(parent, i)
            i = parent
        }
    }

    @discardableResult
    mutating func pop() -> (time: Int64, key: UInt64)? {
        guard let first = entries.first else { return nil }
        let last = entries.count - 1
        entries.swapAt(0, last)
        entries.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var smallest = i
            if l < entries.count, entries[l].time < entries[smallest].time { smallest = l }
            if r < entries.count, entries[r].time < entries[smallest].time { smallest = r }
            if smallest == i { break }
            entries.swapAt(i, smallest)
            i = smallest
        }
        return first
    }
}
