/// Typed values out of one JSON object of a poll answer, failing with the poll reasons
/// (`missing_field`, `wrong_type`) and a detail naming the path (`queues[1].depth`).
struct PollFields {
    let object: JSONValue
    /// Where the object sits in the answer, for details (`queues[1]`, `status.lastExecution`).
    let path: String

    /// `value` must be an object.
    init(_ value: JSONValue?, path: String) throws(PollFailure) {
        guard let value, value != .null else { throw PollFailure(.missingField, "\(path) is absent") }
        guard case .object = value else { throw PollFailure(.wrongType, "\(path) is not an object") }
        object = value
        self.path = path
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The member, `nil` when absent or `null`.
    func member(_ key: String) -> JSONValue? {
        guard let v = object[key], v != .null else { return nil }
        return v
    }

    func string(_ key: String) throws(PollFailure) -> String {
        guard let v = try optionalString(key) else { throw PollFailure(.missingField, "\(name(key)) is absent") }
        return v
    }

    func optionalString(_ key: String) throws(PollFailure) -> String? {
        guard let v = member(key) else { return nil }
        return try Self.string(v, name(key))
    }

    func number(_ key: String) throws(PollFailure) -> Double {
        guard let v = try optionalNumber(key) else { throw PollFailure(.missingField, "\(name(key)) is absent") }
        return v
    }

    func optionalNumber(_ key: String) throws(PollFailure) -> Double? {
        guard let v = member(key) else { return nil }
        return try Self.number(v, name(key))
    }

    func optionalTime(_ key: String) throws(PollFailure) -> Int64? {
        guard let v = member(key) else { return nil }
        return try Self.time(v, name(key))
    }

    /// A label value: a non-empty string.
    static func string(_ value: JSONValue, _ name: String) throws(PollFailure) -> String {
        guard case .string(let s) = value, !s.isEmpty else { throw PollFailure(.wrongType, "\(name) is not a non-empty string") }
        return s
    }

    /// An id: a non-empty string, or a whole number taken as its text.
    static func identifier(_ value: JSONValue, _ name: String) throws(PollFailure) -> String {
        if case .number(let d) = value, d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return try string(value, name)
    }

    func optionalIdentifier(_ key: String) throws(PollFailure) -> String? {
        guard let v = member(key) else { return nil }
        return try Self.identifier(v, name(key))
    }

    /// A count, size or age: a finite number >= 0 (a numeric string is accepted).
    static func number(_ value: JSONValue, _ name: String) throws(PollFailure) -> Double {
        guard let d = value.numberValue, d.isFinite, d >= 0 else {
            throw PollFailure(.wrongType, "\(name) is not a number >= 0")
        }
        return d
    }

    /// A time: RFC 3339 text, or epoch seconds (epoch milliseconds when larger than 1e11). Times
    /// before 1970-01-02 are placeholders (Entra writes `0001-01-01T00:00:00Z`) and mean "never".
    static func time(_ value: JSONValue, _ name: String) throws(PollFailure) -> Int64? {
        let ms: Int64
        switch value {
        case .string(let s):
            guard let parsed = EventTime.parseRFC3339(s) else { throw PollFailure(.wrongType, "\(name) is not an RFC 3339 time") }
            ms = parsed
        case .number(let d) where d.isFinite && abs(d) < 1e15:
            ms = d > 1e11 ? Int64(d) : Int64(d * 1000)
        default:
            throw PollFailure(.wrongType, "\(name) is not a time")
        }
        return ms < 86_400_000 ? nil : ms
    }

    /// A 0/1 flag: a boolean, a number (non-zero is true) or a word (`true`, `quarantine`, `quarantined`, `yes`).
    static func flag(_ value: JSONValue, _ name: String) throws(PollFailure) -> Bool {
        switch value {
        case .bool(let b): return b
        case .number(let d): return d != 0
        case .string(let s):
            switch s.lowercased() {
            case "true", "1", "yes", "quarantine", "quarantined": return true
            case "false", "0", "no", "": return false
            default: return false
            }
        default: throw PollFailure(.wrongType, "\(name) is not a flag")
        }
    }

    /// The members of an array, at most `PollReading.maxEntries` of them.
    static func array(_ value: JSONValue, _ name: String) throws(PollFailure) -> ArraySlice<JSONValue> {
        guard case .array(let items) = value else { throw PollFailure(.wrongType, "\(name) is not an array") }
        return items.prefix(PollReading.maxEntries)
    }
}
