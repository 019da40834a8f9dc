import CPrefetch

/// A hash map from already well-mixed, non-zero 64-bit keys to values: open addressing with linear
/// probing and backward-shift deletion over dense entry arrays (iteration touches only live entries).
/// Slots hold the key itself, so a probe reads one array (one cache line) to find or miss a key.
///
/// Hand-written because `Dictionary` and `Set` hash every `UInt64` again with SipHash, which the
/// profile showed as the largest cost of the operation correlator; our keys are hashes already.
public struct UInt64Map<Value>: Sequence {
    public private(set) var keys: [UInt64] = []
    public private(set) var values: [Value] = []
    /// The key in each slot (0 = empty) and its entry index.
    private var slotKeys: [UInt64] = Array(repeating: 0, count: 16)
    private var slotEntries: [Int32] = Array(repeating: 0, count: 16)

    public init() {}

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    @inline(__always)
    private func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: key ^ (key >> 29)) & (slotKeys.count - 1) }

    @inline(__always)
    private func slot(of key: UInt64) -> Int? {
        let mask = slotKeys.count - 1
        var s = home(key)
        while true {
            let k = slotKeys[s]
            if k == key { return s }
            if k == 0 { return nil }
            s = (s + 1) & mask
        }
    }

    /// Asks for the slot `key` probes first, so that a lookup soon after finds it in the cache.
    @inline(__always)
    public func prefetch(_ key: UInt64) {
        let s = home(key)
        slotKeys.withUnsafeBufferPointer { scim_prefetch($0.baseAddress! + s) }
        slotEntries.withUnsafeBufferPointer { scim_prefetch($0.baseAddress! + s) }
    }

    public subscript(key: UInt64) -> Value? {
        @inline(__always) get {
            guard let s = slot(of: key) else { return nil }
            return values[Int(slotEntries[s])]
        }
        set {
            if let newValue { set(key, newValue) } else { remove(key) }
        }
    }

    public func contains(_ key: UInt64) -> Bool { slot(of: key) != nil }

    /// Inserts or replaces.
    @inline(__always)
    public mutating func set(_ key: UInt64, _ value: Value) {
        precondition(key != 0, "UInt64Map keys must not be 0")
        if let s = slot(of: key) {
            values[Int(slotEntries[s])] = value
            return
        }
        if (keys.count + 1) * 2 > slotKeys.count { grow() }
        keys.append(key)
        values.append(value)
        let mask = slotKeys.count - 1
        var s = home(key)
        while slotKeys[s] != 0 { s = (s + 1) & mask }
        slotKeys[s] = key
        slotEntries[s] = Int32(keys.count - 1)
    }

    /// Inserts when absent; returns whether it did.
    @discardableResult
    public mutating func insert(_ key: UInt64, _ value: Value) -> Bool {
        if contains(key) { return false }
        set(key, value)
        return true
    }

    /// Removes and returns the value, if present.
    @discardableResult
    public mutating func remove(_ key: UInt64) -> Value? {
        guard var hole = slot(of: key) else { return nil }
        let entry = Int(slotEntries[hole])
        let removed = values[entry]
        let mask = slotKeys.count - 1
        // Backward shift: pull later members of the probe run into the hole.
        var next = (hole + 1) & mask
        while slotKeys[next] != 0 {
            let h = home(slotKeys[next])
            if (hole - h) & mask <= (next - h) & mask {
                slotKeys[hole] = slotKeys[next]
                slotEntries[hole] = slotEntries[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slotKeys[hole] = 0
        // Keep entries dense: move the last entry into the freed place.
        let last = keys.count - 1
        if entry != last {
            let movedKey = keys[last]
            let movedSlot = slot(of: movedKey)!
            keys[entry] = movedKey
            values[entry] = values[last]
            slotEntries[movedSlot] = Int32(entry)
        }
        keys.removeLast()
        values.removeLast()
        return removed
    }

    public mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        for i in slotKeys.indices { slotKeys[i] = 0 }
    }

    private mutating func grow() {
        slotKeys = Array(repeating: 0, count: slotKeys.count * 2)
        slotEntries = Array(repeating: 0, count: slotKeys.count)
        let mask = slotKeys.count - 1
        for (i, key) in keys.enumerated() {
            var s = home(key)
            while slotKeys[s] != 0 { s = (s + 1) & mask }
            slotKeys[s] = key
            slotEntries[s] = Int32(i)
        }
    }

    public func makeIterator() -> Zip2Sequence<[UInt64], [Value]>.Iterator { zip(keys, values).makeIterator() }
}

extension UInt64Map: Sendable where Value: Sendable {}

/// A set of well-mixed 64-bit keys.
public typealias UInt64Set = UInt64Map<Void>

extension UInt64Map where Value == Void {
    @discardableResult
    public mutating func insert(_ key: UInt64) -> Bool { insert(key, ()) }
}
