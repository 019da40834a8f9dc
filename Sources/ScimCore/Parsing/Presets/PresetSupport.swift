/// Value readers shared by the preset parsers (Okta, Entra, SCIM access log, mapped JSON), so every
/// format turns the same kind of bad value into the same ``ParseErrorReason``.
enum PresetValue {
    /// An event time: an RFC 3339 string, or (when `allowNumber`) integer epoch milliseconds.
    /// Absent or `null` is `missingField`; another type is `wrongType`; a malformed time is `badTime`.
    static func time(_ value: JSONValue?, _ field: String, allowNumber: Bool) throws(ParseError) -> Int64 {
        switch value {
        case nil, .null?:
            throw ParseError(.missingField, field)
        case .string(let text)?:
            guard let t = EventTime.parseRFC3339(text) else { throw ParseError(.badTime, field) }
            return t
        case .number(let ms)? where allowNumber:
            // Same rule as the native parser: whole milliseconds in a sane range.
            guard ms == ms.rounded(), abs(ms) < 1e15 else { throw ParseError(.badTime, field) }
            return Int64(ms)
        default:
            throw ParseError(.wrongType, field)
        }
    }

    /// An optional string: `nil` when absent or `null`, `wrongType` for another type.
    static func string(_ value: JSONValue?, _ field: String) throws(ParseError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw ParseError(.wrongType, field)
        }
    }

    /// Interns a label value; an absent or empty value is `missingField` (an empty label would fold
    /// silently into `__other__` and hide a broken source).
    static func label(_ text: String?, in table: inout LabelTable, _ field: String) throws(ParseError) -> LabelID {
        guard let text, !text.isEmpty else { throw ParseError(.missingField, field) }
        return table.intern(text)
    }

    /// The tenant: the bound one when set (the line is never consulted, so it cannot speak for another
    /// tenant), else the line's value.
    static func tenant(
        bound: LabelID?, _ text: @autoclosure () throws(ParseError) -> String?, labels: inout Labels, _ field: String
    ) throws(ParseError) -> LabelID {
        if let bound { return bound }
        return try label(try text(), in: &labels.tenants, field)
    }

    /// A duration in milliseconds (number or numeric string); `-1` when absent; negative is `wrongType`.
    static func duration(_ value: JSONValue?, _ field: String) throws(ParseError) -> Double {
        guard let value, value != .null else { return -1 }
        guard let d = value.numberValue, d.isFinite, d >= 0 else { throw ParseError(.wrongType, field) }
        return d
    }

    /// An HTTP status (number or numeric string); `nil` when absent; outside 0...999 is `unknownValue`.
    static func status(_ value: JSONValue?, _ field: String) throws(ParseError) -> Int16? {
        guard let value, value != .null else { return nil }
        guard let d = value.numberValue, d == d.rounded() else { throw ParseError(.wrongType, field) }
        guard (0...999).contains(d) else { throw ParseError(.unknownValue, field) }
        return Int16(d)
    }

    /// A non-negative count (number or numeric string) that fits an `Int32`; `nil` when absent.
    static func count(_ value: JSONValue?, _ field: String) throws(ParseError) -> Int32? {
        guard let value, value != .null else { return nil }
        guard let d = value.numberValue, d == d.rounded(), d >= 0, d < Double(Int32.max) else {
            throw ParseError(.wrongType, field)
        }
        return Int32(d)
    }
}

extension JSONValue {
    /// The member `key` of an object, matched exactly first and then ignoring ASCII case: Entra writes
    /// the same record camelCase through Graph and PascalCase through Azure Monitor. `null` is absent.
    func member(_ key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        if let v = members[key] { return v == .null ? nil : v }
        let folded = key.lowercased()
        for (k, v) in members where k.count == key.count && k.lowercased() == folded {
            return v == .null ? nil : v
        }
        return nil
    }

    /// The value at `path` (keys separated by dots) using ``member(_:)`` at each step.
    func member(path: String...) -> JSONValue? {
        var current: JSONValue? = self
        for key in path { current = current?.member(key) }
        return current
    }

    /// The integer form of a whole number, as a string (`200`, not `200.0`).
    var integerText: String? {
        guard case .number(let d) = self, d == d.rounded(), abs(d) < 1e15 else { return nil }
        return String(Int64(d))
    }
}
