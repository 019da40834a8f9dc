import Foundation
import ScimCore
import ScimNotifiers
import Yams

extension ConfigurationLoader {
    /// `receivers:`, where notifications go. Every problem is reported with its key; no issue quotes a
    /// secret (routing keys, header values, URLs given through env or file).
    mutating func parseReceivers(_ node: Node) -> [ReceiverConfiguration] {
        guard case .sequence(let items) = node else {
            issues.append(.init("receivers", "must be a list of receivers"))
            return []
        }
        var receivers: [ReceiverConfiguration] = []
        var names: Set<String> = []
        for (i, item) in items.enumerated() {
            let prefix = "receivers[\(i)]"
            var name: String?
            var kind: Receiver.Kind?
            var url: URL?
            var urlGiven = false
            var severities = Set(AlertSeverity.allCases)
            var headers: [SenderHeader] = []
            var routingKey: String?
            var routingKeyGiven = false
            var timeout = ReceiverConfiguration.defaultTimeout
            var policy = DeliveryPolicy()
            var source: String?
            var generatorURL: String?
            var given: [String] = []
            for (key, value) in mapping(item, prefix) ?? [] {
                let path = "\(prefix).\(key)"
                given.append(key)
                switch key {
                case "name":
                    name = string(value, path)
                case "kind":
                    if let text = string(value, path) {
                        kind = Receiver.Kind(rawValue: text)
                        if kind == nil { issues.append(.init(path, "unknown kind \"\(text)\"; one of \(Self.receiverKinds)")) }
                    }
                case "url":
                    urlGiven = true
                    // Literal, or {env}/{file} for URLs that carry a token (Slack, webhooks).
                    if let text = headerValue(value, path) {
                        url = receiverURL(text, path, quote: false)
                    }
                case "severities":
                    severities = parseSeverities(value, path) ?? severities
                case "headers":
                    headers = parseHeaders(value, path).map { SenderHeader(name: $0.name, value: $0.value) }
                case "routing_key":
                    routingKeyGiven = true
                    guard case .mapping = value else {
                        issues.append(.init(path, "must be {env: NAME} or {file: PATH}: a routing key is a secret and stays out of the configuration file"))
                        continue
                    }
                    routingKey = headerValue(value, path)
                case "timeout":
                    if let ms = duration(value, path) { timeout = .milliseconds(ms) }
                case "max_attempts":
                    if let n = integer(value, path, in: 1...1000) { policy.maxAttempts = n }
                case "max_age":
                    if let ms = duration(value, path) { policy.maxAgeMs = ms }
                case "min_backoff":
                    if let ms = duration(value, path) { policy.initialBackoffMs = ms }
                case "max_backoff":
                    if let ms = duration(value, path) { policy.maxBackoffMs = ms }
                case "source":
                    source = string(value, path)
                    if source?.isEmpty == true { issues.append(.init(path, "must not be empty")) }
                case "generator_url":
                    if let text = string(value, path) { generatorURL = receiverURL(text, path, quote: true)?.absoluteString }
                default:
                    unknown(path)
                }
            }
            guard let name, !name.isEmpty else {
                issues.append(.init("\(prefix).name", "is required"))
                continue
            }
            if !names.insert(name).inserted { issues.append(.init("\(prefix).name", "\"\(name)\" is used by another receiver")) }
            guard let kind else {
                if !issues.contains(where: { $0.key == "\(prefix).kind" }) {
                    issues.append(.init("\(prefix).kind", "is required: one of \(Self.receiverKinds)"))
                }
                continue
            }
            if policy.initialBackoffMs > policy.maxBackoffMs {
                issues.append(.init("\(prefix).min_backoff", "must not be longer than max_backoff"))
            }
            checkKindKeys(kind, given: given, prefix: prefix, urlGiven: urlGiven, routingKeyGiven: routingKeyGiven)
            if kind == .alertmanager, let base = url { url = ReceiverConfiguration.alertmanagerEndpoint(base) }
            var receiver = Receiver(name: name, kind: kind, severities: severities, generatorURL: generatorURL)
            if kind == .pagerduty { receiver.source = source ?? Self.hostName }
            receivers.append(ReceiverConfiguration(receiver: receiver, url: url, headers: headers, routingKey: routingKey,
                                                   timeout: timeout, policy: policy))
        }
        return receivers
    }

    /// PagerDuty's default `source`: this machine's name, read without a DNS lookup.
    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "scimwatch" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "scimwatch" : name
    }

    static var receiverKinds: String { Receiver.Kind.allCases.map(\.rawValue).joined(separator: ", ") }

    /// Keys that a kind requires or does not use.
    private mutating func checkKindKeys(_ kind: Receiver.Kind, given: [String], prefix: String, urlGiven: Bool, routingKeyGiven: Bool) {
        switch kind {
        case .alertmanager, .webhook, .slack:
            if !urlGiven { issues.append(.init("\(prefix).url", "is required for \(kind.rawValue)")) }
        case .pagerduty:
            if !routingKeyGiven { issues.append(.init("\(prefix).routing_key", "is required for pagerduty: {env: NAME} or {file: PATH}")) }
        case .console:
            for key in ["url", "headers", "timeout", "max_attempts", "max_age", "min_backoff", "max_backoff"] where given.contains(key) {
                issues.append(.init("\(prefix).\(key)", "is not used by console (it prints to standard output)"))
            }
        }
        if kind != .pagerduty {
            for key in ["routing_key", "source"] where given.contains(key) {
                issues.append(.init("\(prefix).\(key)", "is only used by pagerduty"))
            }
        }
        if kind != .alertmanager, given.contains("generator_url") {
            issues.append(.init("\(prefix).generator_url", "is only used by alertmanager"))
        }
    }

    private mutating func parseSeverities(_ node: Node, _ key: String) -> Set<AlertSeverity>? {
        guard let texts = strings(node, key) else { return nil }
        var out: Set<AlertSeverity> = []
        for (i, text) in texts.enumerated() {
            guard let severity = AlertSeverity(rawValue: text) else {
                issues.append(.init("\(key)[\(i)]", "unknown severity \"\(text)\"; one of page, ticket"))
                continue
            }
            out.insert(severity)
        }
        if out.isEmpty, texts.isEmpty { issues.append(.init(key, "must name at least one severity (page, ticket)")) }
        return out.isEmpty ? nil : out
    }

    /// An http or https URL with a host. `quote` is false for `url`: a webhook URL holds its token, so
    /// the issue does not repeat it.
    mutating func receiverURL(_ text: String, _ key: String, quote: Bool) -> URL? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            issues.append(.init(key, "must be an http or https URL with a host" + (quote ? ", got \"\(text)\"" : "")))
            return nil
        }
        return url
    }
}
