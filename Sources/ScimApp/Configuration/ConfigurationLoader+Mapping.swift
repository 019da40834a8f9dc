import ScimCore
import Yams

extension ConfigurationLoader {
    /// `mapping:` of a json source: each canonical field is a dotted path (`a.b.0.c`), or a mapping with
    /// `path`, an optional value `map`, or a constant `value`.
    mutating func parseMapping(_ node: Node, _ key: String, tenantBound: Bool) -> FieldMapping? {
        var rules: [String: FieldMapping.Rule] = [:]
        for (field, value) in mapping(node, key) ?? [] {
            let fieldKey = "\(key).\(field)"
            if case .scalar = value {
                if let path = string(value, fieldKey) { rules[field] = .path(path) }
                continue
            }
            var rule = FieldMapping.Rule()
            for (k, v) in mapping(value, fieldKey) ?? [] {
                switch k {
                case "path":
                    rule.path = string(v, "\(fieldKey).path")
                case "value":
                    if case .scalar(let scalar) = v {
                        if let n = v.int { rule.value = .number(Double(n)) } else if let d = v.float, scalar.style == .plain, v.string.flatMap(Double.init) != nil {
                            rule.value = .number(d)
                        } else {
                            rule.value = .string(scalar.string)
                        }
                    } else {
                        issues.append(.init("\(fieldKey).value", "must be a single value"))
                    }
                case "map":
                    var map: [String: String] = [:]
                    for (from, to) in mapping(v, "\(fieldKey).map") ?? [] {
                        if let target = string(to, "\(fieldKey).map.\(from)") { map[from] = target }
                    }
                    rule.map = map
                default:
                    unknown("\(fieldKey).\(k)")
                }
            }
            rules[field] = rule
        }
        let mapping = FieldMapping(rules: rules)
        for problem in mapping.validate(tenantBound: tenantBound) {
            issues.append(.init("\(key).\(problem.key)", problem.reason))
        }
        return mapping
    }
}
