/// Interns label values (tenant or target) from raw bytes, with a cap on distinct values.
///
/// A value is admitted the first time it is seen while fewer than `cap` values are held; once full,
/// new values fold into `__other__` (id 0). Admission is sticky, so a series never moves between label
/// values and counters stay monotonic. A `String` is made only when a value is first admitted.
public struct LabelTable: Sendable {
    /// The folded value's name.
    public static let other = "__other__"

    public let cap: Int
    /// Values by ``LabelID``; index 0 is `__other__`.
    public private(set) var values: [String]
    /// How many times a value was folded into `__other__`.
    public internal(set) var foldedCount: UInt64 = 0

    private var arena: [UInt8] = []
    private var starts: [Int] = []
    private var hashes: [UInt64] = []
    private var slots: [Int32]

    public init(cap: Int) {
        self.cap = max(cap, 0)
        values = [Self.other]
        starts = [0]
        hashes = [0]
        slots = Array(repeating: -1, count: 64)
        arena.reserveCapacity(1024)
    }

    /// Rebuilds a table holding `values` (index 0 must be `__other__`), as restored from a checkpoint.
    public init(cap: Int, restoring restored: [String], foldedCount: UInt64) {
        self.init(cap: cap)
        for value in restored.dropFirst() { _ = intern(value, countFold: false) }
        self.foldedCount = foldedCount
    }

    /// The number of admitted values, `__other__` excluded.
    public var admittedCount: Int { values.count - 1 }

    /// The id of a value given as valid UTF-8 bytes (no JSON escapes). Empty values are `__other__`.
    @inline(__always)
    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> LabelID {
        intern(bytes, countFold: true)
    }

    /// The id of a value given as a `String`.
    public mutating func intern(_ value: String) -> LabelID { intern(value, countFold: true) }

    private mutating func intern(_ value: String, countFold: Bool) -> LabelID {
        var copy = value
        return copy.withUTF8 { intern(UnsafeRawBufferPointer($0), countFold: countFold) }
    }

    @inline(__always)
    private mutating func intern(_ bytes: UnsafeRawBufferPointer, countFold: Bool) -> LabelID {
        let count = bytes.count
        guard let base = bytes.baseAddress, count > 0 else { return 0 }
        let hash = byteHash(base, count)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[slot]
            if id < 0 { break }
            if hashes[Int(id)] == hash, length(of: Int(id)) == count,
               arena.withUnsafeBytes({ memcmpEqual($0.baseAddress! + starts[Int(id)], base, count) }) {
                return id
            }
            slot = (slot + 1) & mask
        }
        return admit(bytes, hash: hash, countFold: countFold)
    }

    private func length(of id: Int) -> Int {
        (id + 1 < starts.count ? starts[id + 1] : arena.count) - starts[id]
    }

    private mutating func admit(_ bytes: UnsafeRawBufferPointer, hash: UInt64, countFold: Bool) -> LabelID {
        let raw = String(decoding: bytes, as: UTF8.self)
        if raw == Self.other { return 0 }
        guard values.count - 1 < cap else {
            if countFold { foldedCount &+= 1 }
            return 0
        }
        let id = LabelID(values.count)
        values.append(raw)
        starts.append(arena.count)
        arena.append(contentsOf: bytes)
        hashes.append(hash)
        if values.count * 2 > slots.count { rehash(to: slots.count * 2) } else { place(id, hash: hash) }
        return id
    }

    private mutating func place(_ id: LabelID, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = id
    }

    private mutating func rehash(to size: Int) {
        slots = Array(repeating: -1, count: size)
        for id in 1..<values.count { place(LabelID(id), hash: hashes[id]) }
    }
}

@inline(__always)
func memcmpEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    var i = 0
    while i + 8 <= count {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < count {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}
