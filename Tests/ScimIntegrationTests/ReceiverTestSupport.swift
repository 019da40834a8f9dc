import Foundation
import Hummingbird
import Logging
import ScimApp
import ScimCore
import ScimNotifiers
import ScimStore
import ScimTesting
import Synchronization

/// A receiver on 127.0.0.1 that records every POST and answers with scripted statuses per path (in
/// order; the last one repeats; 202 when none is scripted).
final class RecordingReceiver: Sendable {
    struct Request: Sendable {
        var path: String
        var headers: [String: String]
        var body: [UInt8]
        var json: JSONValue? { try? JSONValue.parse(body) }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    private struct State {
        var requests: [Request] = []
        var scripts: [String: [(Int, retryAfter: String?)]] = [:]
    }

    private let state = Mutex(State())
    let paths: [String]

    init(paths: [String]) {
        self.paths = paths
    }

    /// Answers the next requests to `path` with these statuses.
    func script(_ path: String, _ statuses: [(Int, retryAfter: String?)]) {
        state.withLock { $0.scripts[path] = statuses }
    }

    var requests: [Request] { state.withLock { $0.requests } }

    func requests(to path: String) -> [Request] { requests.filter { $0.path == path } }

    var router: Router<BasicRequestContext> {
        let router = Router()
        for path in paths {
            router.post(RouterPath(path)) { request, _ -> Response in
                let buffer = try await request.body.collect(upTo: 1 << 20)
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName] = field.value }
                let (status, retryAfter) = self.state.withLock { s -> (Int, String?) in
                    s.requests.append(Request(path: path, headers: headers, body: Array(buffer.readableBytesView)))
                    guard var script = s.scripts[path], !script.isEmpty else { return (202, nil) }
                    let next = script.count > 1 ? script.removeFirst() : script[0]
                    s.scripts[path] = script
                    return (next.0, next.retryAfter)
                }
                var responseHeaders: HTTPFields = [.contentType: "application/json"]
                if let retryAfter { responseHeaders[.retryAfter] = retryAfter }
                return Response(status: .init(code: status), headers: responseHeaders,
                                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
            }
        }
        return router
    }
}

/// One scimwatch "process" for delivery tests: a store on a file, a pipeline without sources (the
/// test plays the ingest task: it queues notifications and takes checkpoints) and a running
/// ``NotificationService``. A new harness over the same file is a restart.
final class DeliveryHarness {
    let store: Store
    let pipeline: IngestPipeline
    let inbox = DeliveryInbox()
    let receivers: [ReceiverConfiguration]
    /// What the console receiver printed.
    let printed = PrintedLines()

    init(statePath: String, receivers: [ReceiverConfiguration]) throws {
        var configuration = ScimwatchConfiguration()
        configuration.sources = []
        configuration.statePath = statePath
        configuration.receivers = receivers
        self.receivers = receivers
        store = try Store(path: statePath)
        pipeline = try IngestPipeline(configuration: configuration, store: store, logger: quietLogger)
        pipeline.attach(deliveries: inbox)
    }

    /// Runs the notification service while `body` runs, then stops it and takes a last checkpoint.
    func running<T>(_ body: (DeliveryHarness) async throws -> T) async throws -> T {
        let printed = self.printed
        let service = NotificationService(receivers: receivers, store: store, inbox: inbox, interval: .milliseconds(30),
                                          console: { text in printed.lines.withLock { $0.append(text) } }, logger: quietLogger)
        let task = Task { try await service.run() }
        defer { task.cancel() }
        let result = try await body(self)
        task.cancel()
        _ = await task.result
        pipeline.collectDeliveries()
        pipeline.checkpoint()
        return result
    }

    /// Queues `notification` and commits it, as the evaluator's checkpoint will.
    func notify(_ notification: AlertNotification) {
        pipeline.enqueue(notification, now: WallClock.milliseconds())
        pipeline.checkpoint()
    }

    /// Plays the ingest task (collect outcomes, checkpoint) until `condition` holds or `timeout` passes.
    @discardableResult
    func pump(timeout: TimeInterval = 20, until condition: () throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if pipeline.collectDeliveries() { pipeline.checkpoint() }
            if try condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }

    /// Plays the ingest task for a while (to show that nothing more happens).
    func settle(for duration: Duration) async {
        let end = ContinuousClock.now + duration
        while ContinuousClock.now < end {
            if pipeline.collectDeliveries() { pipeline.checkpoint() }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    func count(_ receiver: String, _ result: NotificationResult) -> UInt64 {
        pipeline.notifications.state.counts[receiver]?[result] ?? 0
    }

    var pending: [String: Int] { pipeline.notifications.state.pending }
}

/// Fast retries for tests: 50 ms, doubling to 200 ms.
let quickRetries = DeliveryPolicy(maxAttempts: 5, maxAgeMs: 600_000, initialBackoffMs: 50, maxBackoffMs: 200)

/// A page with evidence, starting now (so it is well within the maximum age).
func testPage(state: AlertNotification.State = .firing, severity: AlertSeverity = .page, startsAt: Int64) -> AlertNotification {
    AlertNotification(
        alert: severity == .page ? "SLOBurnRatePage" : "SLOBurnRateTicket", slo: "provision-success", severity: severity,
        state: state, startsAt: startsAt, endsAt: state == .resolved ? WallClock.milliseconds() : nil,
        summary: "provisioning fails 16x faster than the objective allows",
        burnRates: ["1h": 16.2, "5m": 21.5], budgetRemaining: 0.625,
        evidence: Evidence(topTargets: [("salesforce", 12), ("github", 3)], topTenants: [("acme", 14)],
                           topStatusCodes: [("503", 10), ("429", 5)], sampleCorrelationIDs: ["c-1", "c-2", "c-3"]))
}

final class PrintedLines: Sendable {
    let lines = Mutex<[String]>([])
}
