/// A binary min-heap of (time, key), for "what opened first" and "what expires next".
/// Entries may go stale (their operation resolved); the owner checks them when it pops.
struct TimeHeap: Sendable {
    private(set) var times: [Int64] = []
    private(set) var keys: [UInt64] = []

    var count: Int { times.count }
    var isEmpty: Bool { times.isEmpty }
    var top: (time: Int64, key: UInt64)? { times.isEmpty ? nil : (times[0], keys[0]) }

    mutating func push(_ time: Int64, _ key: UInt64) {
        times.append(time)
        keys.append(key)
        var i = times.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if times[parent] <= times[i] { break }
            times.swapAt(parent, i)
            keys.swapAt(parent, i)
            i = parent
        }
    }

    @discardableResult
    mutating func pop() -> (time: Int64, key: UInt64)? {
        guard let first = top else { return nil }
        let last = times.count - 1
        times.swapAt(0, last)
        keys.swapAt(0, last)
        times.removeLast()
        keys.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var smallest = i
            if l < times.count, times[l] < times[smallest] { smallest = l }
            if r < times.count, times[r] < times[smallest] { smallest = r }
            if smallest == i { break }
            times.swapAt(i, smallest)
            keys.swapAt(i, smallest)
            i = smallest
        }
        return first
    }
}
