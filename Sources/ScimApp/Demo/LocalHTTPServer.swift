import Hummingbird
import Logging
import ServiceLifecycle

/// A small Hummingbird server on 127.0.0.1 at a free port, alive while a body runs: the demo's
/// simulated endpoints, and the endpoints tests poll.
public enum LocalHTTPServer {
    /// Serves `router` while `body` runs; `body` gets the port. The server stops gracefully when `body`
    /// returns or throws.
    public static func withRunning<T>(
        _ router: Router<BasicRequestContext>, logger: Logger, _ body: (Int) async throws -> T
    ) async throws -> T {
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "scimwatch-local"),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        // Its own group with no signals: it stops when `body` is done, however that happens.
        let server = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { portContinuation.finish() }
                try await server.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw StartupError("a local HTTP server did not start") }
            let result: T
            do {
                result = try await body(port)
            } catch {
                await server.triggerGracefulShutdown()
                throw error
            }
            await server.triggerGracefulShutdown()
            try await group.waitForAll()
            return result
        }
    }
}
