import ScimCore
import Yams

extension ConfigurationLoader {
    /// The names of the default policy's tiers, in `BurnRateTier.defaultPolicy` order, as `tiers:` may
    /// switch them off: `tiers: {page_fast: false}`.
    static let defaultTierNames = ["page_fast", "page_slow", "ticket_fast", "ticket_slow"]

    /// `slos:` and `period:` (slo.md). Without `slos:` the built-in SLOs apply, over `period` if given.
    /// Called after the top level is read, since `period:` may come after `slos:`.
    mutating func parseSLOs(_ node: Node?, period periodNode: Node?) -> [SLODefinition] {
        var period = SLODefinition.defaultPeriodMs
        if let periodNode, let ms = sloWindow(periodNode, "period") { period = ms }
        guard let node else {
            if periodNode != nil { checkDefaultPolicy(fits: period, "period") }
            return SLODefinition.defaults.map { SLODefinition(name: $0.name, sli: $0.sli, objective: $0.objective, periodMs: period) }
        }
        guard case .sequence(let items) = node else {
            issues.append(.init("slos", "must be a list of SLOs"))
            return []
        }
        var slos: [SLODefinition] = []
        var names: Set<String> = []
        for (i, item) in items.enumerated() {
            let prefix = "slos[\(i)]"
            if let slo = parseSLO(item, prefix, period: period) {
                if names.insert(slo.name).inserted {
                    slos.append(slo)
                } else {
                    issues.append(.init("\(prefix).name", "\"\(slo.name)\" is used by another SLO"))
                }
            }
        }
        return slos
    }

