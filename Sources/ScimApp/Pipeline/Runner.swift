import Logging
import ScimHTTP
import ScimStore
import ServiceLifecycle

/// `scimwatch run`: the ingest service and the HTTP server in one `ServiceGroup`; SIGTERM and SIGINT
/// drain, checkpoint and exit.
public enum Runner {
    public static func run(
        configuration: ScimwatchConfiguration, logger: Logger,
        extraServices: [ServiceGroupConfiguration.ServiceConfiguration] = [],
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let store = try Store(path: configuration.statePath)
        let pipeline = try IngestPipeline(configuration: configuration, store: store, logger: logger)
        let ingest = IngestService(pipeline: pipeline, logger: logger)
        let http = HTTPServer.application(
            configuration: configuration.listen, provider: pipeline.published, logger: logger,
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.listen.port
                logger.info("serving http://\(configuration.listen.host):\(port)/metrics")
                await onListening(port)
            })
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: ingest)] + extraServices + [.init(service: http)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
