import CPrefetch

/// A hash map from already well-mixed, non-zero 64-bit keys to values: open addressing with linear
/// probing and backward-shift deletion, each slot holding its key and value together, so that a lookup
/// reads one place (one cache line for slots of up to 64 bytes, which ``prefetch(_:)`` can ask for
/// ahead of time).
///
/// Hand-written because `Dictionary` and `Set` hash every `UInt64` again with SipHash, on the
/// correlator's every lookup, while our keys are hashes already. Entries live in their slots (not dense
/// beside an index of slots), so a lookup misses the cache once, not twice.
///
/// Empty slots hold `vacant` as their value. Iteration is in slot order, not insertion order.
public struct UInt64Map<Value>: Sequence {
    private typealias Slot = (key: UInt64, value: Value)
    /// The key in each slot (0 = empty) and its value; a power of two of them, aligned so that a slot of
    /// up to 64 bytes never straddles two cache lines (see ``LargeTable``).
    private var table: LargeTable<Slot>
    private let vacant: Value
    public private(set) var count = 0

    /// `vacant` fills empty slots; it is never returned.
    public init(vacant: Value) {
        self.vacant = vacant
        table = LargeTable(repeating: (0, vacant), count: 16)
    }

    public var isEmpty: Bool { count == 0 }

    /// The slots, this map's own (copied first when shared): taken once per mutating call.
    @inline(__always)
    private mutating func uniqueSlots() -> UnsafeMutablePointer<Slot> {
        if !isKnownUniquelyReferenced(&table) { table = table.copy() }
        return table.elements
    }

    @inline(__always)
    private func home(_ key: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: key ^ (key >> 29)) & mask }

    @inline(__always)
    private func slot(of key: UInt64) -> Int? {
        let slots = table.elements
        let mask = table.count - 1
        var s = home(key, mask)
        while true {
            let k = slots[s].key
            if k == key { return s }
            if k == 0 { return nil }
            s = (s + 1) & mask
        }
    }

    /// Asks for the slot `key` probes first, so that a lookup soon after finds it in the cache.
    @inline(__always)
    public func prefetch(_ key: UInt64) { prefetch(slot: home(key, table.count - 1)) }

    /// ``prefetch(_:)`` and the slot after, which removing the entry reads (backward shift): where that
    /// slot starts a cache line, removal would otherwise wait for a second miss.
    @inline(__always)
    public func prefetchForRemoval(_ key: UInt64) {
        let mask = table.count - 1
        let s = home(key, mask)
        prefetch(slot: s)
        prefetch(slot: (s + 1) & mask)
    }

    @inline(__always)
    private func prefetch(slot: Int) {
        let start = UnsafeRawPointer(table.elements + slot)
        scim_prefetch(start)
        // Only a slot whose size does not divide a cache line can straddle two (a constant per type).
        if 64 % MemoryLayout<Slot>.stride != 0 { scim_prefetch(start + (MemoryLayout<Slot>.stride - 1)) }
    }

    public subscript(key: UInt64) -> Value? {
        @inline(__always) get {
            guard let s = slot(of: key) else { return nil }
            return table.elements[s].value
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
    public func value(at slot: Int) -> Value {
        precondition(slot >= 0 && slot < table.count)
        return table.elements[slot].value
    }

    @inline(__always)
    public mutating func replace(at slot: Int, with value: Value) {
        precondition(slot >= 0 && slot < table.count)
        uniqueSlots()[slot].value = value
    }

    /// Inserts or replaces.
    @inline(__always)
    public mutating func set(_ key: UInt64, _ value: Value) {
        precondition(key != 0, "UInt64Map keys must not be 0")
        if let s = slot(of: key) {
            uniqueSlots()[s].value = value
            return
        }
        insertNew(key, value)
    }

    /// Inserts a key the caller knows is absent (it just failed to ``find(_:)`` it): one probe, not two.
    @inline(__always)
    public mutating func insertNew(_ key: UInt64, _ value: Value) {
        precondition(key != 0, "UInt64Map keys must not be 0")
        if (count + 1) * 2 > table.count { grow() }
        let slots = uniqueSlots()
        let mask = table.count - 1
        var s = home(key, mask)
        while slots[s].key != 0 {
            assert(slots[s].key != key, "insertNew of a present key")
            s = (s + 1) & mask
        }
        slots[s] = (key, value)
        count += 1
    }

    /// Inserts when absent, with one probe; returns whether it did.
    @discardableResult
    @inline(__always)
    public mutating func insert(_ key: UInt64, _ value: Value) -> Bool {
        precondition(key != 0, "UInt64Map keys must not be 0")
        if (count + 1) * 2 > table.count { grow() }
        let slots = uniqueSlots()
        let mask = table.count - 1
        var s = home(key, mask)
        while true {
            let k = slots[s].key
            if k == key { return false }
            if k == 0 { break }
            s = (s + 1) & mask
        }
        slots[s] = (key, value)
        count += 1
        return true
    }

    /// Removes and returns the value, if present.
    @discardableResult
    public mutating func remove(_ key: UInt64) -> Value? {
        guard let s = slot(of: key) else { return nil }
        let removed = table.elements[s].value
        remove(at: s)
        return removed
    }

    /// Removes the entry in a slot that ``find(_:)`` returned.
    @inline(__always)
    public mutating func remove(at slot: Int) {
        precondition(slot >= 0 && slot < table.count)
        let slots = uniqueSlots()
        let mask = table.count - 1
        var hole = slot
        // Backward shift: pull later members of the probe run into the hole.
        var next = (hole + 1) & mask
        while slots[next].key != 0 {
            let h = home(slots[next].key, mask)
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
        let slots = uniqueSlots()
        for i in 0..<table.count where slots[i].key != 0 { slots[i] = (0, vacant) }
        count = 0
    }

    /// Four times larger while small (fewer rehashes on the way to a large table, such as the duplicate
    /// window's million ids), then twice.
    private mutating func grow() {
        let old = table
        table = LargeTable(repeating: (0, vacant), count: old.count * (old.count < 1 << 20 ? 4 : 2))
        let slots = table.elements
        let mask = table.count - 1
        for i in 0..<old.count where old.elements[i].key != 0 {
            var s = home(old.elements[i].key, mask)
            while slots[s].key != 0 { s = (s + 1) & mask }
            slots[s] = old.elements[i]
        }
    }

    /// The keys, in slot order.
    public var keys: [UInt64] { map(\.key) }
    /// The values, in slot order.
    public var values: [Value] { map(\.value) }

    public struct Iterator: IteratorProtocol {
        fileprivate let table: LargeTable<(key: UInt64, value: Value)>
        fileprivate var position = 0

        public mutating func next() -> (key: UInt64, value: Value)? {
            while position < table.count {
                defer { position += 1 }
                if table.elements[position].key != 0 { return table.elements[position] }
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator { Iterator(table: table) }
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
