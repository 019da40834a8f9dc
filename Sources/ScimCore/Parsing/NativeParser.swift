/// Parses the canonical event format (`native`, events.md): the hot path.
///
/// It reads the line's bytes once, matches keys by length and bytes in any order, interns `tenant` and
/// `target` straight from their bytes, and builds no `String` for a value it has seen before.
public struct NativeParser: Sendable {
    /// A tenant fixed by the configuration (interned); any `tenant` in a line is then ignored.
    public var boundTenant: LabelID?

    public init(boundTenant: LabelID? = nil) {
        self.boundTenant = boundTenant
    }

    /// Parses one line (without its newline) and appends the event.
    public func parse(
        _ line: UnsafeRawBufferPointer, labels: inout Labels, into events: inout [Event]
    ) throws(ParseError) {
        // UTF-8 is checked inside strings by the cursor; outside strings only ASCII is valid JSON.
        var c = JSONCursor(line)
        do {
            try c.consume(UInt8(ascii: "{"))
        } catch {
            throw UTF8Check.isValid(c.base, c.end) ? error : ParseError(.invalidUTF8)
        }

        var time: Int64?
        var tenant: LabelID?
        var target: LabelID?
        var operation: OperationKind?
        // The event's fields as locals, and the event made from them as it is appended: a local `Event`
        // made first, filled in and then appended was copied twice (its strings retained, and released
        // when the copy was destroyed). Made here, it is copied once, into `append`'s argument (the
        // compiler's doing); `consume` of a local event is refused by this compiler.
        var phase = Phase.attempt
        var status: Int16 = -1
        var outcome: Outcome?
        var durationMs: Double = -1
        var attempt: Int32 = 0
        var bulkTotal: Int32 = -1
        var bulkFailed: Int32 = -1
        var idHash: UInt64 = 0
        var subject: String?
        var correlationID: String?
        var subjectHash: UInt64 = 0
        var correlationHash: UInt64 = 0

        if !c.consumeIf(UInt8(ascii: "}")) {
            repeat {
                c.skipWhitespace()
                guard c.peek() == UInt8(ascii: "\"") else { throw ParseError(.invalidJSON) }
                let field: Field
                if let scanned = Field.scan(&c) {
                    field = scanned
                } else {
                    let key = try c.readString()
                    field = key.hasEscapes ? Field(named: try c.string(of: key)) : Field(c.base + key.start, key.count)
                }
                try c.consume(UInt8(ascii: ":"))
                c.skipWhitespace()
                switch field {
                case .time:
                    if c.peek() == UInt8(ascii: "\"") {
                        let token = try c.readString()
                        guard let t = EventTime.parseRFC3339(c.base + token.start, token.count) else {
                            throw ParseError(.badTime, "time")
                        }
                        time = t
                    } else {
                        let ms = try number(&c, "time")
                        guard ms == ms.rounded(), abs(ms) < 1e15 else { throw ParseError(.badTime, "time") }
                        time = Int64(ms)
                    }
                case .tenant:
                    if boundTenant != nil { try c.skipValue(); break }
                    let token = try string(&c, "tenant")
                    tenant = try intern(token, &c, in: &labels.tenants, "tenant")
                case .target:
                    let token = try string(&c, "target")
                    target = try intern(token, &c, in: &labels.targets, "target")
                case .operation:
                    let token = try string(&c, "operation")
                    guard let op = Self.operation(c.base + token.start, token.count) else {
                        throw ParseError(.unknownValue, "operation")
                    }
                    operation = op
                case .phase:
                    let token = try string(&c, "phase")
                    guard let value = Self.phase(c.base + token.start, token.count) else { throw ParseError(.unknownValue, "phase") }
                    phase = value
                case .outcome:
                    let token = try string(&c, "outcome")
                    guard let value = Self.outcome(c.base + token.start, token.count) else {
                        throw ParseError(.unknownValue, "outcome")
                    }
                    outcome = value
                case .id:
                    let token = try string(&c, "id")
                    idHash = token.hasEscapes ? byteHash(try c.string(of: token)) : byteHash(c.base + token.start, token.count)
                case .subject:
                    if try nullable(&c) { break }
                    let token = try string(&c, "subject")
                    let value = try c.string(of: token)
                    subject = value
                    if subjectHash == 0 { subjectHash = token.hasEscapes ? byteHash(value) : byteHash(c.base + token.start, token.count) }
                case .correlationID:
                    if try nullable(&c) { break }
                    let token = try string(&c, "correlation_id")
                    let correlation = try c.string(of: token)
                    correlationID = correlation
                    correlationHash = token.hasEscapes ? byteHash(correlation) : byteHash(c.base + token.start, token.count)
                    if token.count == 0 { correlationHash = 0 }
                case .status:
                    let value = try integer(&c, "status")
                    guard (0...999).contains(value) else { throw ParseError(.unknownValue, "status") }
                    status = Int16(value)
                case .durationMS:
                    if c.peek() == UInt8(ascii: "\"") {
                        let token = try c.readString()
                        var inner = JSONCursor(c.bytes(of: token))
                        guard let d = try? inner.readNumber(), inner.atEnd else { throw ParseError(.wrongType, "duration_ms") }
                        durationMs = d
                    } else {
                        durationMs = try number(&c, "duration_ms")
                    }
                    guard durationMs >= 0, durationMs.isFinite else { throw ParseError(.wrongType, "duration_ms") }
                case .attempt:
                    let value = try integer(&c, "attempt")
                    guard value >= 1, value < Int(Int32.max) else { throw ParseError(.wrongType, "attempt") }
                    attempt = Int32(value)
                case .bulkTotal:
                    let total = try integer(&c, "bulk_total")
                    guard total >= 0, total < Int(Int32.max) else { throw ParseError(.wrongType, "bulk_total") }
                    bulkTotal = Int32(total)
                case .bulkFailed:
                    let failed = try integer(&c, "bulk_failed")
                    guard failed >= 0, failed < Int(Int32.max) else { throw ParseError(.wrongType, "bulk_failed") }
                    bulkFailed = Int32(failed)
                case .other:
                    try c.skipValue()
                }
            } while c.consumeIf(UInt8(ascii: ","))
            try c.consume(UInt8(ascii: "}"))
        }
        c.skipWhitespace()
        guard c.atEnd else { throw ParseError(.invalidJSON) }

        guard let time else { throw ParseError(.missingField, "time") }
        if let boundTenant { tenant = boundTenant }
        guard let tenant else { throw ParseError(.missingField, "tenant") }
        guard let target else { throw ParseError(.missingField, "target") }
        guard let operation else { throw ParseError(.missingField, "operation") }
        if bulkFailed >= 0, bulkTotal < 0 { throw ParseError(.missingField, "bulk_total") }
        if bulkTotal >= 0, bulkFailed < 0 { bulkFailed = 0 }
        if bulkFailed > bulkTotal { throw ParseError(.wrongType, "bulk_failed") }
        events.append(Event(time: time, tenant: tenant, target: target, operation: operation, phase: phase, status: status,
                            outcome: outcome, durationMs: durationMs, attempt: attempt, bulkTotal: bulkTotal,
                            bulkFailed: bulkFailed, idHash: idHash, subject: subject, correlationID: correlationID,
                            identity: correlationHash != 0 ? correlationHash : subjectHash))
    }

