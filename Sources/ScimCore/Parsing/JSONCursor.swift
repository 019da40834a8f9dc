/// A forward-only reader over the bytes of one JSON text, used by every parser.
///
/// Written by hand because the hot path must read bytes without building a `String` or a Foundation
/// object per line, and because each failure has to be reported with its reason. It checks structure
/// (quotes, escapes, brackets, numbers); UTF-8 validity is checked once per line by ``UTF8Check``.
public struct JSONCursor {
    public let base: UnsafePointer<UInt8>
    public let end: Int
    public var position: Int

    /// The deepest nesting of arrays and objects read; deeper is the parse error `too_deep`. Reading
    /// recurses once per level, so without a limit a line of nested brackets would overflow the stack
    /// (a crash, the line never counted). Real records nest a few levels (an Entra export batch, its
    /// envelope, the record, its details), so 64 rejects nothing real, and 64 frames fit in any stack.
    public static let maxDepth = 64

    public init(_ bytes: UnsafeRawBufferPointer) {
        base = bytes.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) }
            ?? UnsafePointer(bitPattern: 1)!
        end = bytes.count
        position = 0
    }

    @inline(__always) public var atEnd: Bool { position >= end }

    @inline(__always) public func peek() -> UInt8 { position < end ? base[position] : 0 }

    @inline(__always)
    public mutating func skipWhitespace() {
        while position < end {
            let b = base[position]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { position += 1 } else { return }
        }
    }

    @inline(__always)
    public mutating func consume(_ byte: UInt8) throws(ParseError) {
        skipWhitespace()
        guard position < end, base[position] == byte else { throw ParseError(.invalidJSON) }
        position += 1
    }

    /// Consumes `byte` if it is next (after whitespace).
    @inline(__always)
    public mutating func consumeIf(_ byte: UInt8) -> Bool {
        skipWhitespace()
        if position < end, base[position] == byte { position += 1; return true }
        return false
    }

    /// A string token: the raw bytes between the quotes, and whether they hold escapes.
    public struct StringToken {
        public var start: Int
        public var count: Int
        public var hasEscapes: Bool
    }

    /// Reads a string starting at the current `"`. A string with non-ASCII bytes is checked for valid
    /// UTF-8 here, so callers need no separate pass over the line (a NUL byte counts as invalid UTF-8).
    @inline(__always)
    public mutating func readString() throws(ParseError) -> StringToken {
        guard position < end, base[position] == UInt8(ascii: "\"") else { throw ParseError(.wrongType) }
        position += 1
        let start = position
        var escapes = false
        var nonASCII = false
        while position < end {
            // Eight bytes at a time up to the first byte that needs a look (see ``specialBytes(_:)``).
            while position + 8 <= end {
                let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                let special = Self.specialBytes(word)
                if special == 0 { position += 8; continue }
                position += special.trailingZeroBitCount >> 3
                break
            }
            guard position < end else { break }
            let b = base[position]
            if b == UInt8(ascii: "\"") {
                let token = StringToken(start: start, count: position - start, hasEscapes: escapes)
                position += 1
                if nonASCII, !UTF8Check.isValid(base + token.start, token.count) { throw ParseError(.invalidUTF8) }
                return token
            }
            if b == UInt8(ascii: "\\") {
                escapes = true
                position += 2
                continue
            }
            if b < 0x20 { throw ParseError(b == 0 ? .invalidUTF8 : .invalidJSON) }
            if b >= 0x80 { nonASCII = true }
            position += 1
        }
        throw ParseError(.invalidJSON)
    }

    /// The high bit of each byte of a little-endian `word` that is `"`, `\`, a control byte (< 0x20) or
    /// non-ASCII (>= 0x80): the bytes a string scan must stop at. Only the lowest set bit is exact (a
    /// borrow can set bits above it), which is all ``readString()`` uses.
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let isQuote = (quote &- ones) & ~quote
        let isBackslash = (backslash &- ones) & ~backslash
        let isControl = (word &- ones &* 0x20) & ~word
        return (isQuote | isBackslash | isControl | word) & high
    }

    /// The bytes of a token without escapes.
    @inline(__always)
    public func bytes(of token: StringToken) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + token.start, count: token.count)
    }

    /// Decodes a string token, resolving escapes (including surrogate pairs).
    public func string(of token: StringToken) throws(ParseError) -> String {
        let raw = UnsafeBufferPointer(start: base + token.start, count: token.count)
        if !token.hasEscapes { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(token.count)
        var i = 0
        while i < raw.count {
            let b = raw[i]
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            guard i + 1 < raw.count else { throw ParseError(.invalidJSON) }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try Self.hex4(raw, at: i)
                i += 4
                if (0xD800..<0xDC00).contains(scalar), i + 6 <= raw.count, raw[i] == 0x5C, raw[i + 1] == UInt8(ascii: "u") {
                    let low = try Self.hex4(raw, at: i + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                throw ParseError(.invalidJSON)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex4(_ raw: UnsafeBufferPointer<UInt8>, at i: Int) throws(ParseError) -> UInt32 {
        guard i + 4 <= raw.count else { throw ParseError(.invalidJSON) }
        var value: UInt32 = 0
        for k in 0..<4 {
            let c = raw[i + k]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw ParseError(.invalidJSON)
            }
            value = value << 4 | digit
        }
        return value
    }

    /// Reads a JSON number at the current position and returns its value.
    @inline(__always)
    public mutating func readNumber() throws(ParseError) -> Double {
        let start = position
        var negative = false
        if position < end, base[position] == UInt8(ascii: "-") { negative = true; position += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        while position < end, base[position] &- 0x30 < 10 {
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(base[position] &- 0x30) } else { exponent += 1 }
            digits += 1
            position += 1
        }
        guard digits > 0 else { position = start; throw ParseError(.wrongType) }
        if position < end, base[position] == UInt8(ascii: ".") {
            position += 1
            var fraction = 0
            while position < end, base[position] &- 0x30 < 10 {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(base[position] &- 0x30); exponent -= 1; digits += 1 }
                fraction += 1
                position += 1
            }
            guard fraction > 0 else { throw ParseError(.invalidJSON) }
        }
        if position < end, base[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            var expNegative = false
            if position < end, base[position] == UInt8(ascii: "-") || base[position] == UInt8(ascii: "+") {
                expNegative = base[position] == UInt8(ascii: "-")
                position += 1
            }
            var e = 0
            var expDigits = 0
            while position < end, base[position] &- 0x30 < 10 {
                if e < 10_000 { e = e * 10 + Int(base[position] &- 0x30) }
                expDigits += 1
                position += 1
            }
            guard expDigits > 0 else { throw ParseError(.invalidJSON) }
            exponent += expNegative ? -e : e
        }
        var value = Double(mantissa)
        if exponent != 0 { value *= Self.power10(exponent) }
        return negative ? -value : value
    }

    static func power10(_ e: Int) -> Double {
        if e > 308 { return .infinity }
        if e < -340 { return 0 }
        var result = 1.0
        var base = 10.0
        var n = abs(e)
        while n > 0 {
            if n & 1 == 1 { result *= base }
            base *= base
            n >>= 1
        }
        return e < 0 ? 1 / result : result
    }

    /// Consumes a literal (`true`, `false`, `null`).
    @inline(__always)
    public mutating func readLiteral() throws(ParseError) -> Bool? {
        func matches(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard position + n <= end else { return false }
            return memcmpEqual(base + position, word.utf8Start, n)
        }
        if matches("true") { position += 4; return true }
        if matches("false") { position += 5; return false }
        if matches("null") { position += 4; return nil }
        throw ParseError(.invalidJSON)
    }

    /// Skips any value, checking its structure.
    public mutating func skipValue(depth: Int = 0) throws(ParseError) {
        guard depth < Self.maxDepth else { throw ParseError(.tooDeep) }
        skipWhitespace()
        guard position < end else { throw ParseError(.invalidJSON) }
        switch base[position] {
        case UInt8(ascii: "\""):
            _ = try readString()
        case UInt8(ascii: "{"):
            position += 1
            if consumeIf(UInt8(ascii: "}")) { return }
            repeat {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else { throw ParseError(.invalidJSON) }
                _ = try readString()
                try consume(UInt8(ascii: ":"))
                try skipValue(depth: depth + 1)
            } while consumeIf(UInt8(ascii: ","))
            try consume(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            position += 1
            if consumeIf(UInt8(ascii: "]")) { return }
            repeat { try skipValue(depth: depth + 1) } while consumeIf(UInt8(ascii: ","))
            try consume(UInt8(ascii: "]"))
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            _ = try readLiteral()
        default:
            do { _ = try readNumber() } catch { throw ParseError(.invalidJSON) }
        }
    }
}
