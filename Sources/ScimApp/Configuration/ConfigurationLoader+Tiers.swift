import ScimCore
import Yams

extension ConfigurationLoader {
    /// `tiers:` either switches tiers of the default policy off (`{page_fast: false}`, the rest keep
    /// their factors scaled to the period), or replaces the policy with a list of
    /// `{severity, long, short, factor}`; `[]` means no burn-rate alerts for this SLO.
    mutating func parseTiers(_ node: Node, _ key: String, periodMs: Int64) -> [BurnRateTier]? {
        if case .mapping = node {
            var tiers = BurnRateTier.defaultPolicy(periodMs: periodMs)
            var enabled = Array(repeating: true, count: tiers.count)
            for (k, v) in mapping(node, key) ?? [] {
                guard let index = Self.defaultTierNames.firstIndex(of: k) else {
                    issues.append(.init("\(key).\(k)", "unknown tier; one of \(Self.defaultTierNames.joined(separator: ", "))"))
                    continue
                }
                guard case .scalar = v, let flag = v.bool else {
                    issues.append(.init("\(key).\(k)", "must be true or false"))
                    continue
                }
                enabled[index] = flag
            }
            tiers = zip(tiers, enabled).filter(\.1).map(\.0)
            for (name, tier) in zip(Self.defaultTierNames, BurnRateTier.defaultPolicy(periodMs: periodMs))
            where tiers.contains(tier) && tier.longWindowMs > periodMs {
                issues.append(.init("\(key).\(name)", "looks back \(WindowLabel.prometheus(tier.longWindowMs)), longer than the period (\(WindowLabel.prometheus(periodMs))): set it to false"))
            }
            return tiers
        }
        guard case .sequence(let items) = node else {
            issues.append(.init(key, "must be a mapping of default tiers to true/false, or a list of {severity, long, short, factor}"))
            return nil
        }
        var tiers: [BurnRateTier] = []
        for (i, item) in items.enumerated() {
            let prefix = "\(key)[\(i)]"
            var severity: AlertSeverity?
            var long: Int64?
            var short: Int64?
            var factor: Double?
            for (k, v) in mapping(item, prefix) ?? [] {
                let path = "\(prefix).\(k)"
                switch k {
                case "severity":
                    guard let text = string(v, path) else { continue }
                    severity = AlertSeverity(rawValue: text)
                    if severity == nil { issues.append(.init(path, "must be page or ticket, got \"\(text)\"")) }
                case "long": long = sloWindow(v, path)
                case "short": short = sloWindow(v, path)
                case "factor":
                    guard case .scalar(let s) = v, let f = Double(s.string), f.isFinite, f > 0 else {
                        issues.append(.init(path, "must be a number above 0: how many times faster than sustainable the budget burns"))
                        continue
                    }
                    factor = f
                default: unknown(path)
                }
            }
            for (name, missing) in [("severity", severity == nil), ("long", long == nil), ("short", short == nil), ("factor", factor == nil)]
            where missing && !issues.contains(where: { $0.key == "\(prefix).\(name)" || $0.key == prefix }) {
                issues.append(.init("\(prefix).\(name)", "is required"))
            }
            guard let severity, let long, let short, let factor else { continue }
            if short >= long {
                issues.append(.init("\(prefix).short", "must be shorter than long (\(WindowLabel.prometheus(long)))"))
            } else if long > periodMs {
                issues.append(.init("\(prefix).long", "must not be longer than the period (\(WindowLabel.prometheus(periodMs)))"))
            } else {
                tiers.append(BurnRateTier(severity: severity, longWindowMs: long, shortWindowMs: short, factor: factor))
            }
        }
        return tiers
    }
}
