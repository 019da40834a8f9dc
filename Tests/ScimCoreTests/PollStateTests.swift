import ScimCore
import Testing

@Suite struct PollStateTests {
    let t0: Int64 = 1_795_000_000_000

    func queues(processed: Double = 100, depth: Double = 12) -> PollReading {
        PollReading(queues: [QueueReading(name: "provisioning", depth: depth, inFlight: 3, oldestAgeSeconds: 42.5,
                                          deadLetters: 0, processedTotal: processed)])
    }

    func reconciler(runID: String? = "r-1", finishedAt: Int64? = nil, result: String = "success") -> PollReading {
        PollReading(runs: [ReconcileRun(target: "github", runID: runID, finishedAt: finishedAt ?? t0, result: result,
                                        recordsChecked: 5000, drift: DriftCounts(missing: 3, orphaned: 1, mismatched: 7))])
    }

    func render(_ state: PollState) -> String {
        MetricsSnapshot(engine: IngestEngine(), polls: state).render(.prometheus)
    }

    @Test func aRunPolledFiveTimesCountsOnce() {
        var state = PollState()
        for i in 0..<5 {
            state.record(endpoint: "recon", result: .success(reconciler()), duration: .milliseconds(20), now: t0 + Int64(i) * 30_000)
        }
        #expect(state.targets["github"]?.counts == ["success": 1])
        let text = render(state)
        #expect(text.contains(#"scim_reconcile_runs_total{target="github",result="success"} 1"#))
        #expect(text.contains(#"scim_reconcile_last_success_timestamp_seconds{target="github"} 1795000000"#))
        #expect(text.contains(#"scim_reconcile_drift_records{target="github",kind="missing"} 3"#))
        #expect(text.contains(#"scim_reconcile_records_checked{target="github"} 5000"#))
        let openMetrics = MetricsSnapshot(engine: IngestEngine(), polls: state).render(.openMetrics)
        #expect(openMetrics.contains("# TYPE scim_reconcile_runs counter\n"))
        #expect(openMetrics.contains(#"scim_reconcile_runs_total{target="github",result="success"} 1"#))
        #expect(openMetrics.hasSuffix("# EOF\n"))
    }

    @Test func runsWithoutAnIdAreCountedByFinishTimeAndNewRunsCountAgain() {
        var state = PollState()
        let later = t0 + 3_600_000
        for (finished, result) in [(t0, "success"), (t0, "success"), (later, "failed"), (later, "failed")] {
            state.record(endpoint: "recon", result: .success(reconciler(runID: nil, finishedAt: finished, result: result)),
                         duration: .milliseconds(5), now: later)
        }
        #expect(state.targets["github"]?.counts == ["success": 1, "failure": 1])
        #expect(state.targets["github"]?.lastSuccess == t0, "a later failure does not move the last success")
    }

    @Test func aRunInProgressIsCountedWhenItFinishes() {
        var state = PollState()
        let running = PollReading(runs: [ReconcileRun(target: "github", runID: "r-2", result: "running")])
        state.record(endpoint: "recon", result: .success(running), duration: .zero, now: t0)
        #expect(state.targets["github"] == nil)
        state.record(endpoint: "recon", result: .success(reconciler(runID: "r-2")), duration: .zero, now: t0 + 1000)
        #expect(state.targets["github"]?.counts == ["success": 1])
    }

    @Test func seenRunKeysAreBounded() {
        var state = PollState()
        for i in 0..<200 {
            state.record(endpoint: "recon", result: .success(reconciler(runID: "r-\(i)")), duration: .zero, now: t0)
        }
        #expect(state.targets["github"]?.counts["success"] == 200)
        #expect(state.targets["github"]?.seen.count == PollState.seenRunsPerTarget)
    }

    @Test func aFailedPollWithdrawsTheGaugesAndSaysWhy() {
        var state = PollState()
        state.register(endpoint: "queue")
        #expect(render(state).contains(#"scimwatch_poll_up{endpoint="queue"} 0"#))
        state.record(endpoint: "queue", result: .success(queues()), duration: .milliseconds(250), now: t0)
        var text = render(state)
        #expect(text.contains(#"scim_queue_depth{queue="provisioning"} 12"#))
        #expect(text.contains(#"scim_queue_oldest_age_seconds{queue="provisioning"} 42.5"#))
        #expect(text.contains(#"scimwatch_poll_up{endpoint="queue"} 1"#))
        #expect(text.contains(#"scimwatch_poll_duration_seconds{endpoint="queue"} 0.25"#))

        state.record(endpoint: "queue", result: .failure(PollFailure(.httpStatus, "HTTP status 500")), duration: .milliseconds(10), now: t0 + 30_000)
        text = render(state)
        #expect(!text.contains("scim_queue_depth"))
        #expect(!text.contains("scim_queue_progress_timestamp_seconds"))
        #expect(text.contains(#"scimwatch_poll_up{endpoint="queue"} 0"#))
        #expect(text.contains(#"scimwatch_poll_errors_total{endpoint="queue",reason="http_status"} 1"#))
        #expect(state.endpoints["queue"]?.lastReading == queues(), "the last good reading is kept, just not exposed")

        state.record(endpoint: "queue", result: .success(queues()), duration: .milliseconds(10), now: t0 + 60_000)
        #expect(render(state).contains(#"scim_queue_depth{queue="provisioning"} 12"#))
    }

