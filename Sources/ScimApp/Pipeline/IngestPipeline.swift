import Logging
import ScimCore
import ScimHTTP
import ScimSources
import ScimStore

/// Sources -> engine -> store, owned by one task. `run` follows files forever; `replay` reads them
/// to their end; both go through exactly this code.
///
/// Each checkpoint commits the engine state and the read positions that produced it in one
/// transaction, then publishes a snapshot: what readers see is always committed.
public final class IngestPipeline {
    public let configuration: ScimwatchConfiguration
    public let store: Store
    public let published: SnapshotBox
    /// When this pipeline started (wall clock), the "since" of symptoms seen from the start.
    let startedAt = WallClock.milliseconds()
    var sourceBytesSeen: [Int: UInt64] = [:]
    var sourceGrewAt: [Int: Int64] = [:]
    public private(set) var engine: IngestEngine
    /// Queue, reconciler and quarantine state from the pollers; written only by the ingest task.
    public private(set) var polls: PollState
    /// Poll readings by hour (queue backlog, drift) for the weekly report; written only by the ingest task.
    public private(set) var pollHistory: PollHistory
    /// Scheduled report delivery counts, shown on `/metrics` (set by `run` when `reports:` is configured).
    public var reportDeliveries: ReportDeliveryLedger?
    /// Delivery counters and the notifications decided or settled since the last checkpoint.
    public internal(set) var notifications: NotificationLedger
    public private(set) var tailers: [FileTailer] = []
    public private(set) var storeErrors: [String: UInt64] = [:]
    private var checkpointHealth = CheckpointHealth()
    /// Alert state changes taken for checkpoints that failed: handed to `onNotifications` by the one that succeeds.
    private var uncommittedDecisions: [AlertNotification] = []
    let logger: Logger
    private let version: String

