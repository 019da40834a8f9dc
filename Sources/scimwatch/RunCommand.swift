import ArgumentParser
import Logging
import ScimApp
import ScimStore

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tail the logs, poll the endpoints, evaluate the SLOs and page; serve /metrics, the API, / and /reports until SIGTERM or SIGINT.",
        discussion: "With `reports:` in the configuration, the last complete week's report is also delivered on its schedule (weekday, time, time zone) to a directory, Slack or a webhook, once per week and receiver: the week delivered is recorded in the state file, so a restart delivers nothing twice and a schedule missed while stopped is delivered at start.")

    @Option(name: .long, help: "YAML configuration file (default: built-in defaults).")
    var config: String?

    @Option(name: .long, help: "Address to serve on, HOST:PORT (overrides `listen`).")
    var listen: String?

    @Option(name: .long, help: "SQLite state file (overrides `state`).")
    var state: String?

    func run() async throws {
        bootstrapLogging()
        var configuration = try loadConfiguration(config)
        if let listen {
            guard let address = ConfigurationLoader.parseAddress(listen) else {
                throw ValidationError("--listen must be HOST:PORT, got \"\(listen)\"")
            }
            (configuration.listen.host, configuration.listen.port) = address
        }
        if let state { configuration.statePath = state }
        try await Runner.run(configuration: configuration, logger: Logger(label: "scimwatch"))
    }
}

/// Loads `path`, or the built-in defaults; a bad file stops start-up with every key and reason.
func loadConfiguration(_ path: String?) throws -> ScimwatchConfiguration {
    guard let path else { return ScimwatchConfiguration() }
    return try ConfigurationLoader.load(file: path)
}

func bootstrapLogging() {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = .info
        return handler
    }
}
