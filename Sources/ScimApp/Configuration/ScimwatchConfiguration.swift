import ScimCore
import ScimHTTP

/// The whole configuration of a scimwatch process. Every field has a default, so no file is needed.
public struct ScimwatchConfiguration: Sendable {
    /// `listen`: where `/metrics`, `/healthz` and `/readyz` are served (`HOST:PORT`).
    public var listen = HTTPServerConfiguration()
    /// `state`: the SQLite file holding read positions and counters.
    public var statePath = "scimwatch.sqlite"
    /// `sources`: the logs to tail.
    public var sources: [SourceConfiguration] = [SourceConfiguration.defaultSource]
    /// `pollers`: queue, reconciler and Entra job endpoints polled over HTTP.
    public var pollers: [PollerConfiguration] = []
    /// `receivers`: where notifications go (Alertmanager, PagerDuty, webhook, Slack, console).
    public var receivers: [ReceiverConfiguration] = []
    /// `reports`: the weekly report delivered on a schedule; nil = not delivered (still served and printed).
    public var reports: ReportsConfiguration?
    /// `labels`, `duplicates`, `limits`: the engine's bounds.
    public var ingest = IngestConfiguration()
    /// `tailer.poll_interval`: how often files are looked at when idle.
    public var pollInterval: Duration = .milliseconds(250)
    /// `tailer.checkpoint_interval`: the longest time between two checkpoints while lines arrive.
    public var checkpointInterval: Duration = .seconds(1)
    /// `evaluation_interval`: SLOs are evaluated at least this often (and soon after new lines).
    public var evaluationInterval: Duration = .seconds(10)
    /// `slos:` and `period:`: the SLOs evaluated and alerted on (the built-in three unless configured).
    /// Kept in the engine's configuration, which counts and evaluates them.
    public var slos: [SLODefinition] {
        get { ingest.slos }
        set { ingest.slos = newValue }
    }
    /// `symptoms:`: thresholds of the symptom alerts (401/403 and 429 shares, stuck queue, ...).
    public var symptoms: SymptomThresholds {
        get { ingest.symptoms }
        set { ingest.symptoms = newValue }
    }

    public init() {}
}

/// One log source (`sources[]`).
public struct SourceConfiguration: Sendable, Equatable {
    /// `name`: unique; the `source` label.
    public var name: String
    /// `paths`: files or glob patterns.
    public var paths: [String]
    /// `format`, `tenant`, `mapping`, `targets`: how lines become events.
    public var format: SourceFormat
    /// `start_at`: `beginning` (default) or `end`, for files seen for the first time at start-up.
    public var startAtEnd: Bool

    public init(name: String, paths: [String], format: SourceFormat, startAtEnd: Bool = false) {
        self.name = name
        self.paths = paths
        self.format = format
        self.startAtEnd = startAtEnd
    }

    /// With no configuration file: native logs under `./logs`.
    public static let defaultSource = SourceConfiguration(name: "default", paths: ["logs/*.jsonl", "logs/*.log"], format: SourceFormat(format: .native))
}

/// One problem in a configuration: the key (a dotted path such as `sources[0].format`) and why.
public struct ConfigurationIssue: Sendable, Equatable, CustomStringConvertible {
    public var key: String
    public var reason: String

    public init(_ key: String, _ reason: String) {
        self.key = key
        self.reason = reason
    }

    public var description: String { "\(key): \(reason)" }
}

/// A configuration that cannot be used, with every problem found.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var issues: [ConfigurationIssue]

    public init(file: String, issues: [ConfigurationIssue]) {
        self.file = file
        self.issues = issues
    }

    public var description: String {
        "invalid configuration \(file):\n" + issues.map { "  \($0)" }.joined(separator: "\n")
    }
}
