/// A fast, seedless 64-bit hash of raw bytes, stable across processes (so it can be persisted, unlike
/// Swift's randomly seeded `Hasher`). Written by hand: no listed library offers a stable byte hash.
/// Never returns 0, which callers use as "none".
@inlinable
public func byteHash(_ base: UnsafeRawPointer, _ count: Int) -> UInt64 {
    @inline(__always) func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let r = a.multipliedFullWidth(by: b)
        return r.high ^ r.low
    }
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
    var i = 0
    while i + 8 <= count {
        let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        h = mix(h ^ word, 0xA076_1D64_78BD_642F)
        i += 8
    }
    // The last 1 to 7 bytes as a little-endian word, read without touching a byte past `count`: an
    // overlapping load shifted right when the input has a full word, two overlapping 4-byte loads
    // for 4 to 7 bytes, single bytes below that (the same value every way).
    let rest = count - i
    var tail: UInt64 = 0
    if rest > 0 {
        if count >= 8 {
            tail = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)) >> (64 - 8 * UInt64(rest))
        } else if rest >= 4 {
            let first = UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
            let last = UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)))
            tail = first | last << (8 * UInt64(rest - 4))
        } else {
            for k in 0..<rest { tail |= UInt64(base.load(fromByteOffset: i + k, as: UInt8.self)) << (8 * UInt64(k)) }
        }
    }
    h = mix(h ^ tail ^ 0xE703_7ED1_A0B4_28DB, 0x8EBC_6AF0_9C88_C6E3)
    return h == 0 ? 1 : h
}

/// ``byteHash(_:_:)`` of a string's UTF-8 bytes.
public func byteHash(_ string: String) -> UInt64 {
    var copy = string
    return copy.withUTF8 { byteHash(UnsafeRawPointer($0.baseAddress ?? UnsafePointer(bitPattern: 1)!), $0.count) }
}
