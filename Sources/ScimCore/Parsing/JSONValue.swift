/// A parsed JSON document, for the formats that are not the hot path (Okta, Entra, SCIM access logs,
/// mapped JSON, poll answers). Built on ``JSONCursor`` so every format reports the same error reasons.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses one JSON text (surrounding whitespace allowed).
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(ParseError) -> JSONValue {
        if let base = bytes.baseAddress, !UTF8Check.isValid(base.assumingMemoryBound(to: UInt8.self), bytes.count) {
            throw ParseError(.invalidUTF8)
        }
        var cursor = JSONCursor(bytes)
        let value = try parseValue(&cursor, depth: 0)
        cursor.skipWhitespace()
        guard cursor.atEnd else { throw ParseError(.invalidJSON) }
        return value
    }

    /// Parses a JSON text held in a `String` or byte array.
    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> JSONValue {
        do {
            return try bytes.withUnsafeBytes { raw in try parse(raw) }
        } catch let error as ParseError {
            throw error
        } catch {
            throw ParseError(.invalidJSON)
        }
    }

    private static func parseValue(_ c: inout JSONCursor, depth: Int) throws(ParseError) -> JSONValue {
        guard depth < JSONCursor.maxDepth else { throw ParseError(.tooDeep) }
        c.skipWhitespace()
        guard !c.atEnd else { throw ParseError(.invalidJSON) }
        switch c.peek() {
        case UInt8(ascii: "\""):
            let token = try c.readString()
            return .string(try c.string(of: token))
        case UInt8(ascii: "{"):
            c.position += 1
            var members: [String: JSONValue] = [:]
            if c.consumeIf(UInt8(ascii: "}")) { return .object(members) }
            repeat {
                c.skipWhitespace()
                guard c.peek() == UInt8(ascii: "\"") else { throw ParseError(.invalidJSON) }
                let key = try c.string(of: c.readString())
                try c.consume(UInt8(ascii: ":"))
                members[key] = try parseValue(&c, depth: depth + 1)
            } while c.consumeIf(UInt8(ascii: ","))
            try c.consume(UInt8(ascii: "}"))
            return .object(members)
        case UInt8(ascii: "["):
            c.position += 1
            var items: [JSONValue] = []
            if c.consumeIf(UInt8(ascii: "]")) { return .array(items) }
            repeat { items.append(try parseValue(&c, depth: depth + 1)) } while c.consumeIf(UInt8(ascii: ","))
            try c.consume(UInt8(ascii: "]"))
            return .array(items)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            if let flag = try c.readLiteral() { return .bool(flag) }
            return .null
        default:
            do { return .number(try c.readNumber()) } catch { throw ParseError(.invalidJSON) }
        }
    }

    /// The member `key` of an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The value at a dotted path (`a.b.0.c`): object keys, or array indexes for numeric parts.
    public func value(atPath path: String) -> JSONValue? {
        var current: JSONValue? = self
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            switch current {
            case .object(let members)?: current = members[String(part)]
            case .array(let items)?:
                guard let index = Int(part), items.indices.contains(index) else { return nil }
                current = items[index]
            default: return nil
            }
        }
        return current
    }

    /// The first of several keys present (for formats that vary the case of a key).
    public func first(_ keys: String...) -> JSONValue? {
        for key in keys { if let v = self[key], v != .null { return v } }
        return nil
    }

    public var isNull: Bool { self == .null }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// A number, also accepted when written as a numeric string (Azure writes `"durationMs": "107"`).
    public var numberValue: Double? {
        switch self {
        case .number(let d): return d
        case .string(let s): return Double(s.trimmingSpaces)
        default: return nil
        }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
