/// Parses any JSON lines through a ``FieldMapping`` (format `json`, events.md).
///
/// Each canonical field is read from its rule and then interpreted exactly like the native format:
/// the same enum names, `time` as RFC 3339 or integer epoch milliseconds, the same ranges and the same
/// error reasons. Differences, all because a mapping points into someone else's log:
/// - a path that leads to `null` counts as absent (then the rule's `value`, if any, is used);
/// - string fields (`tenant`, `target`, enums, `id`, `subject`, `correlation_id`) also accept whole
///   numbers, written as integers (numeric user ids are common);
/// - a number field accepts a numeric string when a value map produced it (maps yield strings);
///   `duration_ms` accepts one always, as in the native format.
public struct MappedJSONParser: Sendable {
    /// A tenant fixed by the configuration (interned); a `tenant` rule is then never read.
    public var boundTenant: LabelID?
    /// Where each canonical field comes from.
    public var mapping: FieldMapping

    /// Creates a parser for `mapping`; check it first with ``FieldMapping/validate(tenantBound:)``.
    public init(mapping: FieldMapping, boundTenant: LabelID? = nil) {
        self.boundTenant = boundTenant
        self.mapping = mapping
    }

    /// Creates a parser for `mapping` (argument order of the other parsers' initialisers).
    public init(boundTenant: LabelID?, mapping: FieldMapping) {
        self.init(mapping: mapping, boundTenant: boundTenant)
    }

    /// Parses one line and appends its event.
    public func parse(
        _ line: UnsafeRawBufferPointer, labels: inout Labels, into events: inout [Event]
    ) throws(ParseError) {
        let root = try JSONValue.parse(line)

        let time = try PresetValue.time(resolve("time", root)?.value, "time", allowNumber: true)
        let tenant: LabelID
        if let boundTenant {
            tenant = boundTenant
        } else {
            tenant = try PresetValue.label(try text("tenant", root), in: &labels.tenants, "tenant")
        }
        let target = try PresetValue.label(try text("target", root), in: &labels.targets, "target")
        guard let operationName = try text("operation", root) else { throw ParseError(.missingField, "operation") }
        guard let operation = OperationKind(name: operationName) else { throw ParseError(.unknownValue, "operation") }

        var event = Event(time: time, tenant: tenant, target: target, operation: operation)
        if let name = try text("phase", root) {
            guard let phase = Phase(name: name) else { throw ParseError(.unknownValue, "phase") }
            event.phase = phase
        }
        if let name = try text("outcome", root) {
            guard let outcome = Outcome(name: name) else { throw ParseError(.unknownValue, "outcome") }
            event.outcome = outcome
        }
        if let id = try text("id", root), !id.isEmpty { event.idHash = byteHash(id) }
        if let subject = try text("subject", root), !subject.isEmpty { event.subject = subject }
        if let correlation = try text("correlation_id", root), !correlation.isEmpty { event.correlationID = correlation }
        if let status = try integer("status", root) {
            guard (0...999).contains(status) else { throw ParseError(.unknownValue, "status") }
            event.status = Int16(status)
        }
        if let duration = try number("duration_ms", root, stringAllowed: true) {
            guard duration >= 0, duration.isFinite else { throw ParseError(.wrongType, "duration_ms") }
            event.durationMs = duration
        }
        if let attempt = try integer("attempt", root) {
            guard attempt >= 1, attempt < Int(Int32.max) else { throw ParseError(.wrongType, "attempt") }
            event.attempt = Int32(attempt)
        }
        if let total = try integer("bulk_total", root) {
            guard total >= 0, total < Int(Int32.max) else { throw ParseError(.wrongType, "bulk_total") }
            event.bulkTotal = Int32(total)
        }
        if let failed = try integer("bulk_failed", root) {
            guard failed >= 0, failed < Int(Int32.max) else { throw ParseError(.wrongType, "bulk_failed") }
            event.bulkFailed = Int32(failed)
        }
        // The native format's bulk rules: a failure count needs a total, a total alone means none failed.
        if event.bulkFailed >= 0, event.bulkTotal < 0 { throw ParseError(.missingField, "bulk_total") }
        if event.bulkTotal >= 0, event.bulkFailed < 0 { event.bulkFailed = 0 }
        if event.bulkFailed > event.bulkTotal { throw ParseError(.wrongType, "bulk_failed") }
        events.append(event)
    }

    // MARK: - Rules

    /// The value of a field after its rule: path, else constant, then the value map.
    func resolve(_ field: String, _ root: JSONValue) -> (value: JSONValue, mapped: Bool)? {
        guard let rule = mapping.rules[field] else { return nil }
        var found = rule.path.flatMap { root.value(atPath: $0) }
        if found == nil || found == .null { found = rule.value }
        guard let value = found, value != .null else { return nil }
        if let map = rule.map, let key = Self.mapKey(value), let replacement = map[key] {
            return (.string(replacement), true)
        }
        return (value, false)
    }

    /// The text a value map matches a value by.
    static func mapKey(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): s
        case .bool(let b): b ? "true" : "false"
        case .number: value.integerText
        default: nil
        }
    }

    /// A string field; whole numbers are accepted as their integer text.
    func text(_ field: String, _ root: JSONValue) throws(ParseError) -> String? {
        guard let (value, _) = resolve(field, root) else { return nil }
        if case .string(let s) = value { return s }
        if let digits = value.integerText { return digits }
        throw ParseError(.wrongType, field)
    }

    func number(_ field: String, _ root: JSONValue, stringAllowed: Bool = false) throws(ParseError) -> Double? {
        guard let (value, mapped) = resolve(field, root) else { return nil }
        switch value {
        case .number(let d): return d
        case .string where stringAllowed || mapped:
            guard let d = value.numberValue else { throw ParseError(.wrongType, field) }
            return d
        default: throw ParseError(.wrongType, field)
        }
    }

    func integer(_ field: String, _ root: JSONValue) throws(ParseError) -> Int? {
        guard let d = try number(field, root) else { return nil }
        guard d == d.rounded(), abs(d) < 1e15 else { throw ParseError(.wrongType, field) }
        return Int(d)
    }
}
