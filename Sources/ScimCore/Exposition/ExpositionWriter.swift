/// The two scrape formats scimwatch speaks.
public enum ExpositionFormat: Sendable {
    /// Prometheus text format 0.0.4.
    case prometheus
    /// OpenMetrics 1.0.
    case openMetrics

    public var contentType: String {
        switch self {
        case .prometheus: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// Picks the format a scrape's `Accept` header asks for (OpenMetrics only when named).
    public static func negotiate(accept: String?) -> ExpositionFormat {
        guard let accept, accept.contains("application/openmetrics-text") else { return .prometheus }
        return .openMetrics
    }
}

/// The kind of a metric family.
public enum MetricType: String, Sendable {
    case counter, gauge, histogram, summary
}

/// Writes metric families in either format. Written by hand: swift-prometheus 2.x has no OpenMetrics,
/// no summaries and no values computed at scrape time. Small on purpose and covered by golden tests.
public struct ExpositionWriter {
    public let format: ExpositionFormat
    public private(set) var text = ""

    public init(format: ExpositionFormat) {
        self.format = format
        text.reserveCapacity(16_384)
    }

    /// Starts a family. `name` is the sample name for counters (ending in `_total`).
    public mutating func family(_ name: String, _ type: MetricType, help: String) {
        var familyName = name
        if format == .openMetrics, type == .counter, name.hasSuffix("_total") {
            familyName = String(name.dropLast(6))
        }
        text += "# HELP \(familyName) \(Self.escapeHelp(help))\n# TYPE \(familyName) \(type.rawValue)\n"
    }

    /// Writes one sample line.
    public mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String> = [:], _ value: Double) {
        sample(name, Array(labels).map { ($0.key, $0.value) }, value)
    }

    public mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{"
            for (i, (key, v)) in labels.enumerated() {
                if i > 0 { text += "," }
                text += key
                text += "=\""
                text += Self.escapeLabel(v)
                text += "\""
            }
            text += "}"
        }
        text += " "
        text += Self.format(value)
        text += "\n"
    }

    /// Writes the histogram samples of one series: cumulative buckets (`+Inf` last), sum and count.
    public mutating func histogram(
        _ name: String, _ labels: [(String, String)], bounds: [Double], cumulative: [UInt64], sum: Double
    ) {
        for (i, count) in cumulative.enumerated() {
            let le = i < bounds.count ? formatBound(bounds[i]) : "+Inf"
            sample(name + "_bucket", labels + [("le", le)], Double(count))
        }
        sample(name + "_sum", labels, sum)
        sample(name + "_count", labels, Double(cumulative.last ?? 0))
    }

    /// Ends the exposition (`# EOF` for OpenMetrics).
    public mutating func finish() {
        if format == .openMetrics { text += "# EOF\n" }
    }

    private func formatBound(_ bound: Double) -> String {
        let s = Self.format(bound)
        if format == .openMetrics, !s.contains("."), !s.contains("e") { return s + ".0" }
        return s
    }

    /// Integers without a fraction; other values in Swift's shortest round-tripping form.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Label values escape backslash, double quote and newline; HELP text only backslash and newline.
    static func escapeLabel(_ v: String) -> String { escape(v, quotes: true) }

    static func escapeHelp(_ v: String) -> String { escape(v, quotes: false) }

    private static func escape(_ v: String, quotes: Bool) -> String {
        guard v.utf8.contains(where: { $0 == 0x5C || $0 == 0x0A || (quotes && $0 == 0x22) }) else { return v }
        var out = ""
        for ch in v {
            switch ch {
            case "\\": out += "\\\\"
            case "\"" where quotes: out += "\\\""
            case "\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out
    }
}
