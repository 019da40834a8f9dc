/// Parses and prints durations written as `250ms`, `10s`, `5m`, `24h`, `30d`, `1w` (or combined: `1h30m`).
public enum DurationText {
    /// Milliseconds, or `nil` when the text is not a duration.
    public static func milliseconds(_ text: String) -> Int64? {
        var total: Int64 = 0
        var number: Int64?
        var rest = Substring(text.trimmingCharacters(in: " "))
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            if let digit = rest.first?.wholeNumberValue {
                number = (number ?? 0) * 10 + Int64(digit)
                guard number! < 1 << 40 else { return nil }
                rest = rest.dropFirst()
                continue
            }
            guard let n = number else { return nil }
            let unit: Int64
            if rest.hasPrefix("ms") { unit = 1; rest = rest.dropFirst(2) } else {
                switch rest.first {
                case "s": unit = 1000
                case "m": unit = 60_000
                case "h": unit = 3_600_000
                case "d": unit = 86_400_000
                case "w": unit = 604_800_000
                default: return nil
                }
                rest = rest.dropFirst()
            }
            total += n * unit
            number = nil
        }
        return number == nil ? total : nil
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
