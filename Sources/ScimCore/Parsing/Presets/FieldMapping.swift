/// How format `json` finds each canonical field in a line (events.md): a dotted path (`a.b.0.c`) with an
/// optional value map, or a constant.
///
/// Example: `operation: {path: action, map: {deactivate: disable}}`, `tenant: {value: acme}`.
public struct FieldMapping: Sendable, Equatable {
    /// Where one canonical field comes from.
    public struct Rule: Sendable, Equatable {
        /// Dotted path into the line: object keys, or array indexes for numeric parts.
        public var path: String?
        /// A constant. With `path` too, it is the default used when the path is absent or `null`.
        public var value: JSONValue?
        /// Rewrites values before they are interpreted. Keys match string values, and whole numbers and
        /// booleans by their text (`"0"`, `"true"`), so numeric enums can be mapped. Values not in the map
        /// pass through unchanged.
        public var map: [String: String]?

        /// Creates a rule; give `path`, `value` or both.
        public init(path: String? = nil, value: JSONValue? = nil, map: [String: String]? = nil) {
            self.path = path
            self.value = value
            self.map = map
        }

        /// A rule reading `path`, optionally through a value map.
        public static func path(_ path: String, map: [String: String]? = nil) -> Rule {
            Rule(path: path, map: map)
        }

        /// A rule giving the same string for every line.
        public static func constant(_ value: String) -> Rule { Rule(value: .string(value)) }
    }

    /// One problem in a mapping, for the configuration loader to report.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The canonical field name the problem concerns.
        public var key: String
        /// What is wrong, in words.
        public var reason: String

        /// Creates a problem report for `key`.
        public init(key: String, reason: String) {
            self.key = key
            self.reason = reason
        }

        /// `key: reason`, as a configuration error message.
        public var description: String { "\(key): \(reason)" }
    }

    /// Rules by canonical field name.
    public var rules: [String: Rule]

    /// Creates a mapping from rules keyed by canonical field name.
    public init(rules: [String: Rule] = [:]) {
        self.rules = rules
    }

    /// The canonical fields the parser reads into an event.
    public static let eventFields: Set<String> = [
        "time", "tenant", "target", "operation", "phase", "id", "subject", "correlation_id", "status",
        "outcome", "duration_ms", "attempt", "bulk_total", "bulk_failed",
    ]

    /// Canonical fields (events.md) that are accepted so a mapping written against the spec is valid,
    /// but that the event model does not carry yet; their rules are ignored.
    public static let ignoredFields: Set<String> = ["reason", "error_code", "retry_after_s", "idp", "object"]

    /// Fields every line must yield; `tenant` only when the source is not bound to one.
    public static func requiredFields(tenantBound: Bool) -> [String] {
        tenantBound ? ["time", "target", "operation"] : ["time", "tenant", "target", "operation"]
    }

    /// The problems of this mapping, sorted by key; empty when it can be used.
    ///
    /// Reports unknown field names, rules with neither a (non-empty) path nor a value, and missing
    /// required fields. A `tenant` rule on a bound source is not a problem: it is simply never read.
    public func validate(tenantBound: Bool) -> [Problem] {
        var problems: [Problem] = []
        for (key, rule) in rules {
            if !Self.eventFields.contains(key), !Self.ignoredFields.contains(key) {
                problems.append(Problem(key: key, reason: "not a canonical event field"))
            } else if let path = rule.path, path.isEmpty || path.split(separator: ".").count
                        != path.split(separator: ".", omittingEmptySubsequences: false).count {
                problems.append(Problem(key: key, reason: "path has an empty part"))
            } else if rule.path == nil, rule.value == nil {
                problems.append(Problem(key: key, reason: "rule has neither path nor value"))
            }
        }
        for key in Self.requiredFields(tenantBound: tenantBound) where rules[key] == nil {
            problems.append(Problem(key: key, reason: "required field has no rule"))
        }
        return problems.sorted { ($0.key, $0.reason) < ($1.key, $1.reason) }
    }

    /// ``validate(tenantBound:)`` as a static helper.
    public static func validate(_ mapping: FieldMapping, tenantBound: Bool) -> [Problem] {
        mapping.validate(tenantBound: tenantBound)
    }
}
