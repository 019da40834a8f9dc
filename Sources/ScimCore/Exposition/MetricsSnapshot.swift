/// What a scrape shows: an immutable copy of committed engine state plus the gauges and self metrics
/// that the adapters own. The ingest task publishes one after each checkpoint; readers never mutate it.
public struct MetricsSnapshot: Sendable {
    public var engine: EngineSnapshot
    /// `scimwatch_log_lag_bytes` by source index: bytes in the files not yet read.
    public var lagBytes: [Int64]
    /// `scimwatch_log_files` by source index: files being tailed.
    public var openFiles: [Int]
    /// `scimwatch_log_read_errors_total` by source index: failed opens, stats and reads.
    public var readErrors: [UInt64]
    /// `scimwatch_store_errors_total` by operation.
    public var storeErrors: [String: UInt64]
    /// Queue, reconciler and quarantine values from polling, and the pollers' own health.
    public var polls: PollState
    /// Notification delivery counters and outbox sizes.
    public var notifications: NotificationState
    /// Poll readings by hour, for the weekly report's queue backlog and drift by day.
    public var pollHistory = PollHistory()
    /// `scimwatch_report_deliveries_total` by receiver and result (`sent`, `failed`); empty without `reports:`.
    public var reportDeliveries: [String: [String: UInt64]] = [:]
    public var version: String
    public var revision: String

    /// A snapshot of `engine` (which computes its window quantiles and oldest ages).
    public init(
        engine: IngestEngine, lagBytes: [Int64] = [], openFiles: [Int] = [], readErrors: [UInt64] = [],
        storeErrors: [String: UInt64] = [:], polls: PollState = PollState(), notifications: NotificationState = NotificationState(),
        version: String = "dev", revision: String = "unknown"
    ) {
        var copy = engine
        self.init(engine: copy.snapshot(), lagBytes: lagBytes, openFiles: openFiles, readErrors: readErrors,
                  storeErrors: storeErrors, polls: polls, notifications: notifications, version: version, revision: revision)
    }

    public init(
        engine: EngineSnapshot, lagBytes: [Int64] = [], openFiles: [Int] = [], readErrors: [UInt64] = [],
        storeErrors: [String: UInt64] = [:], polls: PollState = PollState(), notifications: NotificationState = NotificationState(),
        version: String = "dev", revision: String = "unknown"
    ) {
        self.engine = engine
        self.lagBytes = lagBytes
        self.openFiles = openFiles
        self.readErrors = readErrors
        self.storeErrors = storeErrors
        self.polls = polls
        self.notifications = notifications
        self.version = version
        self.revision = revision
    }
}
