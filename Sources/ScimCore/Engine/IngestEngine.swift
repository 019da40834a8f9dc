#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The single-writer state that events update: label tables, request metrics, per-source statistics
/// and the duplicate window. Pure: it never reads a clock; "now" is the latest event time it has seen.
public struct IngestEngine: Sendable {
    public let configuration: IngestConfiguration
    public var labels: Labels
    public internal(set) var requests = RequestMetrics()
    /// Statistics by source index (see ``registerSource(_:)``).
    public internal(set) var sources: [SourceStats] = []
    public private(set) var sourceNames: [String] = []
    /// Parsers by source index; `nil` for a source known only from a checkpoint.
    public private(set) var parsers: [SourceParser?] = []
    public internal(set) var duplicates: DuplicateWindow
    /// The largest event time seen, in epoch milliseconds (`Int64.min` before the first event).
    public internal(set) var latestEventTime: Int64 = .min
    /// Open operations: the correlator of events.md's operation model.
    public internal(set) var operations: OperationCorrelator
    public internal(set) var operationMetrics: OperationMetrics
    /// Per-minute SLO counts and the alert state machine.
    public internal(set) var slo: SLOEngine
    /// Hourly attempts, 401/403, 429 and deprovision latencies for the weekly report.
    public internal(set) var hourly = HourlyActivity()
    /// The symptom alerts and the recent per-target answers they look at.
    public internal(set) var symptoms: SymptomEvaluator
    public internal(set) var symptomCounts = SymptomCounts()
    /// Alert state changes not yet taken by the caller (see ``takeNotifications()``).
    public private(set) var notifications: [AlertNotification] = []
    /// The last minute evaluated when following event time.
    private var evaluatedMinute: Int64 = .min
    /// When true (replay), "now" is the latest event time; otherwise the caller advances it (run).
    public var followsEventTime = true
    /// The time overdue and expiry are judged at, epoch ms.
    public private(set) var now: Int64 = .min

    private var scratch: [Event] = []
    /// The operation key of each event in `scratch` (0 = not correlated), computed once, when parsed.
    private var scratchKeys: [UInt64] = []
    /// Multi-line documents being assembled, by source index.
    private var documents: [Int: DocumentAssembler] = [:]
    /// What advancing time decided (expiries, deprovisions overdue): counted at once, the buffer kept.
    private var transitions: [OperationTransition] = []
    /// The overdue deprovisions the symptom alerts look at, and the correlator's version they are of.
    private var overdueForSymptoms: (version: UInt64, summary: OverdueSummary) = (.max, .none)

    public init(configuration: IngestConfiguration = IngestConfiguration()) {
        self.configuration = configuration
        labels = Labels(tenantCap: configuration.tenantCap, targetCap: configuration.targetCap)
        duplicates = DuplicateWindow(windowMs: configuration.duplicateWindowMs, capacity: configuration.duplicateCapacity)
        operations = OperationCorrelator(configuration: configuration.operations)
        operationMetrics = OperationMetrics(windowMs: configuration.operations.latencyWindowMs)
        slo = SLOEngine(definitions: configuration.slos)
        slo.overdueThresholdMs = configuration.operations.deprovisionOverdueMs
        symptoms = SymptomEvaluator(thresholds: configuration.symptoms)
        slo.maintenance = configuration.maintenance
        symptoms.maintenance = configuration.maintenance
        scratch.reserveCapacity(64)
    }

    /// The index of a source, registering it the first time its name is seen.
    public mutating func registerSource(_ name: String) -> Int {
        if let i = sourceNames.firstIndex(of: name) { return i }
        sourceNames.append(name)
        sources.append(SourceStats())
        parsers.append(nil)
        return sourceNames.count - 1
    }

    /// Registers a source with the parser for its format. Call after restoring a checkpoint, so a
    /// bound tenant is interned into the restored label table.
    public mutating func registerSource(_ name: String, format: SourceFormat) -> Int {
        let index = registerSource(name)
        parsers[index] = format.makeParser(labels: &labels)
        return index
    }

    /// Ingests a block of lines for a registered source.
    public mutating func ingest(block: UnsafeRawBufferPointer, source: Int) {
        guard let parser = parsers[source] else { return }
        ingest(block: block, source: source, parser: parser)
    }

