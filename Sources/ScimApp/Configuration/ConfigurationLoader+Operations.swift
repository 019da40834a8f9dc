import Foundation
import ScimCore
import Yams

extension ConfigurationLoader {
    /// `operations:` timeout, terminal statuses, overdue threshold and latency window.
    mutating func parseOperations(_ node: Node, into operations: inout OperationConfiguration) {
        for (k, v) in mapping(node, "operations") ?? [] {
            let key = "operations.\(k)"
            switch k {
            case "enabled":
                guard case .scalar = v, let flag = v.bool else {
                    issues.append(.init(key, "must be true or false"))
                    continue
                }
                operations.enabled = flag
            case "timeout":
                if let ms = duration(v, key) { operations.timeoutMs = ms }
            case "deprovision_overdue_after":
                if let ms = duration(v, key) { operations.deprovisionOverdueMs = ms }
            case "latency_window":
                if let ms = duration(v, key) { operations.latencyWindowMs = ms }
            case "terminal_statuses":
                guard case .sequence(let items) = v else {
                    issues.append(.init(key, "must be a list of HTTP statuses"))
                    continue
                }
                var statuses: Set<Int16> = []
                for (i, item) in items.enumerated() {
                    if let status = integer(item, "\(key)[\(i)]", in: 100...599) { statuses.insert(Int16(status)) }
                }
                operations.terminalStatuses = statuses
            default:
                unknown(key)
            }
        }
        if operations.deprovisionOverdueMs >= operations.timeoutMs {
            issues.append(.init("operations.deprovision_overdue_after", "must be shorter than operations.timeout"))
        }
    }

    /// `auth:` a bearer token for `/api/*` (and `/metrics` if asked), from an environment variable or a
    /// file. The token itself is never echoed in an error.
    mutating func parseAuth(_ node: Node, into configuration: inout ScimwatchConfiguration) {
        var token: String?
        for (k, v) in mapping(node, "auth") ?? [] {
            let key = "auth.\(k)"
            switch k {
            case "bearer_token_env":
                guard let name = string(v, key) else { continue }
                guard let value = environment[name], !value.isEmpty else {
                    issues.append(.init(key, "environment variable \(name) is not set or empty"))
                    continue
                }
                token = value
            case "bearer_token_file":
                guard let path = string(v, key) else { continue }
                guard let data = FileManager.default.contents(atPath: path) else {
                    issues.append(.init(key, "cannot read \(path)"))
                    continue
                }
                let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                guard !value.isEmpty else {
                    issues.append(.init(key, "\(path) is empty"))
                    continue
                }
                token = value
            case "protect_metrics":
                guard case .scalar = v, let flag = v.bool else {
                    issues.append(.init(key, "must be true or false"))
                    continue
                }
                configuration.listen.protectMetrics = flag
            default:
                unknown(key)
            }
        }
        if token == nil, !issues.contains(where: { $0.key.hasPrefix("auth.bearer_token") }) {
            issues.append(.init("auth", "needs bearer_token_env or bearer_token_file"))
        }
        configuration.listen.bearerToken = token
    }
}
