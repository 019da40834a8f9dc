import CPrefetch

/// A hash map from already well-mixed, non-zero 64-bit keys to values: open addressing with linear
/// probing and backward-shift deletion, each slot holding its key and value together, so that a lookup
/// reads one place (one or two cache lines, which ``prefetch(_:)`` can ask for ahead of time).
///
/// Hand-written because `Dictionary` and `Set` hash every `UInt64` again with SipHash, which the
/// profile showed as the largest cost of the operation correlator; our keys are hashes already. An
/// earlier layout kept entries dense beside an index of slots: every lookup then missed the cache twice
/// (slot, then entry) and every removal a third time (the moved last entry's slot).
///
/// Empty slots hold `vacant` as their value. Iteration is in slot order, not insertion order.
public struct UInt64Map<Value>: Sequence {
    /// The key in each slot (0 = empty) and its value.
    private var slots: [(key: UInt64, value: Value)]
    private let vacant: Value
    public private(set) var count = 0

    /// `vacant` fills empty slots; it is never returned.
    public init(vacant: Value) {
        self.vacant = vacant
        slots = Array(repeating: (0, vacant), count: 16)
    }

    public var isEmpty: Bool { count == 0 }

    @inline(__always)
    private func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: key ^ (key >> 29)) & (slots.count - 1) }

    @inline(__always)
    private func slot(of key: UInt64) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var s = Int(truncatingIfNeeded: key ^ (key >> 29)) & mask
            while true {
                let k = slots[s].key
                if k == key { return s }
                if k == 0 { return nil }
                s = (s + 1) & mask
            }
        }
    }

    /// Asks for the slot `key` probes first (both cache lines when it straddles two), so that a lookup
    /// soon after finds it in the cache.
    @inline(__always)
    public func prefetch(_ key: UInt64) {
        let s = home(key)
        slots.withUnsafeBufferPointer { slots in
            let start = UnsafeRawPointer(slots.baseAddress! + s)
            scim_prefetch(start)
            scim_prefetch(start + (MemoryLayout<(key: UInt64, value: Value)>.size - 1))
        }
    }

    public subscript(key: UInt64) -> Value? {
        @inline(__always) get {
            guard let s = slot(of: key) else { return nil }
            return slots[s].value
        }
        set {
            if let newValue { set(key, newValue) } else { remove(key) }
        }
    }

    public func contains(_ key: UInt64) -> Bool { slot(of: key) != nil }

    /// The slot holding `key`, to read, replace or remove its value without probing again. Valid until
    /// the map is next changed other than by ``replace(at:with:)``.
    @inline(__always)
    public func find(_ key: UInt64) -> Int? { slot(of: key) }

    @inline(__always)
    public func value(at slot: Int) -> Value { slots[slot].value }

    @inline(__always)
    public mutating func replace(at slot: Int, with value: Value) { slots[slot].value = value }

    /// Inserts or replaces.
    @inline(__always)
    public mutating func set(_ key: UInt64, _ value: Value) {
        precondition(key != 0, "UInt64Map keys must not be 0")
        let mask = slots.count - 1
        var s = home(key)
        while true {
            let k = slots[s].key
            if k == key {
                slots[s].value = value
                return
            }
            if k == 0 { break }
            s = (s + 1) & mask
        }
        if (count + 1) * 2 > slots.count {
            grow()
            set(key, value)
            return
        }
        slots[s] = (key, value)
        count += 1
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
        guard let s = slot(of: key) else { return nil }
        let removed = slots[s].value
        remove(at: s)
        return removed
    }

    /// Removes the entry in a slot that ``find(_:)`` returned.
    public mutating func remove(at slot: Int) {
        var hole = slot
        let mask = slots.count - 1
        // Backward shift: pull later members of the probe run into the hole.
        var next = (hole + 1) & mask
        while slots[next].key != 0 {
            let h = home(slots[next].key)
            if (hole - h) & mask <= (next - h) & mask {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = (0, vacant)
        count -= 1
    }

    public mutating func removeAll() {
        guard count > 0 else { return }
        for i in slots.indices where slots[i].key != 0 { slots[i] = (0, vacant) }
        count = 0
    }

    private mutating func grow() {
        let old = slots
        slots = largeTable(repeating: (0, vacant), count: old.count * 2)
        let mask = slots.count - 1
        for entry in old where entry.key != 0 {
            var s = home(entry.key)
            while slots[s].key != 0 { s = (s + 1) & mask }
            slots[s] = entry
        }
    }

    /// The keys, in slot order.
    public var keys: [UInt64] { map(\.key) }
    /// The values, in slot order.
    public var values: [Value] { map(\.value) }

    public struct Iterator: IteratorProtocol {
        fileprivate let slots: [(key: UInt64, value: Value)]
        fileprivate var position = 0

        public mutating func next() -> (key: UInt64, value: Value)? {
            while position < slots.count {
                defer { position += 1 }
                if slots[position].key != 0 { return slots[position] }
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator { Iterator(slots: slots) }
    public var underestimatedCount: Int { count }
}

extension UInt64Map: Sendable where Value: Sendable {}

/// A set of well-mixed 64-bit keys.
public typealias UInt64Set = UInt64Map<Void>

extension UInt64Map where Value == Void {
    public init() { self.init(vacant: ()) }

    @discardableResult
    public mutating func insert(_ key: UInt64) -> Bool { insert(key, ()) }
}
