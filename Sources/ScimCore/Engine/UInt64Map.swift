/// A hash map from already well-mixed 64-bit keys to values: open addressing with linear probing
/// and backward-shift deletion over dense entry arrays (iteration touches only live entries).
///
/// Hand-written because `Dictionary` and `Set` hash every `UInt64` again with SipHash, which the
/// profile showed as the largest cost of the operation correlator; our keys are hashes already.
public struct UInt64Map<Value>: Sequence {
    public private(set) var keys: [UInt64] = []
    public private(set) var values: [Value] = []
    /// Entry index + 1 per slot; 0 = empty.
    private var slots: [Int32] = Array(repeating: 0, count: 16)

    public init() {}

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    @inline(__always)
    private func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: key ^ (key >> 29)) & (slots.count - 1) }

    @inline(__always)
    private func slot(of key: UInt64) -> Int? {
        let mask = slots.count - 1
        var s = home(key)
        while true {
            let e = slots[s]
            if e == 0 { return nil }
            if keys[Int(e) - 1] == key { return s }
            s = (s + 1) & mask
        }
    }

    public subscript(key: UInt64) -> Value? {
        @inline(__always) get {
            guard let s = slot(of: key) else { return nil }
            return values[Int(slots[s]) - 1]
        }
        set {
            if let newValue { set(key, newValue) } else { remove(key) }
        }
    }

    public func contains(_ key: UInt64) -> Bool { slot(of: key) != nil }

    /// Inserts or replaces.
    @inline(__always)
    public mutating func set(_ key: UInt64, _ value: Value) {
        if let s = slot(of: key) {
            values[Int(slots[s]) - 1] = value
            return
        }
        if (keys.count + 1) * 2 > slots.count { grow() }
        keys.append(key)
        values.append(value)
        let mask = slots.count - 1
        var s = home(key)
        while slots[s] != 0 { s = (s + 1) & mask }
        slots[s] = Int32(keys.count)
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
        let entry = Int(slots[hole]) - 1
        let removed = values[entry]
        let mask = slots.count - 1
        // Backward shift: pull later members of the probe run into the hole.
        var next = (hole + 1) & mask
        while slots[next] != 0 {
            let h = home(keys[Int(slots[next]) - 1])
            if (hole - h) & mask <= (next - h) & mask {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = 0
        // Keep entries dense: move the last entry into the freed place.
        let last = keys.count - 1
        if entry != last {
            let movedKey = keys[last]
            let movedSlot = slot(of: movedKey)!
            keys[entry] = movedKey
            values[entry] = values[last]
            slots[movedSlot] = Int32(entry + 1)
        }
        keys.removeLast()
        values.removeLast()
        return removed
    }

    public mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = 0 }
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (i, key) in keys.enumerated() {
            var s = home(key)
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = Int32(i + 1)
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