    /// Splits a block of complete lines and ingests each. A final line without a newline is ingested
    /// too: the tailer only passes one when the file is finished (replay).
    public mutating func ingest(block: UnsafeRawBufferPointer, source: Int, parser: SourceParser) {
        guard let start = block.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let end = start + block.count
        var lineStart = start
        var lines: UInt64 = 0
        while lineStart < end {
            let newline = memchr(lineStart, 0x0A, end - lineStart)?.assumingMemoryBound(to: UInt8.self)
            let lineEnd = newline.map { UnsafePointer($0) } ?? end
            ingestLine(UnsafeRawBufferPointer(start: lineStart, count: lineEnd - lineStart), source: source, parser: parser)
            lines += 1
            lineStart = lineEnd + 1
        }
        recordBatch(source: source)
        sources[source].lines &+= lines
        sources[source].bytes &+= UInt64(block.count)
        if followsEventTime, latestEventTime > now { advance(to: latestEventTime) }
    }

    /// Moves "now" forward: expires operations and marks deprovisions overdue.
    public mutating func advance(to time: Int64) {
        guard time > now else { return }
        now = time
        operations.advance(to: time, into: &transitions)
        for t in transitions { count(t) { nil } } // what advance resolves was stored, with its subject
        transitions.removeAll(keepingCapacity: true)
        operationMetrics.trimWindows(now: time)
        if followsEventTime { evaluateCompletedMinutes() }
    }

    /// Counts one thing the correlator decided. The operation's subject goes with a count that may be
    /// bad (``SLOEngine/mayCountBad(_:)``), as its evidence; `unstoredSubject` names an operation the
    /// correlator never stored (opened and resolved by one event: the event has the subject). A closure,
    /// so that the event is not copied (copying an `Event` retains and releases its strings).
    /// An opened operation is counted only once it resolves (the open gauges are recounted at snapshot).
    @inline(__always)
    private mutating func count(_ t: OperationTransition, unstoredSubject: () -> String?) {
        let op: OperationFacts
        switch t {
        case .resolved(let resolved, let result, let time, let latencyMs, _):
            op = resolved
            if result == .succeeded, op.lifecycleClass == .deprovision { hourly.recordDeprovision(latencyMs: latencyMs, at: time) }
        case .overdue(let overdue, _):
            op = overdue
        }
        operationMetrics.apply(t)
        if slo.countsOperations(of: op.lifecycleClass) {
            let evidence = slo.mayCountBad(t) ? operations.subject(of: op) ?? unstoredSubject() : nil
            slo.record(t, labels: labels, reference: evidence)
        }
    }

    /// Replay: evaluates the SLOs once per minute of event time, at the start of each minute that has
    /// begun, over windows ending with the minute before (complete). Gaps longer than the longest
    /// window are skipped: nothing could fire or resolve differently in them.
    private mutating func evaluateCompletedMinutes() {
        let current = MinuteCounts.minute(of: now)
        if evaluatedMinute == .min { evaluatedMinute = current - 1 }
        let longest = configuration.slos.flatMap(\.tiers).map { $0.longWindowMs / 60_000 }.max() ?? 60
        if current - evaluatedMinute > longest + 1 { evaluatedMinute = current - longest - 1 }
        while evaluatedMinute < current {
            evaluatedMinute += 1
            notifications += slo.evaluate(now: evaluatedMinute * 60_000, windowsEndingAt: evaluatedMinute - 1, labels: labels)
            notifications += symptoms.evaluate(now: evaluatedMinute * 60_000 - 1, counts: symptomCounts,
                                               overdue: overdueDeprovisions(), inputs: SymptomInputs(), labels: labels)
        }
    }

    /// Run: evaluates the SLOs at wall-clock `time` (windows end with its minute).
    public mutating func evaluate(at time: Int64, inputs: SymptomInputs = SymptomInputs()) {
        slo.collectsFiring = true
        notifications += slo.evaluate(now: time, labels: labels)
        notifications += symptoms.evaluate(now: time, counts: symptomCounts, overdue: overdueDeprovisions(),
                                           inputs: inputs, labels: labels)
    }

    /// The overdue deprovisions' summary, made again only when the correlator's changed.
    private mutating func overdueDeprovisions() -> OverdueSummary {
        if overdueForSymptoms.version != operations.overdueVersion {
            overdueForSymptoms = (operations.overdueVersion, operations.overdueSummary())
        }
        return overdueForSymptoms.summary
    }

