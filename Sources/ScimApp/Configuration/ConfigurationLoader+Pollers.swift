import Foundation
import ScimCore
import ScimSources
import Yams

extension ConfigurationLoader {
    /// `pollers:`, a list of endpoints polled over HTTP.
    mutating func parsePollers(_ node: Node) -> [PollerConfiguration] {
        guard case .sequence(let items) = node else {
            issues.append(.init("pollers", "must be a list of pollers"))
            return []
        }
        var pollers: [PollerConfiguration] = []
        var names: Set<String> = []
        for (i, item) in items.enumerated() {
            let prefix = "pollers[\(i)]"
            var name: String?
            var url: URL?
            var format: PollFormat?
            var target: String?
            var interval = PollerConfiguration.defaultInterval
            var timeout = PollerConfiguration.defaultTimeout
            var headers: [PollHeader] = []
            var maxBodyBytes = PollerConfiguration.defaultMaxBodyBytes
            var mappingNode: Node?
            for (key, value) in mapping(item, prefix) ?? [] {
                let path = "\(prefix).\(key)"
                switch key {
                case "name":
                    name = string(value, path)
                case "url":
                    if let text = string(value, path) { url = pollURL(text, path) }
                case "format":
                    if let text = string(value, path) {
                        format = PollFormat(rawValue: text)
                        if format == nil { issues.append(.init(path, "unknown format \"\(text)\"; one of \(Self.pollFormats)")) }
                    }
                case "target":
                    target = string(value, path)
                    if target?.isEmpty == true { issues.append(.init(path, "must not be empty")) }
                case "interval":
                    if let ms = duration(value, path) { interval = .milliseconds(ms) }
                case "timeout":
                    if let ms = duration(value, path) { timeout = .milliseconds(ms) }
                case "headers":
                    headers = parseHeaders(value, path)
                case "max_body_bytes":
                    if let n = integer(value, path, in: 1024...(256 << 20)) { maxBodyBytes = n }
                case "tls":
                    parseTLS(value, path)
                case "mapping":
                    mappingNode = value
                default:
                    unknown(path)
                }
            }
            guard let name, !name.isEmpty else {
                issues.append(.init("\(prefix).name", "is required"))
                continue
            }
            if !names.insert(name).inserted { issues.append(.init("\(prefix).name", "\"\(name)\" is used by another poller")) }
            if url == nil, !issues.contains(where: { $0.key == "\(prefix).url" }) {
                issues.append(.init("\(prefix).url", "is required: the http or https URL to poll"))
            }
            if timeout >= interval {
                issues.append(.init("\(prefix).timeout", "must be shorter than the interval (\(PollerConfiguration.text(interval)))"))
            }
            guard let format else {
                if !issues.contains(where: { $0.key == "\(prefix).format" }) {
                    issues.append(.init("\(prefix).format", "is required: one of \(Self.pollFormats)"))
                }
                continue
            }
            if format == .entraSyncJob, target == nil {
                issues.append(.init("\(prefix).target", "is required for entra-sync-job: the target the job provisions"))
            }
            var pollMapping: PollMapping?
            if format == .json {
                if let mappingNode {
                    pollMapping = parsePollMapping(mappingNode, "\(prefix).mapping")
                    if pollMapping?.reconciler != nil || pollMapping?.quarantined != nil, target == nil {
                        issues.append(.init("\(prefix).target", "is required when the mapping has reconciler or quarantined"))
                    }
                } else {
                    issues.append(.init("\(prefix).mapping", "is required for the json format"))
                }
            } else if mappingNode != nil {
                issues.append(.init("\(prefix).mapping", "is only used by the json format"))
            }
            guard let url else { continue }
            pollers.append(PollerConfiguration(
                name: name, url: url, format: format, target: target, interval: interval, timeout: timeout,
                headers: headers, maxBodyBytes: maxBodyBytes, mapping: pollMapping))
        }
        return pollers
    }

    static var pollFormats: String { PollFormat.allCases.map(\.rawValue).joined(separator: ", ") }

    mutating func pollURL(_ text: String, _ key: String) -> URL? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            issues.append(.init(key, "must be an http or https URL with a host"))
            return nil
        }
        return url
    }

    /// `tls:`. Certificates are always verified against the system CA bundle: URLSession on Linux has
    /// no per-request switch, so options that would change that are refused rather than ignored.
    mutating func parseTLS(_ node: Node, _ key: String) {
        for (k, v) in mapping(node, key) ?? [] {
            switch k {
            case "insecure_skip_verify":
                if v.bool == true {
                    issues.append(.init("\(key).\(k)", "is not supported: certificates are always verified against the system CA bundle; add your CA there (update-ca-certificates)"))
                } else if v.bool == nil {
                    issues.append(.init("\(key).\(k)", "must be true or false"))
                }
            case "ca_file":
                issues.append(.init("\(key).\(k)", "is not supported: add the CA to the system CA bundle (update-ca-certificates)"))
            default:
                unknown("\(key).\(k)")
            }
        }
    }

    /// `headers:` name -> value, where a value is literal text, `{env: NAME}` or `{file: PATH}` (with an
    /// optional `prefix`, e.g. `"Bearer "`). Values are secrets: no issue ever quotes one.
    mutating func parseHeaders(_ node: Node, _ key: String) -> [PollHeader] {
        var headers: [PollHeader] = []
        for (name, value) in mapping(node, key) ?? [] {
            let path = "\(key).\(name)"
            guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_".unicodeScalars.contains($0)) }) else {
                issues.append(.init(path, "is not a valid header name"))
                continue
            }
            guard let resolved = headerValue(value, path) else { continue }
            guard !resolved.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                issues.append(.init(path, "the value must not contain line breaks"))
                continue
            }
            headers.append(PollHeader(name: name, value: resolved))
        }
        return headers
    }

    /// A secret given as literal text, `{env: NAME}` or `{file: PATH}` (optional `prefix`); issues never quote it.
    mutating func headerValue(_ node: Node, _ key: String) -> String? {
        if case .scalar(let scalar) = node { return scalar.string }
        var prefix = ""
        var value: String?
        var sources = 0
        for (k, v) in mapping(node, key) ?? [] {
            switch k {
            case "prefix":
                prefix = string(v, "\(key).prefix") ?? ""
            case "env":
                sources += 1
                guard let variable = string(v, "\(key).env") else { continue }
                guard let text = environment[variable], !text.isEmpty else {
                    issues.append(.init("\(key).env", "environment variable \(variable) is not set or empty"))
                    continue
                }
                value = text
            case "file":
                sources += 1
                guard let file = string(v, "\(key).file") else { continue }
                guard let data = FileManager.default.contents(atPath: file) else {
                    issues.append(.init("\(key).file", "cannot read \(file)"))
                    continue
                }
                let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                guard !text.isEmpty else {
                    issues.append(.init("\(key).file", "\(file) is empty"))
                    continue
                }
                value = text
            default:
                unknown("\(key).\(k)")
            }
        }
        if sources != 1 {
            issues.append(.init(key, "must be text, or a mapping with exactly one of env or file"))
            return nil
        }
        return value.map { prefix + $0 }
    }
}
