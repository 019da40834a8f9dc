import Foundation
import Logging
import ScimCore
import ScimSources
import ServiceLifecycle

/// Polls one endpoint (`pollers[]`) on its interval: fetch, decode, and hand the result to the ingest
/// task through the ``PollInbox``. Never touches the pipeline itself, so the poll state keeps one
/// writer; a slow or failing endpoint delays nobody but itself.
public struct PollerService: Service {
    public let configuration: PollerConfiguration
    private let inbox: PollInbox
    private let logger: Logger

    public init(configuration: PollerConfiguration, inbox: PollInbox, logger: Logger = Logger(label: "scimwatch.poller")) {
        self.configuration = configuration
        self.inbox = inbox
        self.logger = logger
    }

    public func run() async throws {
        let poller = HTTPPoller(configuration: configuration.http)
        defer { poller.shutdown() }
        let decoder = configuration.decoder
        let clock = ContinuousClock()
        var wasUp: Bool?
        var metadata: Logger.Metadata = ["endpoint": "\(configuration.name)", "url": "\(configuration.displayURL)"]
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let start = clock.now
            // Shutdown does not wait for a slow endpoint: the fetch is cancelled and nothing is recorded.
            let fetched = await cancelWhenGracefulShutdown { await poller.fetch() }
            guard !Task.isCancelled, !Task.isShuttingDownGracefully else { break }
            let result = fetched.flatMap { decoder.decode($0) }
            inbox.send(PollRecord(endpoint: configuration.name, result: result, duration: clock.now - start,
                                  finishedAt: Int64((Date().timeIntervalSince1970 * 1000).rounded())))
            switch result {
            case .success:
                if wasUp != true { logger.info("poll answers", metadata: metadata) }
                wasUp = true
            case .failure(let failure):
                if wasUp != false {
                    metadata["reason"] = "\(failure)"
                    logger.warning("poll failed; its values are withdrawn until it answers", metadata: metadata)
                    metadata["reason"] = nil
                }
                wasUp = false
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(until: start + configuration.interval, clock: clock) }
        }
    }
}
