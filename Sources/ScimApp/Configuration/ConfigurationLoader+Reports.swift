import Foundation
import ScimCore
import ScimNotifiers
import Yams

extension ConfigurationLoader {
    /// `reports: {schedule: {weekday, time, time_zone}, formats, deliver: [...]}`. Each `deliver` item is
    /// `{directory: PATH}`, `{slack: {url}}` or `{webhook: {url, headers}}` (URLs literal, `{env}` or
    /// `{file}` as for receivers), with an optional `name` and `timeout`.
    mutating func parseReports(_ node: Node) -> ReportsConfiguration? {
        var reports = ReportsConfiguration()
        var deliverGiven = false
        for (key, value) in mapping(node, "reports") ?? [] {
            let path = "reports.\(key)"
            switch key {
            case "schedule":
                reports.schedule = parseReportSchedule(value, path)
            case "formats":
                guard let texts = strings(value, path) else { continue }
                var formats: [ReportFormat] = []
                for (i, text) in texts.enumerated() {
                    guard let format = ReportFormat(rawValue: text) else {
                        issues.append(.init("\(path)[\(i)]", "unknown format \"\(text)\"; one of html, md, json"))
                        continue
                    }
                    if !formats.contains(format) { formats.append(format) }
                }
                if texts.isEmpty { issues.append(.init(path, "must name at least one format (html, md, json)")) }
                reports.formats = formats
            case "deliver":
                deliverGiven = true
                reports.receivers = parseReportReceivers(value, path)
            default:
                unknown(path)
            }
        }
        if !deliverGiven {
            issues.append(.init("reports.deliver", "is required: a list of {directory: PATH}, {slack: {url}} or {webhook: {url}}"))
        }
        return reports
    }

    private mutating func parseReportSchedule(_ node: Node, _ key: String) -> ReportSchedule {
        var schedule = ReportSchedule()
        for (k, v) in mapping(node, key) ?? [] {
            let path = "\(key).\(k)"
            switch k {
            case "weekday":
                if let day = weekday(v, path) { schedule.weekday = day }
            case "time":
                let parts = (string(v, path) ?? "").split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
                      (0..<24).contains(h), (0..<60).contains(m) else {
                    issues.append(.init(path, "must be HH:MM, a time of day such as \"08:00\" (quoted)"))
                    continue
                }
                (schedule.hour, schedule.minute) = (h, m)
            case "time_zone":
                guard let text = string(v, path) else { continue }
                guard let zone = TimeZone(identifier: text) else {
                    issues.append(.init(path, "unknown time zone \"\(text)\"; use a name such as Europe/Paris or UTC"))
                    continue
                }
                schedule.timeZone = zone
            default:
                unknown(path)
            }
        }
        return schedule
    }

    private mutating func parseReportReceivers(_ node: Node, _ key: String) -> [ReportReceiver] {
        guard case .sequence(let items) = node else {
            issues.append(.init(key, "must be a list of {directory: PATH}, {slack: {url}} or {webhook: {url}}"))
            return []
        }
        if items.isEmpty { issues.append(.init(key, "must list at least one receiver")) }
        var receivers: [ReportReceiver] = []
        var names: Set<String> = []
        for (i, item) in items.enumerated() {
            let prefix = "\(key)[\(i)]"
            var name: String?
            var kinds: [(String, ReportReceiver.Kind?)] = []
            var headers: [SenderHeader] = []
            var timeout: Duration = .seconds(10)
            for (k, v) in mapping(item, prefix) ?? [] {
                let path = "\(prefix).\(k)"
                switch k {
                case "name":
                    name = string(v, path)
                    if name?.isEmpty == true { issues.append(.init(path, "must not be empty")) }
                case "directory":
                    let dir = string(v, path)
                    if dir?.isEmpty != false { issues.append(.init(path, "must be a directory path")) }
                    kinds.append((k, dir.flatMap { $0.isEmpty ? nil : ReportReceiver.Kind.directory($0) }))
                case "slack", "webhook":
                    var url: URL?
                    var urlGiven = false
                    for (field, value) in mapping(v, path) ?? [] {
                        let fieldPath = "\(path).\(field)"
                        switch field {
                        case "url":
                            urlGiven = true
                            if let text = headerValue(value, fieldPath) { url = receiverURL(text, fieldPath, quote: false) }
                        case "headers" where k == "webhook":
                            headers = parseHeaders(value, fieldPath).map { SenderHeader(name: $0.name, value: $0.value) }
                        case "timeout":
                            if let ms = duration(value, fieldPath) { timeout = .milliseconds(ms) }
                        default:
                            unknown(fieldPath)
                        }
                    }
                    if !urlGiven { issues.append(.init("\(path).url", "is required: the \(k) URL, literal, {env: NAME} or {file: PATH}")) }
                    kinds.append((k, url.map { k == "slack" ? ReportReceiver.Kind.slack($0) : ReportReceiver.Kind.webhook($0) }))
                default:
                    unknown(path)
                }
            }
            guard kinds.count == 1 else {
                issues.append(.init(prefix, kinds.isEmpty ? "needs one of directory, slack or webhook"
                                                          : "has \(kinds.map(\.0).joined(separator: " and ")): give one per item"))
                continue
            }
            guard let kind = kinds[0].1 else { continue } // its problem is already reported
            let resolved = name ?? "\(kinds[0].0)-\(i)"
            if !names.insert(resolved).inserted {
                issues.append(.init("\(prefix).name", "\"\(resolved)\" is used by another report receiver"))
            }
            receivers.append(ReportReceiver(name: resolved, kind: kind, headers: headers, timeout: timeout))
        }
        return receivers
    }
}