    /// Returns and forgets the alert state changes decided so far.
    public mutating func takeNotifications() -> [AlertNotification] {
        defer { notifications.removeAll() }
        return notifications
    }

    /// Whether state is persisted: when not (an in-memory replay), nothing is queued for the store.
    public mutating func setPersistent(_ persistent: Bool) {
        duplicates.tracksUnsaved = persistent
        operations.tracksChanges = persistent
    }

    /// Restores an open operation from the store.
    public mutating func restoreOpenOperation(_ op: OpenOperation, key: UInt64) {
        operations.restore(op, key: key)
    }

    /// Called once a checkpoint stored the changed and removed open operations.
    public mutating func markOperationsSaved() { operations.markSaved() }

    @inline(__always)
    private mutating func ingestLine(_ raw: UnsafeRawBufferPointer, source: Int, parser: SourceParser) {
        var count = raw.count
        let base = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
        if count > 0, base[count - 1] == 0x0D { count -= 1 }
        if case .entra = parser, ingestDocumentLine(UnsafeRawBufferPointer(start: base, count: count), source: source, parser: parser) {
            return
        }
        if count > configuration.maxLineBytes {
            sources[source].parseErrors[Int(ParseErrorReason.tooLong.rawValue)] &+= 1
            return
        }
        var blank = true
        for i in 0..<min(count, 4) where base[i] != 0x20 && base[i] != 0x09 { blank = false; break }
        if blank, (0..<count).allSatisfy({ base[$0] == 0x20 || base[$0] == 0x09 }) { return }
        let before = scratch.count
        do {
            try parser.parse(UnsafeRawBufferPointer(start: base, count: count), labels: &labels, into: &scratch)
        } catch {
            scratch.removeSubrange(before...) // a failed line keeps none of its events
            sources[source].parseErrors[Int(error.reason.rawValue)] &+= 1
            return
        }
        prepare(from: before)
        if scratch.count >= Self.batchSize { recordBatch(source: source) }
    }

