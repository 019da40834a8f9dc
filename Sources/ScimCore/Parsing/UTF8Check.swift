/// Validates UTF-8 with an ASCII fast path (8 bytes at a time): most log lines are pure ASCII.
public enum UTF8Check {
    /// `true` when the bytes are well-formed UTF-8 without NUL bytes.
    @inline(__always)
    public static func isValid(_ base: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        // 0x80 in a byte = non-ASCII; a zero byte = NUL (checked with the classic haszero trick).
        while i + 8 <= count {
            let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            let hasZero = (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080
            if w & 0x8080_8080_8080_8080 != 0 || hasZero != 0 { break }
            i += 8
        }
        while i < count {
            let b = base[i]
            if b == 0 { return false }
            if b < 0x80 { i += 1; continue }
            let need: Int
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: need = 1; scalar = UInt32(b & 0x1F)
            case 0xE0...0xEF: need = 2; scalar = UInt32(b & 0x0F)
            case 0xF0...0xF4: need = 3; scalar = UInt32(b & 0x07)
            default: return false
            }
            guard i + need < count else { return false }
            for k in 1...need {
                let c = base[i + k]
                guard c & 0xC0 == 0x80 else { return false }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if need == 2, scalar < 0x800 || (0xD800...0xDFFF).contains(scalar) { return false }
            if need == 3, scalar < 0x10000 || scalar > 0x10FFFF { return false }
            i += need + 1
        }
        return true
    }
}