    // MARK: - Values

    @inline(__always)
    private func string(_ c: inout JSONCursor, _ field: String) throws(ParseError) -> JSONCursor.StringToken {
        guard c.peek() == UInt8(ascii: "\"") else { throw ParseError(.wrongType, field) }
        return try c.readString()
    }

    /// Consumes `null` and returns true, or returns false for any other value.
    @inline(__always)
    private func nullable(_ c: inout JSONCursor) throws(ParseError) -> Bool {
        guard c.peek() == UInt8(ascii: "n") else { return false }
        _ = try c.readLiteral()
        return true
    }

    @inline(__always)
    private func number(_ c: inout JSONCursor, _ field: String) throws(ParseError) -> Double {
        let b = c.peek()
        guard b == UInt8(ascii: "-") || b &- 0x30 < 10 else {
            try c.skipValue()
            throw ParseError(.wrongType, field)
        }
        return try c.readNumber()
    }

    @inline(__always)
    private func integer(_ c: inout JSONCursor, _ field: String) throws(ParseError) -> Int {
        // Fast path: up to 15 plain digits ending the number (no sign, fraction or exponent).
        var value = 0
        var p = c.position
        while p < c.end, p - c.position < 15, c.base[p] &- 0x30 < 10 {
            value = value &* 10 &+ Int(c.base[p] &- 0x30)
            p += 1
        }
        if p > c.position, p - c.position < 15, p == c.end || !Self.continuesNumber(c.base[p]) {
            c.position = p
            return value
        }
        return try generalInteger(&c, field)
    }

