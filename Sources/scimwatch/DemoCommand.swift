import ArgumentParser
import Foundation
import Logging
import ScimApp
import ScimCore
import ServiceLifecycle

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a simulated provisioning service and scimwatch tailing its logs, in one process.",
        discussion: """
            The simulator writes native logs (steady traffic, retries, 429 bursts, a token expiry with 401s,
            bulk requests, rotation) into a temporary directory and serves queue and reconciler endpoints on
            127.0.0.1; scimwatch tails the logs, polls the endpoints and serves /metrics.
            """)

    @Option(name: .long, help: "Address to serve on, HOST:PORT (port 0 picks a free one).")
    var listen: String = "127.0.0.1:\(ScimwatchDefaults.port)"

    @Option(name: .long, help: "Directory for the simulated logs and the state (default: a new temporary directory).")
    var dir: String?

    @Option(name: .long, help: "Also send pages and tickets to this Alertmanager (its base URL, e.g. http://127.0.0.1:9093).")
    var alertmanager: String?

    @Option(name: .customLong("for"), help: "Stop by itself after this many seconds (default: run until interrupted).")
    var seconds: Int?

    func run() async throws {
        bootstrapLogging()
        guard let address = ConfigurationLoader.parseAddress(listen) else {
            throw ValidationError("--listen must be HOST:PORT, got \"\(listen)\"")
        }
        let directory = try dir ?? makeTemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = ScimwatchConfiguration()
        (configuration.listen.host, configuration.listen.port) = address
        configuration.statePath = directory + "/scimwatch.sqlite"
        configuration.sources = [SourceConfiguration(
            name: "demo", paths: [directory + "/scim.log", directory + "/scim.log.1"], format: SourceFormat(format: .native))]
        // Pages and tickets are printed on the console; with --alertmanager they go there too.
        configuration.receivers = [ReceiverConfiguration(receiver: Receiver(name: "console", kind: .console))]
        if let alertmanager {
            guard let url = URL(string: alertmanager), url.scheme == "http" || url.scheme == "https" else {
                throw ValidationError("--alertmanager must be an http(s) URL, got \"\(alertmanager)\"")
            }
            configuration.receivers.append(ReceiverConfiguration(receiver: Receiver(name: "alertmanager", kind: .alertmanager), url: url))
        }
        let logger = Logger(label: "scimwatch")
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: SimulatedLogWriter(directory: directory))]
        if let seconds {
            services.append(.init(service: StopAfter(.seconds(seconds)), successTerminationBehavior: .gracefullyShutdownGroup))
        }
        let host = address.host
        try await SimulatedPollEndpoints.withRunning(logger: logger) { endpointsPort in
            var configuration = configuration
            configuration.pollers = SimulatedPollEndpoints.pollers(port: endpointsPort)
            try await Runner.run(configuration: configuration, logger: logger, extraServices: services) { port in
                print("""
                    scimwatch demo is running.
                      metrics:  http://\(host):\(port)/metrics
                      health:   http://\(host):\(port)/healthz  http://\(host):\(port)/readyz
                      logs:     \(directory)/scim.log (simulated; 429 burst at minute 1, token expiry from minute 2)
                      pages:    printed here as they fire and resolve; SLOs at http://\(host):\(port)/api/v1/slos
                      status:   http://\(host):\(port)/
                      report:   http://\(host):\(port)/reports/weekly?week=\(Self.currentISOWeek())&format=html
                      polled:   http://127.0.0.1:\(endpointsPort)/queues  http://127.0.0.1:\(endpointsPort)/reconciler
                    Press Ctrl-C to stop.
                    """)
                fflush(nil)
            }
        }
    }

    /// This week as `2026-W48` (the demo's data is all in the current week).
    static func currentISOWeek() -> String {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: Date())
        return String(format: "%04d-W%02d", parts.yearForWeekOfYear ?? 1970, parts.weekOfYear ?? 1)
    }

    private func makeTemporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "/scimwatch-demo-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
