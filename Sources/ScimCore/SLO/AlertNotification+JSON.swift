extension AlertNotification {
    /// The backtesting line of `replay --alerts-out` (one JSON object):
    /// `{"time", "alert", "slo", "severity", "state", "burn_rates"}` with the event time of the change.
    public var transitionJSONLine: String {
        let time = state == .firing ? startsAt : (endsAt ?? startsAt)
        let rates = burnRates.sorted { $0.key < $1.key }
            .map { "\"\($0.key)\":\(ExpositionWriter.jsonNumber($0.value))" }.joined(separator: ",")
        let sloText = slo.map { "\"\(Self.escape($0))\"" } ?? "null"
        return "{\"time\":\"\(EventTime.format(time))\",\"alert\":\"\(Self.escape(alert))\",\"slo\":\(sloText),"
            + "\"severity\":\"\(severity.rawValue)\",\"state\":\"\(state.rawValue)\",\"burn_rates\":{\(rates)}}"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if ch.value < 0x20 { out += "\\u" + String(repeating: "0", count: 4 - String(ch.value, radix: 16).count) + String(ch.value, radix: 16) } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// A one-line human summary, for logs and the console receiver.
    public var consoleLine: String {
        let rates = burnRates.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format1: $0.value))x" }.joined(separator: ", ")
        let budget = budgetRemaining.map { " budget left \(Int(($0 * 100).rounded()))%" } ?? ""
        let targets = evidence.topTargets.map { "\($0.0) (\($0.1))" }.joined(separator: ", ")
        let codes = evidence.topStatusCodes.map { "\($0.0) (\($0.1))" }.joined(separator: ", ")
        let what = slo.map { "slo=\($0) burn \(rates);\(budget)" } ?? summary
        return "[\(severity.rawValue.uppercased()) \(state.rawValue)] \(alert) \(what)"
            + (targets.isEmpty ? "" : "; targets \(targets)") + (codes.isEmpty ? "" : "; codes \(codes)")
            + (evidence.sampleCorrelationIDs.isEmpty ? "" : "; e.g. \(evidence.sampleCorrelationIDs.prefix(3).joined(separator: " "))")
    }
}

extension String {
    /// A number with one decimal.
    init(format1 value: Double) {
        guard value.isFinite else { self = "\(value)"; return }
        let tenths = (value * 10).rounded()
        self = "\(Int64(tenths) / 10).\(abs(Int64(tenths) % 10))"
    }
}

extension ExpositionWriter {
    /// A finite JSON number (NaN and infinities become null).
    static func jsonNumber(_ v: Double) -> String {
        v.isFinite ? format(v) : "null"
    }
}