    /// Whether `b` after digits makes them part of a longer number (or of a malformed one).
    @inline(__always)
    private static func continuesNumber(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ".") || b | 0x20 == UInt8(ascii: "e") || b &- 0x30 < 10
    }

    private func generalInteger(_ c: inout JSONCursor, _ field: String) throws(ParseError) -> Int {
        let value = try number(&c, field)
        guard value == value.rounded(), abs(value) < 1e15 else { throw ParseError(.wrongType, field) }
        return Int(value)
    }

    @inline(__always)
    private func intern(
        _ token: JSONCursor.StringToken, _ c: inout JSONCursor, in table: inout LabelTable, _ field: String
    ) throws(ParseError) -> LabelID {
        guard token.count > 0 else { throw ParseError(.missingField, field) }
        if token.hasEscapes { return table.intern(try c.string(of: token)) }
        return table.intern(c.bytes(of: token))
    }

    static func phase(_ p: UnsafePointer<UInt8>, _ n: Int) -> Phase? {
        func eq(_ s: StaticString) -> Bool { s.utf8CodeUnitCount == n && memcmpEqual(p, s.utf8Start, n) }
        return eq("attempt") ? .attempt : eq("requested") ? .requested : eq("completed") ? .completed : nil
    }

    static func outcome(_ p: UnsafePointer<UInt8>, _ n: Int) -> Outcome? {
        func eq(_ s: StaticString) -> Bool { s.utf8CodeUnitCount == n && memcmpEqual(p, s.utf8Start, n) }
        return eq("success") ? .success : eq("failure") ? .failure : eq("skipped") ? .skipped : nil
    }

    static func operation(_ p: UnsafePointer<UInt8>, _ n: Int) -> OperationKind? {
        func eq(_ s: StaticString) -> Bool { s.utf8CodeUnitCount == n && memcmpEqual(p, s.utf8Start, n) }
        switch n {
        case 4: return eq("read") ? .read : nil
        case 6: return eq("create") ? .create : eq("update") ? .update : eq("enable") ? .enable : eq("delete") ? .delete : nil
        case 7: return eq("disable") ? .disable : eq("unknown") ? .unknown : nil
        case 9: return eq("group_add") ? .groupAdd : nil
        case 12: return eq("group_remove") ? .groupRemove : eq("group_update") ? .groupUpdate : nil
        default: return nil
        }
    }

    // MARK: - Keys

    enum Field {
        case time, tenant, target, operation, phase, outcome, id, subject, correlationID, status
        case durationMS, attempt, bulkTotal, bulkFailed, other

        /// Reads the key string at the cursor (on its opening quote) and matches it in one pass: two
        /// word loads find the closing quote and are the key's bytes. Returns nil, leaving the cursor
        /// where it was, for what the general path must read: a key of 16 bytes or more, one with an
        /// escape or a non-ASCII byte, or one too near the end of the line for the loads.
        @inline(__always)
        static func scan(_ c: inout JSONCursor) -> Field? {
            guard c.position + 17 <= c.end else { return nil }
            let p = c.base + c.position + 1
            let raw = UnsafeRawPointer(p)
            let w0 = raw.loadUnaligned(as: UInt64.self)
            let s0 = JSONCursor.specialBytes(w0)
            let n: Int
            let lo: UInt64
            var hi: UInt64 = 0
            if s0 != 0 {
                n = s0.trailingZeroBitCount >> 3
                lo = n == 0 ? 0 : w0 & (UInt64.max >> (64 - 8 * n))
            } else {
                let w1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                let s1 = JSONCursor.specialBytes(w1)
                guard s1 != 0 else { return nil }
                let k = s1.trailingZeroBitCount >> 3
                n = 8 + k
                lo = w0
                hi = k == 0 ? 0 : w1 & (UInt64.max >> (64 - 8 * k))
            }
            guard p[n] == UInt8(ascii: "\"") else { return nil }
            c.position += n + 2
            return Field(n, lo, hi)
        }

        @inline(__always)
        init(_ p: UnsafePointer<UInt8>, _ n: Int) {
            guard n >= 2, n <= 16 else { self = .other; return }
            var lo: UInt64 = 0
            var hi: UInt64 = 0
            let raw = UnsafeRawPointer(p)
            if n >= 8 {
                lo = raw.loadUnaligned(as: UInt64.self)
                for i in 8..<n { hi |= UInt64(p[i]) << (8 * UInt64(i - 8)) }
            } else {
                for i in 0..<n { lo |= UInt64(p[i]) << (8 * UInt64(i)) }
            }
            self.init(n, lo, hi)
        }

        /// A key of `n` bytes given as two little-endian words (bytes past `n` zero), so matching is a
        /// couple of integer compares instead of byte loops (the constants are the key bytes).
        @inline(__always)
        init(_ n: Int, _ lo: UInt64, _ hi: UInt64) {
            switch (n, lo, hi) {
            case (2, 0x0000000000006469, 0x0): self = .id // id
            case (4, 0x00000000656D6974, 0x0): self = .time // time
            case (5, 0x0000006573616870, 0x0): self = .phase // phase
            case (6, 0x0000746E616E6574, 0x0): self = .tenant // tenant
            case (6, 0x0000746567726174, 0x0): self = .target // target
            case (6, 0x0000737574617473, 0x0): self = .status // status
            case (7, 0x007463656A627573, 0x0): self = .subject // subject
            case (7, 0x00656D6F6374756F, 0x0): self = .outcome // outcome
            case (7, 0x0074706D65747461, 0x0): self = .attempt // attempt
            case (9, 0x6F6974617265706F, 0x6E): self = .operation // operation
            case (10, 0x746F745F6B6C7562, 0x6C61): self = .bulkTotal // bulk_total
            case (11, 0x6E6F697461727564, 0x736D5F): self = .durationMS // duration_ms
            case (11, 0x6961665F6B6C7562, 0x64656C): self = .bulkFailed // bulk_failed
            case (14, 0x74616C6572726F63, 0x64695F6E6F69): self = .correlationID // correlation_id
            default: self = .other
            }
        }

        init(named name: String) {
            var copy = name
            self = copy.withUTF8 { Field($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
        }
    }
}
