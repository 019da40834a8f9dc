/// The recent event ids (as 64-bit hashes), bounded in event time and in count.
///
/// An id seen again within the window is a duplicate. Ids leave in arrival order once older than the
/// window (relative to the latest event time) or when the count cap is reached. New ids since the last
/// checkpoint are kept in `unsaved` so the store can append them as one segment.
public struct DuplicateWindow: Sendable {
    public let windowMs: Int64
    public let capacity: Int
    /// Ids not yet written by a checkpoint, in arrival order: hash, time.
    public private(set) var unsaved: [(hash: UInt64, time: Int64)] = []
    /// False when nothing is persisted (an in-memory replay): then `unsaved` is not kept.
    public var tracksUnsaved = true

    /// The ids held (a hash set of the keys themselves: see ``UInt64Map``).
    private var set = UInt64Set()
    private var ringHashes: [UInt64] = []
    private var ringTimes: [Int64] = []
    private var head = 0

    public init(windowMs: Int64 = 86_400_000, capacity: Int = 1_000_000) {
        self.windowMs = windowMs
        self.capacity = max(capacity, 1)
    }

    /// The number of ids held.
    public var count: Int { ringHashes.count - head }

    /// Asks for the table slot `hash` would probe first, so a later ``insert(_:time:latest:)`` finds it cached.
    @inline(__always)
    public func prefetch(_ hash: UInt64) { set.prefetch(hash) }

    /// Records `hash` seen at `time`; returns `false` when it is a duplicate.
    @inline(__always)
    public mutating func insert(_ hash: UInt64, time: Int64, latest: Int64) -> Bool {
        guard set.insert(hash) else { return false }
        ringHashes.append(hash)
        ringTimes.append(time)
        if tracksUnsaved { unsaved.append((hash, time)) }
        evict(latest: latest)
        return true
    }

    /// Restores ids from the store, oldest first, without marking them unsaved.
    public mutating func restore(_ hash: UInt64, time: Int64, latest: Int64) {
        guard hash != 0, time >= latest - windowMs, set.insert(hash) else { return }
        ringHashes.append(hash)
        ringTimes.append(time)
        evict(latest: latest)
    }

    /// Called once a checkpoint has stored `unsaved`.
    public mutating func markSaved() { unsaved.removeAll(keepingCapacity: true) }

    private mutating func evict(latest: Int64) {
        let oldest = latest - windowMs
        while head < ringHashes.count, ringTimes[head] < oldest || ringHashes.count - head > capacity {
            set.remove(ringHashes[head])
            head += 1
        }
        if head > 4096, head * 2 > ringHashes.count {
            ringHashes.removeFirst(head)
            ringTimes.removeFirst(head)
            head = 0
        }
    }
}
