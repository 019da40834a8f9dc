import ScimCore
import Yams

extension ConfigurationLoader {
    static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// A weekday name (any case): 1 = Monday ... 7 = Sunday; nil, with its issue, for anything else.
    mutating func weekday(_ node: Node, _ path: String) -> Int? {
        guard let text = string(node, path), let index = Self.weekdays.firstIndex(of: text.lowercased()) else {
            issues.append(.init(path, "must be a weekday name (monday ... sunday)"))
            return nil
        }
        return index + 1
    }

    /// `maintenance:` planned windows, once (`start`, `end`, RFC 3339) or weekly
    /// (`weekly: {day, start: "HH:MM", duration}`, UTC), for some `slos` (default all), optionally
    /// `exclude_from_budget`.
    mutating func parseMaintenance(_ node: Node) -> [MaintenanceWindow] {
        guard case .sequence(let items) = node else {
            issues.append(.init("maintenance", "must be a list of windows"))
            return []
        }
        var windows: [MaintenanceWindow] = []
        for (i, item) in items.enumerated() {
            let prefix = "maintenance[\(i)]"
            var name = "maintenance-\(i)"
            var start: Int64?
            var end: Int64?
            var weekly: MaintenanceWindow.Schedule?
            var slos: [String] = []
            var exclude = false
            for (key, value) in mapping(item, prefix) ?? [] {
                let path = "\(prefix).\(key)"
                switch key {
                case "name": name = string(value, path) ?? name
                case "start": start = time(value, path)
                case "end": end = time(value, path)
                case "slos": slos = strings(value, path) ?? []
                case "exclude_from_budget":
                    guard case .scalar = value, let flag = value.bool else {
                        issues.append(.init(path, "must be true or false"))
                        continue
                    }
                    exclude = flag
                case "weekly": weekly = parseWeekly(value, path)
                default: unknown(path)
                }
            }
            let schedule: MaintenanceWindow.Schedule
            if let weekly {
                guard start == nil, end == nil else {
                    issues.append(.init(prefix, "has both weekly and start/end: choose one"))
                    continue
                }
                schedule = weekly
            } else if let start, let end {
                guard end > start else {
                    issues.append(.init("\(prefix).end", "must be after start"))
                    continue
                }
                schedule = .once(start: start, end: end)
            } else {
                if !issues.contains(where: { $0.key.hasPrefix(prefix) }) {
                    issues.append(.init(prefix, "needs start and end, or weekly"))
                }
                continue
            }
            windows.append(MaintenanceWindow(name: name, schedule: schedule, slos: slos, excludeFromBudget: exclude))
        }
        return windows
    }

    private mutating func time(_ node: Node, _ key: String) -> Int64? {
        guard let text = string(node, key) else { return nil }
        guard let ms = EventTime.parseRFC3339(text) else {
            issues.append(.init(key, "must be an RFC 3339 time such as 2026-11-20T22:00:00Z, got \"\(text)\""))
            return nil
        }
        return ms
    }

    private mutating func parseWeekly(_ node: Node, _ key: String) -> MaintenanceWindow.Schedule? {
        var day: Int?
        var minute: Int?
        var duration: Int64?
        for (k, v) in mapping(node, key) ?? [] {
            let path = "\(key).\(k)"
            switch k {
            case "day":
                day = weekday(v, path)
            case "start":
                let parts = (string(v, path) ?? "").split(separator: ":")
                guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else {
                    issues.append(.init(path, "must be HH:MM (UTC)"))
                    continue
                }
                minute = h * 60 + m
            case "duration":
                duration = self.duration(v, path)
            default:
                unknown(path)
            }
        }
        guard let day, let minute, let duration else {
            issues.append(.init(key, "needs day, start and duration"))
            return nil
        }
        return .weekly(weekday: day, startMinute: minute, durationMs: duration)
    }
}
