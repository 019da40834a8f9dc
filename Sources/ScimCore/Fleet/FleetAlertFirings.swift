/// The firings of the SLO burn-rate alerts of `scimwatch rules` (``PrometheusRules/burnRateAlert(_:)``)
/// as Prometheus's own `ALERTS{alertstate="firing"}` series show them at each step of a `query_range`:
/// the fleet's alerts, decided by Prometheus on the summed counters (each sidecar's own are not in Prometheus).
///
/// A firing starts at the first step its series is present and ends at the first step it is absent again;
/// one that is present at the range's last step still fires. Series of the same alert, SLO and severity
/// (two Prometheus replicas, extra labels) are merged. Resolution is the step: a shorter firing can be missed.
public struct FleetAlertFirings: Sendable {
    /// One firing of one alert of one SLO.
    public struct Firing: Sendable, Equatable {
        public var alert: String
        public var slo: String
        public var severity: AlertSeverity
        public var startMs: Int64
        /// Nil while it still fires at the range's last step.
        public var endMs: Int64?

        public init(alert: String, slo: String, severity: AlertSeverity, startMs: Int64, endMs: Int64?) {
            self.alert = alert
            self.slo = slo
            self.severity = severity
            self.startMs = startMs
            self.endMs = endMs
        }
    }

    /// The PromQL that selects them.
    public static var query: String {
        let names = AlertSeverity.allCases.map(PrometheusRules.burnRateAlert).sorted().joined(separator: "|")
        return #"ALERTS{alertstate="firing",alertname=~"\#(names)"}"#
    }

    public let stepMs: Int64
    public let lastStepMs: Int64
    private var steps: [Key: Set<Int64>] = [:]

    private struct Key: Hashable, Comparable {
        var alert: String
        var slo: String
        var severity: AlertSeverity

        static func < (a: Key, b: Key) -> Bool { (a.slo, a.alert) < (b.slo, b.alert) }
    }

    public init(stepMs: Int64, lastStepMs: Int64) {
        self.stepMs = stepMs
        self.lastStepMs = lastStepMs
    }

    /// Adds the points of one answer (a `query_range` chunk of ``query``).
    public mutating func add(_ answer: PrometheusAnswer) {
        for series in answer.series {
            guard series.labels["alertstate"] == "firing", let alert = series.labels["alertname"], let slo = series.labels["slo"],
                  let severity = series.labels["severity"].flatMap(AlertSeverity.init(rawValue:)) else { continue }
            let key = Key(alert: alert, slo: slo, severity: severity)
            steps[key, default: []].formUnion(series.samples.filter { $0.value > 0 }.map(\.timeMs))
        }
    }

    /// Every firing, in order of start (then SLO).
    public var firings: [Firing] {
        var out: [Firing] = []
        for (key, times) in steps.sorted(by: { $0.key < $1.key }) {
            var start: Int64?
            var previous: Int64 = .min
            for t in times.sorted() {
                if let s = start, t - previous > stepMs {
                    out.append(Firing(alert: key.alert, slo: key.slo, severity: key.severity, startMs: s, endMs: previous + stepMs))
                    start = nil
                }
                if start == nil { start = t }
                previous = t
            }
            if let s = start {
                out.append(Firing(alert: key.alert, slo: key.slo, severity: key.severity, startMs: s,
                                  endMs: previous >= lastStepMs ? nil : previous + stepMs))
            }
        }
        return out.sorted { ($0.startMs, $0.slo) < ($1.startMs, $1.slo) }
    }
}