    /// Entra's portal download is one JSON array over many lines: lines of an open document are held
    /// and the whole document parsed when it closes. Returns true when the line was taken.
    private mutating func ingestDocumentLine(_ line: UnsafeRawBufferPointer, source: Int, parser: SourceParser) -> Bool {
        if documents[source] == nil { documents[source] = DocumentAssembler(limit: configuration.maxDocumentBytes) }
        switch documents[source]!.feed(line) {
        case .passThrough:
            return false
        case .held:
            return true
        case .tooLong:
            sources[source].parseErrors[Int(ParseErrorReason.tooLong.rawValue)] &+= 1
            return true
        case .complete:
            let before = scratch.count
            let document = documents[source]!.buffer
            documents[source]!.reset()
            let failure: ParseError? = document.withUnsafeBytes { bytes in
                do throws(ParseError) {
                    try parser.parse(bytes, labels: &labels, into: &scratch)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure {
                scratch.removeSubrange(before...)
                sources[source].parseErrors[Int(failure.reason.rawValue)] &+= 1
            } else {
                prepare(from: before)
            }
            if scratch.count >= Self.batchSize { recordBatch(source: source) }
            return true
        }
    }

    /// Replay: a document still open at the end of its files is incomplete; count it as invalid JSON.
    public mutating func finishDocuments() {
        for (source, assembler) in documents where assembler.isAssembling {
            sources[source].parseErrors[Int(ParseErrorReason.invalidJSON.rawValue)] &+= 1
            documents[source]?.reset()
        }
    }

    /// Events are recorded in batches so that the duplicate-window and open-operation slots they need
    /// are asked for (prefetched) as each line is parsed, a batch ahead of their use: the duplicate table
    /// is larger than the caches, and the misses then overlap with parsing instead of stalling recording.
    static let batchSize = 32

    /// The operation key of `scratch[i]`, 0 when it is not correlated.
    @inline(__always)
    private func operationKey(ofScratch i: Int) -> UInt64 {
        OperationCorrelator.key(operation: scratch[i].operation, identity: scratch[i].identity, tenant: scratch[i].tenant,
                                target: scratch[i].target) { scratch[i].correlationID ?? scratch[i].subject } ?? 0
    }

    /// Computes the operation keys of the events parsed from `start` on and prefetches their slots.
    @inline(__always)
    private mutating func prepare(from start: Int) {
        let correlates = configuration.operations.enabled
        for i in start..<scratch.count {
            if scratch[i].idHash != 0 { duplicates.prefetch(scratch[i].idHash) }
            let key = correlates ? operationKey(ofScratch: i) : 0
            if key != 0 { operations.prefetch(key, phase: scratch[i].phase) }
            scratchKeys.append(key)
        }
    }

    private mutating func recordBatch(source: Int) {
        guard !scratch.isEmpty else { return }
        // The batch and its keys are taken out of the engine (so that they are not shared, and are
        // written in place) and their elements passed `inout`, that is by address: an event passed by
        // value from a buffer to a mutating method of `self` was copied first (its strings retained,
        // then released), as `self` was being changed during the call: 15 of the 48 reference-count
        // calls per line with operations on (uprobes on the runtime's). An array element was copied too.
        var batch = scratch
        scratch = []
        var keys = scratchKeys
        scratchKeys = []
        batch.withUnsafeMutableBufferPointer { events in
            keys.withUnsafeMutableBufferPointer { keys in
                // Requests first, then operations: in one loop the operation code, inlined, takes
                // registers from the request part even where it never runs. An event that does not
                // count for operations (a duplicate, a late event) has its key cleared by the first.
                for i in events.indices where !recordRequest(&events[i], source: source) { keys[i] = 0 }
                for i in events.indices where keys[i] != 0 { recordOperation(&events[i], key: keys[i]) }
            }
        }
        batch.removeAll(keepingCapacity: true)
        scratch = batch
        keys.removeAll(keepingCapacity: true)
        scratchKeys = keys
    }

    /// Counts one parsed event (duplicates and late events are counted and, for duplicates, dropped): what
    /// ``recordBatch(source:)`` does for a batch, in two loops.
    public mutating func record(_ event: Event, source: Int) {
        let key = configuration.operations.enabled ? OperationCorrelator.key(of: event) ?? 0 : 0
        var event = event
        if recordRequest(&event, source: source), key != 0 { recordOperation(&event, key: key) }
    }

    /// Counts an event for the request SLIs; returns whether it counts for operations too (false for a
    /// duplicate, which is dropped, and for a late event). `inout` only to take the event by address
    /// (see ``recordBatch(source:)``): it is not changed.
    @inline(__always)
    private mutating func recordRequest(_ event: inout Event, source: Int) -> Bool {
        if event.time > latestEventTime { latestEventTime = event.time }
        if event.idHash != 0, !duplicates.insert(event.idHash, time: event.time, latest: latestEventTime) {
            sources[source].duplicates &+= 1
            return false
        }
        // A late event still counts for the cumulative request counters, but not for operations:
        // opening an operation older than the retention would only expire it as a false failure.
        let late = event.time < latestEventTime &- configuration.retentionMs
        if late { sources[source].late &+= 1 }
        sources[source].events &+= 1
        requests.record(event)
        if !late {
            let counted = event.countedStatus
            slo.record(event, countedStatus: counted, labels: labels)
            if let status = counted {
                symptomCounts.record(tenant: event.tenant, target: event.target, status: status, at: event.time)
                hourly.recordAttempt(status: status, at: event.time)
            }
            if evaluatedMinute == .min, followsEventTime { evaluatedMinute = MinuteCounts.minute(of: event.time) - 1 }
        }
        return !late
    }

    /// Applies an event to the correlator (`key`: its ``OperationCorrelator/key(of:)``) and counts what
    /// that decided. `inout` only to take the event by address, as ``recordRequest(_:source:)``.
    @inline(__always)
    private mutating func recordOperation(_ event: inout Event, key: UInt64) {
        operations.apply(event, key: key).forEach { count($0) { OperationCorrelator.subject(of: event) } }
    }

    /// Counts a line the tailer dropped without passing it on (longer than its buffer allows).
    public mutating func recordOverlongLine(source: Int, bytes: Int) {
        sources[source].lines &+= 1
        sources[source].bytes &+= UInt64(bytes)
        sources[source].parseErrors[Int(ParseErrorReason.tooLong.rawValue)] &+= 1
    }

    /// Counts a rotation the tailer detected.
    public mutating func recordRotation(_ kind: RotationKind, source: Int) {
        sources[source].rotations[Int(kind.rawValue)] &+= 1
    }
}
