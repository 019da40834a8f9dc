import ScimCore
import Yams

extension ConfigurationLoader {
    mutating func parseSources(_ node: Node) -> [SourceConfiguration] {
        guard case .sequence(let items) = node else {
            issues.append(.init("sources", "must be a list of sources"))
            return []
        }
        var sources: [SourceConfiguration] = []
        var names: Set<String> = []
        for (i, item) in items.enumerated() {
            let prefix = "sources[\(i)]"
            var name: String?
            var paths: [String] = []
            var format: LogFormat?
            var tenant: String?
            var startAtEnd = false
            var mappingNode: Node?
            var oktaTargets: [String] = []
            for (key, value) in mapping(item, prefix) ?? [] {
                let path = "\(prefix).\(key)"
                switch key {
                case "name":
                    name = string(value, path)
                case "paths", "path":
                    paths = strings(value, path) ?? []
                case "format":
                    if let text = string(value, path) {
                        format = LogFormat(rawValue: text)
                        if format == nil {
                            issues.append(.init(path, "unknown format \"\(text)\"; one of \(LogFormat.allCases.map(\.rawValue).joined(separator: ", "))"))
                        }
                    }
                case "tenant":
                    tenant = string(value, path)
                    if tenant?.isEmpty == true { issues.append(.init(path, "must not be empty")) }
                case "start_at":
                    switch string(value, path) {
                    case "beginning": startAtEnd = false
                    case "end": startAtEnd = true
                    case let other?: issues.append(.init(path, "must be beginning or end, got \"\(other)\""))
                    case nil: break
                    }
                case "mapping":
                    mappingNode = value
                case "targets":
                    oktaTargets = strings(value, path) ?? []
                default:
                    unknown(path)
                }
            }
            guard let name, !name.isEmpty else {
                issues.append(.init("\(prefix).name", "is required"))
                continue
            }
            if !names.insert(name).inserted { issues.append(.init("\(prefix).name", "\"\(name)\" is used by another source")) }
            if paths.isEmpty { issues.append(.init("\(prefix).paths", "is required: at least one file or glob pattern")) }
            guard let format else {
                if !issues.contains(where: { $0.key == "\(prefix).format" }) {
                    issues.append(.init("\(prefix).format", "is required: one of \(LogFormat.allCases.map(\.rawValue).joined(separator: ", "))"))
                }
                continue
            }
            var sourceFormat = SourceFormat(format: format, tenant: tenant)
            sourceFormat.oktaDeactivationTargets = oktaTargets
            if format == .json {
                guard let mappingNode else {
                    issues.append(.init("\(prefix).mapping", "is required for the json format"))
                    continue
                }
                sourceFormat.mapping = parseMapping(mappingNode, "\(prefix).mapping", tenantBound: tenant != nil)
            } else if mappingNode != nil {
                issues.append(.init("\(prefix).mapping", "is only used by the json format"))
            }
            if format == .okta, tenant == nil {
                issues.append(.init("\(prefix).tenant", "is required for the okta format: an Okta org is one tenant"))
            }
            sources.append(SourceConfiguration(name: name, paths: paths, format: sourceFormat, startAtEnd: startAtEnd))
        }
        return sources
    }
}
