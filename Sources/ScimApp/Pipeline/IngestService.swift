import Logging
import ServiceLifecycle

/// Runs an ``IngestPipeline`` in follow mode: refresh on an interval, read whatever is new, checkpoint
/// at least every `checkpointInterval` while lines arrive (and soon after they stop). While checkpoints
/// fail the pipeline reads nothing new, and the checkpoint is retried every `checkpointInterval`; polls,
/// evaluations, `/metrics` and `/readyz` go on. On graceful shutdown it takes a last checkpoint and returns.
public struct IngestService: Service {
    // The pipeline is only ever touched by this service's task; the box makes that hand-over explicit.
    private let box: PipelineBox
    private let polls: PollInbox?
    private let logger: Logger

    /// `polls` carries finished polls from the ``PollerService``s; they are applied between reads.
    public init(pipeline: IngestPipeline, polls: PollInbox? = nil, logger: Logger = Logger(label: "scimwatch.ingest")) {
        box = PipelineBox(pipeline)
        self.polls = polls
        self.logger = logger
    }

    public func run() async throws {
        let pipeline = box.pipeline
        let clock = ContinuousClock()
        let poll = pipeline.configuration.pollInterval
        let checkpointEvery = pipeline.configuration.checkpointInterval
        var nextRefresh = clock.now
        var lastCheckpoint = clock.now
        var dirty = false
        var lastEvaluation = clock.now
        let evaluateEvery = pipeline.configuration.evaluationInterval
        pipeline.advance(toWallClock: WallClock.milliseconds())
        pipeline.refresh()
        pipeline.checkpoint()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = clock.now
            pipeline.advance(toWallClock: WallClock.milliseconds())
            if now >= nextRefresh {
                pipeline.refresh()
                nextRefresh = now + poll
            }
            let read = pipeline.readAvailable()
            if read > 0 { dirty = true }
            if let records = polls?.drain(), !records.isEmpty {
                pipeline.record(polls: records)
                dirty = true
            }
            // Evaluate soon after new lines (a burst of failures pages within about a second) and on
            // the interval regardless (burn rates fall as time passes without new lines).
            let sinceEvaluation = now - lastEvaluation
            if (read > 0 && sinceEvaluation >= .milliseconds(250)) || sinceEvaluation >= evaluateEvery {
                pipeline.evaluate(atWallClock: WallClock.milliseconds())
                lastEvaluation = now
                if pipeline.hasPendingNotifications && !pipeline.isCheckpointFailing {
                    dirty = true
                    lastCheckpoint = now - checkpointEvery
                }
            }
            if pipeline.collectDeliveries() { dirty = true }
            let sinceCheckpoint = now - lastCheckpoint
            // A failing store is retried on the interval only: reading is paused, so `read == 0` says
            // nothing about lines having stopped.
            let due = pipeline.isCheckpointFailing
                ? sinceCheckpoint >= checkpointEvery
                : dirty && (sinceCheckpoint >= checkpointEvery || (read == 0 && sinceCheckpoint >= .milliseconds(100)))
            if due {
                pipeline.checkpoint()
                lastCheckpoint = clock.now
                dirty = pipeline.isCheckpointFailing
            } else if read == 0 && sinceCheckpoint >= checkpointEvery {
                pipeline.publish() // lag and readiness move even when no line arrives
                lastCheckpoint = clock.now
            }
            if read == 0 {
                try? await Task.sleep(for: min(poll, .milliseconds(100)))
            }
        }
        pipeline.collectDeliveries()
        pipeline.checkpoint()
        if pipeline.isCheckpointFailing {
            logger.error("""
                ingest stopped, but its final checkpoint failed: what was read since the last good one is read again at the next start
                """)
        } else {
            logger.info("ingest stopped after a final checkpoint")
        }
    }
}

/// Carries the non-Sendable pipeline into the service's task, which is its only user.
final class PipelineBox: @unchecked Sendable {
    let pipeline: IngestPipeline

    init(_ pipeline: IngestPipeline) {
        self.pipeline = pipeline
    }
}
