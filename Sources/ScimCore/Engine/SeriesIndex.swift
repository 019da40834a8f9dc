/// Maps packed 64-bit series keys to dense indexes, with open addressing and linear probing.
///
/// Hand-written instead of `Dictionary` because the ingest path looks a key up per event and the
/// standard hashing (SipHash) costs more than everything else on that path. Keys are never removed:
/// series are bounded by the label caps.
public struct SeriesIndex: Sendable {
    /// Keys in insertion order; a key's index is its position here.
    public private(set) var keys: [UInt64] = []
    /// The index of the key in each slot (-1 = empty), at most half of them used. The slots are 4 bytes
    /// so the table stays small (a request counter family has a thousand series or more, and this is
    /// read per event): a probe reads a slot, then the key it points to.
    private var slots: [Int32] = Array(repeating: -1, count: 16)

    public init() {}

    public var count: Int { keys.count }

    /// The index of `key`, adding it when new. `isNew` says which.
    @inline(__always)
    public mutating func index(of key: UInt64) -> (index: Int, isNew: Bool) {
        let (found, slot) = probe(key)
        if let found { return (found, false) }
        let index = keys.count
        keys.append(key)
        if keys.count * 2 > slots.count {
            grow()
        } else {
            slots[slot] = Int32(index)
        }
        return (index, true)
    }

    /// The index of `key` if present.
    public func existingIndex(of key: UInt64) -> Int? { probe(key).index }

    /// The index of `key`, or else the empty slot where it would go.
    @inline(__always)
    private func probe(_ key: UInt64) -> (index: Int?, slot: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.mix(key)) & mask
        while true {
            let i = slots[slot]
            if i < 0 { return (nil, slot) }
            if keys[Int(i)] == key { return (Int(i), slot) }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (i, key) in keys.enumerated() {
            var slot = Int(truncatingIfNeeded: Self.mix(key)) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(i)
        }
    }

    /// Spreads every bit of a packed key over the slot bits (MurmurHash3's 64-bit finaliser). A single
    /// multiply left the tenant bits (40 and up) out of the low slot bits of small tables, so series that
    /// differ only by tenant shared a probe run.
    @inline(__always)
    static func mix(_ key: UInt64) -> UInt64 {
        var x = key
        x ^= x >> 33
        x = x &* 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x = x &* 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x
    }
}