    @Test func aFailedReconcilerPollKeepsTheCounterButWithdrawsTheLastRunGauges() {
        var state = PollState()
        state.record(endpoint: "recon", result: .success(reconciler()), duration: .zero, now: t0)
        state.record(endpoint: "recon", result: .failure(PollFailure(.timeout)), duration: .seconds(10), now: t0 + 1)
        let text = render(state)
        #expect(!text.contains("scim_reconcile_drift_records"))
        #expect(!text.contains("scim_reconcile_records_checked"))
        #expect(text.contains(#"scim_reconcile_runs_total{target="github",result="success"} 1"#))
        #expect(text.contains(#"scim_reconcile_last_success_timestamp_seconds{target="github"}"#))
    }

    @Test func queueProgressMovesOnlyWhenProcessedTotalChanges() {
        var state = PollState()
        state.record(endpoint: "queue", result: .success(queues(processed: 100)), duration: .zero, now: t0)
        state.record(endpoint: "queue", result: .success(queues(processed: 100)), duration: .zero, now: t0 + 60_000)
        #expect(state.endpoints["queue"]?.progress["provisioning"]?.changedAt == t0)
        #expect(render(state).contains(#"scim_queue_progress_timestamp_seconds{queue="provisioning"} 1795000000"#))
        state.record(endpoint: "queue", result: .success(queues(processed: 101)), duration: .zero, now: t0 + 120_000)
        #expect(state.endpoints["queue"]?.progress["provisioning"]?.changedAt == t0 + 120_000)
    }

    @Test func theSameQueueFromTwoEndpointsIsWrittenOnce() {
        var state = PollState()
        state.record(endpoint: "b", result: .success(queues(depth: 2)), duration: .zero, now: t0)
        state.record(endpoint: "a", result: .success(queues(depth: 1)), duration: .zero, now: t0)
        let lines = render(state).split(separator: "\n").filter { $0.hasPrefix("scim_queue_depth{") }
        #expect(lines == [#"scim_queue_depth{queue="provisioning"} 1"#])
    }

    @Test func entraQuarantineIsExposedWhileTheEndpointAnswers() {
        var state = PollState()
        let reading = PollReading(quarantines: [QuarantineReading(target: "github", quarantined: true)])
        state.record(endpoint: "entra", result: .success(reading), duration: .zero, now: t0)
        #expect(render(state).contains(#"scim_connector_quarantined{target="github"} 1"#))
        state.record(endpoint: "entra", result: .failure(PollFailure(.refused)), duration: .zero, now: t0)
        #expect(!render(state).contains("scim_connector_quarantined"))
    }

    @Test func stateSurvivesEncodeAndRestore() throws {
        var state = PollState()
        state.register(endpoint: "queue")
        state.record(endpoint: "queue", result: .success(queues()), duration: .zero, now: t0)
        state.record(endpoint: "queue", result: .failure(PollFailure(.tooLarge)), duration: .zero, now: t0)
        state.record(endpoint: "recon", result: .success(reconciler()), duration: .zero, now: t0)
        state.record(endpoint: "recon", result: .success(reconciler(runID: "r-2", result: "failed")), duration: .zero, now: t0)

        var restored = PollState()
        restored.register(endpoint: "queue")
        try restored.restoreState(state.encodedState())
        #expect(restored.targets == state.targets)
        #expect(restored.endpoints["queue"]?.errors == [.tooLarge: 1])
        #expect(restored.endpoints["queue"]?.progress == state.endpoints["queue"]?.progress)
        #expect(restored.endpoints["queue"]?.registered == true)
        #expect(restored.endpoints["recon"]?.registered == false)
        #expect(restored.currentReadings.isEmpty, "readings are stale after a restart")

        // The run polled again after the restart is not counted twice.
        restored.record(endpoint: "recon", result: .success(reconciler()), duration: .zero, now: t0 + 1)
        #expect(restored.targets["github"]?.counts == ["success": 1, "failure": 1])
        #expect(throws: StateDecodingError.self) { try restored.restoreState([1, 2, 3]) }
    }
}