    /// Opens the pipeline: restores the engine and read positions from `store`.
    public init(configuration: ScimwatchConfiguration, store: Store, version: String = ScimwatchVersion.current,
                logger: Logger = Logger(label: "scimwatch.ingest")) throws(StartupError) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        self.version = version
        var engine = IngestEngine(configuration: configuration.ingest)
        var polls = PollState(targetCap: configuration.ingest.targetCap)
        var pollHistory = PollHistory()
        var notifications = NotificationLedger(receivers: configuration.receivers.map(\.receiver))
        let stored: StoredState
        do {
            stored = try store.load()
        } catch {
            throw StartupError(error.description)
        }
        if let bytes = stored.engineState {
            try Self.restore(bytes, path: store.path, engine: &engine, polls: &polls, pollHistory: &pollHistory,
                             notifications: &notifications)
        }
        for id in stored.recentIDs { engine.restoreRecentID(id.hash, time: id.time) }
        for op in stored.openOperations {
            guard let decoded = try? OperationCorrelator.decode(op.data) else { continue }
            engine.restoreOpenOperation(decoded, key: op.key)
        }
        for source in configuration.sources {
            let index = engine.registerSource(source.name, format: source.format)
            let tailer = FileTailer(
                configuration: .init(source: source.name, patterns: source.paths, startAtEnd: source.startAtEnd,
                                     maxLineBytes: configuration.ingest.maxLineBytes),
                sourceIndex: index, restoring: stored.positions, logger: logger)
            tailers.append(tailer)
        }
        // An in-memory store outlives nothing: recent ids need not be queued for it.
        engine.setPersistent(store.path != nil)
        self.engine = engine
        self.polls = polls
        self.pollHistory = pollHistory
        notifications.refreshPending(store: store, logger: logger)
        self.notifications = notifications
        published = SnapshotBox(MetricsSnapshot(engine: engine, version: version))
        // Readers (the scheduled report) may look before the first checkpoint: show them the restored state.
        published.publish(snapshot(), readiness: Readiness(problems: ["starting"]))
    }

    /// Sets "now" for overdue and expiry: the wall clock in `run` (replay follows event time instead).
    public func advance(toWallClock now: Int64) {
        engine.followsEventTime = false
        engine.advance(to: now)
    }

    /// Looks at the file system for new, rotated and truncated files.
    public func refresh() {
        for tailer in tailers { tailer.refresh(into: &engine) }
    }

    /// Whether the last checkpoint failed: reading is paused until one succeeds.
    public var isCheckpointFailing: Bool { checkpointHealth.isFailing }

    /// Reads what is available, up to `budget` bytes per source. Returns the bytes read: none while
    /// the last checkpoint failed, so the read positions wait for the store (see ``CheckpointHealth``).
    @discardableResult
    public func readAvailable(budget: Int = 8 << 20) -> Int {
        guard !checkpointHealth.isFailing else { return 0 }
        var total = 0
        for tailer in tailers { total += tailer.read(into: &engine, budget: budget) }
        return total
    }

    /// Declares the configured pollers, so each shows `scimwatch_poll_up` (0 until its first good poll).
    public func registerPollers(_ names: [String]) {
        for name in names { polls.register(endpoint: name) }
    }

    /// Applies finished polls to the poll state; they are committed with the next checkpoint.
    public func record(polls records: [PollRecord]) {
        for r in records {
            polls.record(endpoint: r.endpoint, result: r.result, duration: r.duration, now: r.finishedAt)
            if case .success(let reading) = r.result { pollHistory.record(reading, at: r.finishedAt) }
        }
    }

    /// Replay: reads every file to its end (a last line without a newline included), then checkpoints.
    /// Throws when that checkpoint fails: nothing of the replay is stored.
    public func readToEnd() throws(StoreError) {
        refresh()
        while readAvailable(budget: 64 << 20) > 0 {}
        for tailer in tailers { tailer.flushPartialLines(into: &engine) }
        engine.finishDocuments()
        checkpoint()
        if let error = checkpointHealth.lastError { throw error }
    }

    /// Receives alert state changes after the checkpoint that decided them is committed.
    public var onNotifications: ([AlertNotification]) -> Void = { _ in }

    /// Whether alert state changes wait for the next checkpoint.
    public var hasPendingNotifications: Bool { !engine.notifications.isEmpty }

    /// Whether alert state changes are queued for the receivers (`run`); replay only reports them, so a
    /// backfill of old logs never pages anyone.
    public var deliversNotifications = false

    /// Evaluates the SLOs at wall-clock `now` (run mode; replay evaluates by event time as it reads),
    /// and refreshes the firing alerts held by Alertmanager.
    public func evaluate(atWallClock now: Int64) {
        noteSourceGrowth(now: now)
        engine.evaluate(at: now, inputs: symptomInputs(now: now))
        if deliversNotifications {
            for n in engine.slo.firingNow + engine.symptoms.firingNow { resendFiring(n, now: now) }
        }
    }

    /// Commits engine state, read positions and the outbox together, then publishes them. A failure is counted
    /// and logged; the state stays in memory, reading pauses, and the next checkpoint tries again.
    public func checkpoint() {
        // Alert state changes go into the outbox in the same transaction as the state that decided
        // them: a page decided after the last checkpoint is decided again after a crash, never lost.
        let decided = engine.takeNotifications()
        if deliversNotifications {
            let now = WallClock.milliseconds()
            for n in decided { notifications.enqueue(n, now: now) }
        }
        uncommittedDecisions += decided
        let open = engine.operations.open
        let checkpoint = Checkpoint(
            engineState: encodedSections().encoded(),
            positions: tailers.flatMap(\.positions),
            newRecentIDs: engine.duplicates.unsaved.map { RecentID(hash: $0.hash, time: $0.time) },
            forgetRecentIDsBefore: engine.latestEventTime == .min ? .min : engine.latestEventTime - engine.duplicates.windowMs,
            changedOperations: engine.operations.changedSinceSave.keys.compactMap { key in
                open[key].map { StoredOperation(key: key, data: OperationCorrelator.encode($0)) }
            },
            removedOperations: engine.operations.removedSinceSave.keys,
            newNotifications: notifications.unsavedEntries,
            settledNotifications: notifications.unsavedOutcomes)
        do {
            try store.checkpoint(checkpoint)
            engine.markRecentIDsSaved()
            engine.markOperationsSaved()
            notifications.markSaved(store: store, logger: logger)
            let failures = checkpointHealth.succeeded()
            if failures > 0 {
                logger.notice("a checkpoint succeeded after \(failures) failed; reading resumes",
                              metadata: ["state": "\(store.path ?? "memory")"])
            }
            let committed = uncommittedDecisions
            uncommittedDecisions = []
            if !committed.isEmpty { onNotifications(committed) }
        } catch {
            storeErrors[error.operation, default: 0] += 1
            if checkpointHealth.failed(error) {
                logger.error("""
                    \(error). Reading is paused until a checkpoint succeeds; it is retried every \(configuration.checkpointInterval)
                    """)
            }
        }
        publish()
    }

    /// Every part of the state, each in its own section of the checkpoint.
    func encodedSections() -> StateSections {
        var sections = StateSections()
        sections["engine"] = engine.encodedState()
        sections["slo"] = engine.slo.encodedState()
        sections["alert_history"] = engine.slo.history.encoded()
        sections["bad_tally"] = engine.slo.encodedTallies()
        sections["hourly"] = engine.hourly.encoded()
        sections["symptoms"] = engine.symptoms.alerts.encoded()
        sections["polls"] = polls.encodedState()
        sections["poll_hourly"] = pollHistory.encoded()
        sections["notifications"] = notifications.state.encodedState()
        return sections
    }

    /// Publishes the current state to readers. While checkpoints fail, the counts stay those last
    /// committed (a scrape never sees a count that a crash would take back); the store errors, the
    /// lag and the readiness are current.
    public func publish() {
        guard checkpointHealth.isFailing else { return published.publish(snapshot(), readiness: readiness()) }
        var committed = published.metricsSnapshot()
        let current = snapshot()
        committed.storeErrors = current.storeErrors
        committed.lagBytes = current.lagBytes
        committed.openFiles = current.openFiles
        committed.readErrors = current.readErrors
        published.publish(committed, readiness: readiness())
    }

    /// The metrics snapshot of the current state.
    public func snapshot() -> MetricsSnapshot {
        var s = MetricsSnapshot(
            engine: engine.snapshot(),
            lagBytes: engine.sourceNames.indices.map { i in tailers.first { $0.sourceIndex == i }?.lagBytes ?? 0 },
            openFiles: engine.sourceNames.indices.map { i in tailers.first { $0.sourceIndex == i }?.openFileCount ?? 0 },
            readErrors: engine.sourceNames.indices.map { i in tailers.first { $0.sourceIndex == i }?.readErrors ?? 0 },
            storeErrors: storeErrors, polls: polls, notifications: notifications.state, version: version,
            revision: ScimwatchVersion.revision)
        s.pollHistory = pollHistory
        s.reportDeliveries = reportDeliveries?.snapshot ?? [:]
        return s
    }

    func readiness() -> Readiness {
        var problems: [String] = []
        if !store.isReadable() { problems.append("the state store does not answer") }
        for tailer in tailers where !tailer.isReadable {
            problems.append("source \(tailer.configuration.source): \(tailer.lastError?.description ?? "files cannot be read")")
        }
        if let problem = checkpointHealth.readinessProblem { problems.append(problem) }
        return Readiness(problems: problems)
    }

}

/// Why scimwatch cannot start (bad state or configuration); printed as is.
public struct StartupError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
