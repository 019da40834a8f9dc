import Logging
import ScimCore
import ScimHTTP
import ScimStore
import ServiceLifecycle

/// `scimwatch run`: the ingest service, one poller per endpoint, the notification service, the scheduled
/// report delivery (with `reports:`) and the HTTP
/// server in one `ServiceGroup`; SIGTERM and SIGINT drain, checkpoint and exit (services stop in reverse
/// order, so ingest takes its final checkpoint after the pollers and the notifications have stopped).
public enum Runner {
    public static func run(
        configuration: ScimwatchConfiguration, logger: Logger,
        extraServices: [ServiceGroupConfiguration.ServiceConfiguration] = [],
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let store = try Store(path: configuration.statePath)
        let pipeline = try IngestPipeline(configuration: configuration, store: store, logger: logger)
        let inbox = PollInbox()
        pipeline.registerPollers(configuration.pollers.map(\.name))
        let deliveries = DeliveryInbox()
        pipeline.attach(deliveries: deliveries)
        pipeline.deliversNotifications = true
        // Every alert state change is also logged, with its evidence, whatever the receivers.
        pipeline.onNotifications = { notifications in
            for n in notifications { logger.notice("\(n.consoleLine)") }
        }
        let ingest = IngestService(pipeline: pipeline, polls: inbox, logger: logger)
        let notifier = NotificationService(receivers: configuration.receivers, store: store, inbox: deliveries, logger: logger)
        var reports: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let schedule = configuration.reports, !schedule.receivers.isEmpty {
            let ledger = ReportDeliveryLedger()
            pipeline.reportDeliveries = ledger
            let published = pipeline.published
            reports.append(.init(service: ReportDeliveryService(
                configuration: schedule, store: store, snapshot: { published.metricsSnapshot() }, ledger: ledger, logger: logger)))
        }
        let pollers = configuration.pollers.map {
            ServiceGroupConfiguration.ServiceConfiguration(service: PollerService(configuration: $0, inbox: inbox, logger: logger))
        }
        let http = HTTPServer.application(
            configuration: configuration.listen, provider: pipeline.published, logger: logger,
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.listen.port
                logger.info("serving http://\(configuration.listen.host):\(port)/metrics")
                await onListening(port)
            })
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: ingest)] + pollers + [.init(service: notifier)] + reports + extraServices + [.init(service: http)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
