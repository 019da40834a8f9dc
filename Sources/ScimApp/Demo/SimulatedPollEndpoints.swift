import Foundation
import Hummingbird
import Logging
import ScimCore

/// The demo's queue and reconciler endpoints (``PollSimulation``), served on 127.0.0.1 at a free port,
/// and the pollers that read them.
public enum SimulatedPollEndpoints {
    /// Runs the endpoints while `body` runs; `body` gets their port. They stop when `body` returns.
    public static func withRunning(logger: Logger, _ body: (Int) async throws -> Void) async throws {
        let router = Router()
        router.get("/queues") { _, _ in answer(PollSimulation.queues(at: wallClockMilliseconds())) }
        router.get("/reconciler") { _, _ in answer(PollSimulation.reconciler(at: wallClockMilliseconds())) }
        var quiet = logger
        quiet.logLevel = .warning
        try await LocalHTTPServer.withRunning(router, logger: quiet, body)
    }

    /// Pollers for the endpoints on `port`: fast enough to watch values move.
    public static func pollers(port: Int) -> [PollerConfiguration] {
        let base = "http://127.0.0.1:\(port)"
        return [
            PollerConfiguration(name: "demo-queues", url: URL(string: base + "/queues")!, format: .native,
                                interval: .seconds(5), timeout: .seconds(2)),
            PollerConfiguration(name: "demo-reconciler", url: URL(string: base + "/reconciler")!, format: .native,
                                interval: .seconds(15), timeout: .seconds(2)),
        ]
    }

    static func answer(_ json: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    static func wallClockMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