    private mutating func parseSLO(_ node: Node, _ prefix: String, period: Int64) -> SLODefinition? {
        var name: String?
        var sli: SLIKind?
        var objective: Double?
        var periodMs = period
        var tenants: [String] = []
        var targets: [String] = []
        var minEvents = 10
        var minBadEvents = 2
        var tiersNode: Node?
        var keepFiringFor: [AlertSeverity: Int64] = [:]
        var periodKey = "period"
        for (key, value) in mapping(node, prefix) ?? [] {
            let path = "\(prefix).\(key)"
            switch key {
            case "name": name = string(value, path)
            case "sli": sli = parseSLI(value, path)
            case "objective": objective = parseObjective(value, path)
            case "period": if let ms = sloWindow(value, path) { periodMs = ms; periodKey = path }
            case "tenants": tenants = nonEmptyStrings(value, path)
            case "targets": targets = nonEmptyStrings(value, path)
            case "min_events": if let n = integer(value, path, in: 0...1_000_000_000) { minEvents = n }
            case "min_bad_events": if let n = integer(value, path, in: 0...1_000_000_000) { minBadEvents = n }
            case "tiers": tiersNode = value
            case "keep_firing_for": keepFiringFor = parseKeepFiringFor(value, path)
            default: unknown(path)
            }
        }
        let tiers = tiersNode.flatMap { parseTiers($0, "\(prefix).tiers", periodMs: periodMs) }
        // A period set at the top level is reported once there, not for every SLO.
        if tiersNode == nil, periodKey != "period" || !issues.contains(where: { $0.key == "period" }) {
            checkDefaultPolicy(fits: periodMs, periodKey)
        }
        guard let name, !name.isEmpty else {
            issues.append(.init("\(prefix).name", "is required: [a-z0-9-]+, the slo label"))
            return nil
        }
        guard name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
            issues.append(.init("\(prefix).name", "must match [a-z0-9-]+, got \"\(name)\""))
            return nil
        }
        if sli == nil, !issues.contains(where: { $0.key.hasPrefix("\(prefix).sli") }) {
            issues.append(.init("\(prefix).sli", "is required: {kind: request_success | operation_success | operation_latency | bulk_success, ...}"))
        }
        if objective == nil, !issues.contains(where: { $0.key == "\(prefix).objective" }) {
            issues.append(.init("\(prefix).objective", "is required: the share of good events, e.g. 0.999"))
        }
        guard let sli, let objective else { return nil }
        return SLODefinition(name: name, sli: sli, objective: objective, periodMs: periodMs, tenants: tenants, targets: targets,
                             tiers: tiers, minEvents: minEvents, minBadEvents: minBadEvents, keepFiringForMs: keepFiringFor)
    }

    /// `keep_firing_for: 5m` for both alerts of the SLO, or `{page: 5m, ticket: 30m}`.
    private mutating func parseKeepFiringFor(_ node: Node, _ key: String) -> [AlertSeverity: Int64] {
        if case .scalar = node {
            guard let ms = holdDuration(node, key, minimumMs: 0) else { return [:] }
            return [.page: ms, .ticket: ms]
        }
        guard case .mapping = node else {
            issues.append(.init(key, "must be a duration such as 5m, or {page: DURATION, ticket: DURATION}\(at(node))"))
            return [:]
        }
        var result: [AlertSeverity: Int64] = [:]
        for (k, v) in mapping(node, key) ?? [] {
            guard let severity = AlertSeverity(rawValue: k) else {
                issues.append(.init("\(key).\(k)", "must be page or ticket"))
                continue
            }
            if let ms = holdDuration(v, "\(key).\(k)", minimumMs: 0) { result[severity] = ms }
        }
        return result
    }

    /// `sli: {kind, classes, threshold, bad}`; a key the kind does not use is an error, not ignored.
    private mutating func parseSLI(_ node: Node, _ key: String) -> SLIKind? {
        var kind: String?
        var classes: [LifecycleClass]?
        var threshold: Int64?
        var bad: [StatusClass]?
        var present: Set<String> = []
        for (k, v) in mapping(node, key) ?? [] {
            let path = "\(key).\(k)"
            present.insert(k)
            switch k {
            case "kind": kind = string(v, path)
            case "classes": classes = parseClasses(v, path)
            case "threshold": threshold = duration(v, path)
            case "bad": bad = parseStatuses(v, path)
            default: unknown(path)
            }
        }
        let kinds = "request_success, operation_success, operation_latency, bulk_success"
        guard let kind else {
            if !issues.contains(where: { $0.key == "\(key).kind" || $0.key == key }) {
                issues.append(.init("\(key).kind", "is required: one of \(kinds)"))
            }
            return nil
        }
        let unused: Set<String>
        switch kind {
        case "request_success": unused = ["classes", "threshold"]
        case "operation_success": unused = ["threshold", "bad"]
        case "operation_latency": unused = ["bad"]
        case "bulk_success": unused = ["classes", "threshold", "bad"]
        default:
            issues.append(.init("\(key).kind", "unknown kind \"\(kind)\"; one of \(kinds)"))
            return nil
        }
        for k in present.intersection(unused).sorted() { issues.append(.init("\(key).\(k)", "is not used by kind \(kind)")) }
        guard present.intersection(unused).isEmpty else { return nil }
        switch kind {
        case "request_success":
            return bad.map { .requestSuccess(bad: $0) } ?? (present.contains("bad") ? nil : .requestSuccess(bad: StatusClass.defaultBad))
        case "operation_success":
            return classes.map { .operationSuccess(classes: $0) } ?? (present.contains("classes") ? nil : .operationSuccess(classes: LifecycleClass.allCases))
        case "operation_latency":
            guard let threshold else {
                if !present.contains("threshold") {
                    issues.append(.init("\(key).threshold", "is required for operation_latency: the latency that still counts as good, e.g. 10m"))
                }
                return nil
            }
            let all = present.contains("classes") ? classes : LifecycleClass.allCases
            return all.map { .operationLatency(classes: $0, thresholdMs: threshold) }
        default:
            return .bulkSuccess
        }
    }

    private mutating func parseClasses(_ node: Node, _ key: String) -> [LifecycleClass]? {
        guard let names = strings(node, key) else { return nil }
        var classes: [LifecycleClass] = []
        var ok = true
        for (i, name) in names.enumerated() {
            guard let c = LifecycleClass(name: name) else {
                let known = LifecycleClass.allCases.map(\.name).joined(separator: ", ")
                issues.append(.init("\(key)[\(i)]", "unknown class \"\(name)\"; one of \(known)"))
                ok = false
                continue
            }
            if !classes.contains(c) { classes.append(c) }
        }
        if names.isEmpty { issues.append(.init(key, "must list at least one class")) }
        return ok && !classes.isEmpty ? classes : nil
    }

    private mutating func parseStatuses(_ node: Node, _ key: String) -> [StatusClass]? {
        guard let texts = strings(node, key) else { return nil }
        var statuses: [StatusClass] = []
        var ok = true
        for (i, text) in texts.enumerated() {
            guard let status = StatusClass(text) else {
                issues.append(.init("\(key)[\(i)]", "must be a status such as \"429\", a class such as \"5xx\", or \"0\" (no response), got \"\(text)\""))
                ok = false
                continue
            }
            if !statuses.contains(status) { statuses.append(status) }
        }
        if texts.isEmpty { issues.append(.init(key, "must list at least one status or class")) }
        return ok && !statuses.isEmpty ? statuses : nil
    }

    /// The default tiers look back up to 3 days; a shorter period cannot hold their windows.
    private mutating func checkDefaultPolicy(fits periodMs: Int64, _ key: String) {
        let longest = BurnRateTier.defaultPolicy(periodMs: periodMs).map(\.longWindowMs).max() ?? 0
        if longest > periodMs {
            issues.append(.init(key, "must be at least \(WindowLabel.prometheus(longest)) (the longest window of the default tiers), or set tiers"))
        }
    }

    private mutating func parseObjective(_ node: Node, _ key: String) -> Double? {
        guard case .scalar(let s) = node, let value = Double(s.string), value > 0, value < 1 else {
            issues.append(.init(key, "must be a number between 0 and 1 (both excluded), e.g. 0.999\(at(node))"))
            return nil
        }
        return value
    }

    /// A window or period: whole minutes, because the evaluator keeps its counts per minute.
    mutating func sloWindow(_ node: Node, _ key: String) -> Int64? {
        guard let ms = duration(node, key) else { return nil }
        guard ms % 60_000 == 0 else {
            issues.append(.init(key, "must be whole minutes (SLO counts are kept per minute), got \(WindowLabel.prometheus(ms))"))
            return nil
        }
        return ms
    }

    private mutating func nonEmptyStrings(_ node: Node, _ key: String) -> [String] {
        let values = strings(node, key) ?? []
        for (i, v) in values.enumerated() where v.isEmpty { issues.append(.init("\(key)[\(i)]", "must not be empty")) }
        return values.filter { !$0.isEmpty }
    }
}
