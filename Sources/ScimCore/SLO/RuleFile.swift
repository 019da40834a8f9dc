/// One Prometheus recording or alerting rule, as `RuleFile` writes it.
struct PrometheusRule {
    /// `record:` name, or nil for an alerting rule.
    var record: String?
    /// `alert:` name, or nil for a recording rule.
    var alert: String?
    /// PromQL, one element per line.
    var expr: [String]
    var forMs: Int64 = 0
    var keepFiringForMs: Int64 = 0
    var labels: [(String, String)] = []
    var annotations: [(String, String)] = []
}

/// Writes a Prometheus rule file by hand, so the same input always gives the same bytes (a YAML
/// library would not promise key order or quoting) and the committed rules can be compared as text.
struct RuleFile {
    private(set) var text = ""

    mutating func line(_ s: String) {
        text += s + "\n"
    }

    mutating func group(_ name: String, _ rules: [PrometheusRule]) {
        line("  - name: \(name)")
        line("    rules:")
        for rule in rules { write(rule) }
    }

    private mutating func write(_ rule: PrometheusRule) {
        if let record = rule.record { line("      - record: \(record)") }
        if let alert = rule.alert { line("      - alert: \(alert)") }
        // Block scalars keep PromQL unescaped: no quote or backslash in it means anything to YAML.
        line("        expr: |-")
        for l in rule.expr { line("          \(l)") }
        if rule.forMs > 0 { line("        for: \(Self.duration(rule.forMs))") }
        if rule.keepFiringForMs > 0 { line("        keep_firing_for: \(Self.duration(rule.keepFiringForMs))") }
        if !rule.labels.isEmpty {
            line("        labels:")
            for (k, v) in rule.labels { line("          \(k): \(Self.quoted(v))") }
        }
        if !rule.annotations.isEmpty {
            line("        annotations:")
            for (k, v) in rule.annotations { line("          \(k): \(Self.quoted(v))") }
        }
    }

    /// A single-quoted YAML scalar: only `'` needs escaping, and label values such as `123` stay strings.
    static func quoted(_ s: String) -> String {
        "'" + s.replacingAll("'", with: "''") + "'"
    }

    /// A PromQL string literal (label matcher values, which come from the configuration).
    static func promString(_ s: String) -> String {
        "\"" + s.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"").replacingAll("\n", with: "\\n") + "\""
    }

    static func duration(_ ms: Int64) -> String { WindowLabel.prometheus(ms) }

    /// A number in PromQL: the shortest text that reads back as the same double, so a threshold is
    /// exactly the evaluator's (the default factors come out as 14.4, 6, 3 and 1).
    static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    /// A number for people: rounded to six decimals (a factor of 7d / 3d shows as 0.233333).
    static func readable(_ x: Double) -> String {
        number((x * 1e6).rounded() / 1e6)
    }
}

extension WindowLabel {
    /// A duration as Prometheus and the configuration write it: `5m`, `1h`, `3d`, or `1500ms` when
    /// not whole seconds (where `format` would round).
    public static func prometheus(_ ms: Int64) -> String {
        if ms == 0 { return "0s" }
        return ms % 1000 == 0 ? format(ms) : "\(ms)ms"
    }
}

extension String {
    /// Replaces every occurrence (Foundation-free, so the core stays without it).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(count)
        for c in self {
            if c == target { out += replacement } else { out.append(c) }
        }
        return out
    }
}
