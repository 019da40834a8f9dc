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
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < count {
        tail |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
        shift += 8
        i += 1
    }
    h = mix(h ^ tail ^ 0xE703_7ED1_A0B4_28DB, 0x8EBC_6AF0_9C88_C6E3)
    return h == 0 ? 1 : h
}

/// ``byteHash(_:_:)`` of a string's UTF-8 bytes.
public func byteHash(_ string: String) -> UInt64 {
    var copy = string
    return copy.withUTF8 { byteHash(UnsafeRawPointer($0.baseAddress ?? UnsafePointer(bitPattern: 1)!), $0.count) }
}
