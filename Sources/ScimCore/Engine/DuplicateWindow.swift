import CPrefetch

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

    private var set = HashSet64()
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
        guard time >= latest - windowMs, set.insert(hash) else { return }
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

/// A set of non-zero 64-bit hashes: open addressing, linear probing, backward-shift deletion.
/// Hand-written for the same reason as ``SeriesIndex``: one lookup per event.
struct HashSet64: Sendable {
    /// The hashes, 0 in empty slots (see ``LargeTable`` for the memory).
    private var table = LargeTable<UInt64>(repeating: 0, count: 1024)
    private(set) var count = 0

    /// The slots, this set's own (copied first when shared): taken once per mutating call.
    @inline(__always)
    private mutating func uniqueSlots() -> UnsafeMutablePointer<UInt64> {
        if !isKnownUniquelyReferenced(&table) { table = table.copy() }
        return table.elements
    }

    @inline(__always)
    func prefetch(_ hash: UInt64) {
        scim_prefetch(table.elements + (Int(truncatingIfNeeded: hash) & (table.count - 1)))
    }

    /// Inserts; `false` if already present.
    @inline(__always)
    mutating func insert(_ hash: UInt64) -> Bool {
        if (count + 1) * 2 > table.count { grow() }
        let slots = uniqueSlots()
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let value = slots[slot]
            if value == 0 { break }
            if value == hash { return false }
            slot = (slot + 1) & mask
        }
        slots[slot] = hash
        count += 1
        return true
    }

    mutating func remove(_ hash: UInt64) {
        let slots = uniqueSlots()
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != hash {
            if slots[slot] == 0 { return }
            slot = (slot + 1) & mask
        }
        // Backward shift: move later entries of the probe run into the hole.
        var hole = slot
        var next = (hole + 1) & mask
        while slots[next] != 0 {
            let home = Int(truncatingIfNeeded: slots[next]) & mask
            let distanceNext = (next - home) & mask
            let distanceHole = (hole - home) & mask
            if distanceHole < distanceNext || distanceHole == distanceNext {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = 0
        count -= 1
    }

    private mutating func grow() {
        // Four times larger while small: fewer rehashes on the way to a full window (a million ids).
        let old = table
        table = LargeTable(repeating: 0, count: old.count * (old.count < 1 << 20 ? 4 : 2))
        count = 0
        for i in 0..<old.count where old.elements[i] != 0 { _ = insert(old.elements[i]) }
    }
}
