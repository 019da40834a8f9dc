import Foundation
import Hummingbird
import ScimApp
import ScimCore
import ScimStore
import ScimTesting
import Testing

/// The outbox across restarts: what was pending is delivered by the next process, counters carry on,
/// and a state change is sent once however often it is decided.
@Suite struct OutboxDurabilityTests {
    func webhook(_ port: Int) -> ReceiverConfiguration {
        ReceiverConfiguration(receiver: Receiver(name: "hook", kind: .webhook),
                              url: URL(string: "http://127.0.0.1:\(port)/hook")!, policy: quickRetries)
    }

    @Test func aRestartDeliversWhatWasPendingAndKeepsTheCounters() async throws {
        let recorder = RecordingReceiver(paths: ["/hook"])
        recorder.script("/hook", [(503, nil)])
        let dir = try TemporaryDirectory(prefix: "outbox")
        defer { dir.remove() }
        let state = dir.file("state.sqlite")
        let start = WallClock.milliseconds()
        try await LocalHTTPServer.withRunning(recorder.router, logger: quietLogger) { port in
            // First process: the receiver is down; the page waits in the outbox.
            let first = try DeliveryHarness(statePath: state, receivers: [webhook(port)])
            try await first.running { h in
                h.notify(testPage(startsAt: start))
                #expect(await h.pump { h.count("hook", .retried) >= 2 })
            }
            let retried = first.count("hook", .retried)
            #expect(try Store(path: state).allNotifications().map(\.attempts) == [Int(retried)])

            // A page decided after the last checkpoint is lost with the process, and decided again.
            first.pipeline.enqueue(testPage(severity: .ticket, startsAt: start), now: WallClock.milliseconds())

            // Second process over the same file: the receiver is back.
            recorder.script("/hook", [(202, nil)])
            let second = try DeliveryHarness(statePath: state, receivers: [webhook(port)])
            #expect(second.count("hook", .retried) == retried, "counters come back from the checkpoint")
            #expect(second.pending["hook"] == 1)
            try await second.running { h in
                #expect(await h.pump { h.count("hook", .sent) == 1 && h.pending["hook"] == nil })
                h.notify(testPage(severity: .ticket, startsAt: start))
                #expect(await h.pump { h.count("hook", .sent) == 2 })
            }
        }
        let severities = recorder.requests(to: "/hook").compactMap { $0.json?["severity"]?.stringValue }
        #expect(severities.last == "ticket" && severities.filter { $0 == "ticket" }.count == 1)
        #expect(severities.filter { $0 == "page" }.count >= 3, "two refusals, then accepted after the restart")
    }

    @Test func aStateChangeIsDeliveredOnceHoweverOftenItIsDecided() async throws {
        let recorder = RecordingReceiver(paths: ["/hook"])
        let dir = try TemporaryDirectory(prefix: "outbox")
        defer { dir.remove() }
        let state = dir.file("state.sqlite")
        let start = WallClock.milliseconds()
        try await LocalHTTPServer.withRunning(recorder.router, logger: quietLogger) { port in
            let first = try DeliveryHarness(statePath: state, receivers: [webhook(port)])
            try await first.running { h in
                h.notify(testPage(startsAt: start))
                h.notify(testPage(startsAt: start))
                #expect(await h.pump { h.count("hook", .sent) == 1 })
                h.notify(testPage(startsAt: start)) // after delivery
                await h.settle(for: .milliseconds(300))
            }
            // Decided again after a restart (say the alert state was lost): still not sent again.
            let second = try DeliveryHarness(statePath: state, receivers: [webhook(port)])
            try await second.running { h in
                h.notify(testPage(startsAt: start))
                await h.settle(for: .milliseconds(300))
                h.notify(testPage(state: .resolved, startsAt: start))
                h.notify(testPage(state: .resolved, startsAt: start))
                #expect(await h.pump { h.count("hook", .sent) == 2 })
                // It fires again later: a new state change, sent.
                h.notify(testPage(startsAt: start + 60_000))
                #expect(await h.pump { h.count("hook", .sent) == 3 })
                await h.settle(for: .milliseconds(300))
            }
        }
        let states = recorder.requests(to: "/hook").compactMap { $0.json?["state"]?.stringValue }
        #expect(states == ["firing", "resolved", "firing"])
    }

    @Test func theConsoleReceiverPrintsThePage() async throws {
        let dir = try TemporaryDirectory(prefix: "outbox")
        defer { dir.remove() }
        let console = ReceiverConfiguration(receiver: Receiver(name: "console", kind: .console))
        let harness = try DeliveryHarness(statePath: dir.file("state.sqlite"), receivers: [console])
        try await harness.running { h in
            h.notify(testPage(startsAt: WallClock.milliseconds()))
            #expect(await h.pump { h.count("console", .sent) == 1 })
        }
        let printed = harness.printed.lines.withLock { $0 }
        try #require(printed.count == 1)
        #expect(printed[0].hasPrefix("[FIRING] page SLO provision-success: provisioning fails"))
        #expect(printed[0].contains("\nBurn rate: 16.2x over 1h, 21.5x over 5m\n"))
        #expect(printed[0].contains("\nSample correlation ids: c-1, c-2, c-3"))
    }

    @Test func notificationsOfARemovedReceiverAreDroppedAndCounted() async throws {
        let dir = try TemporaryDirectory(prefix: "outbox")
        defer { dir.remove() }
        let state = dir.file("state.sqlite")
        let gone = ReceiverConfiguration(receiver: Receiver(name: "gone", kind: .webhook),
                                         url: URL(string: "http://127.0.0.1:9/never")!)
        let before = try DeliveryHarness(statePath: state, receivers: [gone])
        before.notify(testPage(startsAt: WallClock.milliseconds())) // queued, never sent: no service ran
        let console = ReceiverConfiguration(receiver: Receiver(name: "console", kind: .console))
        let after = try DeliveryHarness(statePath: state, receivers: [console])
        #expect(after.pending["gone"] == 1)
        try await after.running { h in
            #expect(await h.pump { h.count("gone", .dropped) == 1 && h.pending.isEmpty })
        }
    }
}
