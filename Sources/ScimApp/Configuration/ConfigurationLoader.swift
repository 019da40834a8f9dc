import Foundation
import ScimCore
import ScimHTTP
import Yams

/// Reads a YAML configuration and reports every problem with its key and reason, instead of
/// stopping at the first (what `check-config` prints and `run` refuses to start with).
public struct ConfigurationLoader {
    var issues: [ConfigurationIssue] = []
    /// Where `*_env` keys are looked up (the process environment unless a test passes its own).
    let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Loads the file at `path`.
    public static func load(file path: String) throws(ConfigurationError) -> ScimwatchConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(file: path, issues: [ConfigurationIssue("(file)", "cannot be read")])
        }
        return try load(yaml: String(decoding: data, as: UTF8.self), file: path)
    }

    /// Loads configuration text; `file` names it in errors.
    public static func load(
        yaml: String, file: String = "(inline)", environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> ScimwatchConfiguration {
        var loader = ConfigurationLoader(environment: environment)
        let configuration = loader.parse(yaml: yaml)
        guard loader.issues.isEmpty, let configuration else {
            throw ConfigurationError(file: file, issues: loader.issues)
        }
        return configuration
    }

    mutating func parse(yaml: String) -> ScimwatchConfiguration? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            issues.append(ConfigurationIssue("(yaml)", "not valid YAML: \(error)"))
            return nil
        }
        var configuration = ScimwatchConfiguration()
        guard let root else { return configuration }
        guard let top = mapping(root, "(top level)") else { return nil }
        var slos: Node?
        var period: Node?
        for (key, value) in top {
            switch key {
            case "listen":
                if let text = string(value, key) { parseListen(text, into: &configuration) }
            case "state":
                if let text = string(value, key), !text.isEmpty { configuration.statePath = text } else { issues.append(.init(key, "must be a file path")) }
            case "sources":
                configuration.sources = parseSources(value)
            case "pollers":
                configuration.pollers = parsePollers(value)
            case "receivers":
                configuration.receivers = parseReceivers(value)
            case "reports":
                configuration.reports = parseReports(value)
            case "labels":
                parseLabels(value, into: &configuration.ingest)
            case "duplicates":
                parseDuplicates(value, into: &configuration.ingest)
            case "operations":
                parseOperations(value, into: &configuration.ingest.operations)
            case "auth":
                parseAuth(value, into: &configuration)
            case "slos":
                slos = value
            case "period":
                period = value
            case "symptoms":
                configuration.symptoms = parseSymptoms(value)
            case "limits":
                for (k, v) in mapping(value, key) ?? [] {
                    switch k {
                    case "max_line_bytes":
                        if let n = integer(v, "limits.max_line_bytes", in: 256...(16 << 20)) { configuration.ingest.maxLineBytes = n }
                    case "retention":
                        if let ms = duration(v, "limits.retention") { configuration.ingest.retentionMs = ms }
                    default: unknown("limits.\(k)")
                    }
                }
            case "maintenance":
                configuration.ingest.maintenance = parseMaintenance(value)
            case "evaluation_interval":
                if let ms = duration(value, key) { configuration.evaluationInterval = .milliseconds(ms) }
            case "tailer":
                for (k, v) in mapping(value, key) ?? [] {
                    switch k {
                    case "poll_interval":
                        if let ms = duration(v, "tailer.poll_interval") { configuration.pollInterval = .milliseconds(ms) }
                    case "checkpoint_interval":
                        if let ms = duration(v, "tailer.checkpoint_interval") { configuration.checkpointInterval = .milliseconds(ms) }
                    default: unknown("tailer.\(k)")
                    }
                }
            default:
                unknown(key)
            }
        }
        configuration.slos = parseSLOs(slos, period: period)
        return configuration
    }

    mutating func parseListen(_ text: String, into configuration: inout ScimwatchConfiguration) {
        guard let listen = Self.parseAddress(text) else {
            issues.append(.init("listen", "must be HOST:PORT with a port from 0 to 65535, got \"\(text)\""))
            return
        }
        configuration.listen.host = listen.host
        configuration.listen.port = listen.port
    }

    /// Splits `HOST:PORT` (IPv6 hosts in brackets).
    public static func parseAddress(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        return (host, port)
    }

    mutating func parseLabels(_ node: Node, into ingest: inout IngestConfiguration) {
        for (k, v) in mapping(node, "labels") ?? [] {
            switch k {
            case "tenant_cap":
                if let n = integer(v, "labels.tenant_cap", in: 1...SeriesKey.maxLabelValues) { ingest.tenantCap = n }
            case "target_cap":
                if let n = integer(v, "labels.target_cap", in: 1...SeriesKey.maxLabelValues) { ingest.targetCap = n }
            default: unknown("labels.\(k)")
            }
        }
    }

    mutating func parseDuplicates(_ node: Node, into ingest: inout IngestConfiguration) {
        for (k, v) in mapping(node, "duplicates") ?? [] {
            switch k {
            case "window":
                if let ms = duration(v, "duplicates.window") { ingest.duplicateWindowMs = ms }
            case "max_ids":
                if let n = integer(v, "duplicates.max_ids", in: 1...100_000_000) { ingest.duplicateCapacity = n }
            default: unknown("duplicates.\(k)")
            }
        }
    }

    // MARK: - Node helpers

    mutating func mapping(_ node: Node, _ key: String) -> [(String, Node)]? {
        guard case .mapping(let m) = node else {
            issues.append(.init(key, "must be a mapping of keys to values\(at(node))"))
            return nil
        }
        var out: [(String, Node)] = []
        for (k, v) in m {
            guard let name = k.string else {
                issues.append(.init(key, "has a key that is not a string\(at(k))"))
                continue
            }
            out.append((name, v))
        }
        return out
    }

    mutating func string(_ node: Node, _ key: String) -> String? {
        guard case .scalar(let s) = node else {
            issues.append(.init(key, "must be a string\(at(node))"))
            return nil
        }
        return s.string
    }

    mutating func strings(_ node: Node, _ key: String) -> [String]? {
        if case .scalar = node { return string(node, key).map { [$0] } }
        guard case .sequence(let seq) = node else {
            issues.append(.init(key, "must be a list of strings\(at(node))"))
            return nil
        }
        var out: [String] = []
        for (i, item) in seq.enumerated() {
            if let s = string(item, "\(key)[\(i)]") { out.append(s) }
        }
        return out
    }

    mutating func integer(_ node: Node, _ key: String, in range: ClosedRange<Int>) -> Int? {
        guard case .scalar = node, let n = node.int else {
            issues.append(.init(key, "must be an integer\(at(node))"))
            return nil
        }
        guard range.contains(n) else {
            issues.append(.init(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(n)"))
            return nil
        }
        return n
    }

    mutating func duration(_ node: Node, _ key: String) -> Int64? {
        guard let text = string(node, key) else { return nil }
        guard let ms = DurationText.milliseconds(text), ms > 0 else {
            issues.append(.init(key, "must be a duration such as 250ms, 10s, 5m, 24h or 30d, got \"\(text)\""))
            return nil
        }
        return ms
    }

    mutating func unknown(_ key: String) {
        issues.append(.init(key, "unknown key"))
    }

    func at(_ node: Node) -> String {
        node.mark.map { " (line \($0.line))" } ?? ""
    }
}
