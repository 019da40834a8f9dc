import ArgumentParser
import Logging
import ScimApp
import ScimCore

struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read log files from start to end through the same pipeline as `run` and print the final metrics.",
        discussion: "Used for backfill, tests and benchmarks. The state is in memory unless --state is given.")

    @Option(name: .long, help: "Input format: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: LogFormat = .native

    @Option(name: .long, help: "Bind every event to this tenant.")
    var tenant: String?

    @Option(name: .long, help: "YAML configuration for limits, caps and the json mapping (its first json source).")
    var config: String?

    @Option(name: .long, help: "SQLite state file to read and update (default: in memory).")
    var state: String?

    @Option(name: .long, help: "Write every alert state change as a JSON line to this file (backtesting).")
    var alertsOut: String?

    @Argument(help: "Files to read, in order.")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one file to replay") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let base = try loadConfiguration(config)
        let output = try Replayer.replay(
            files: files, format: format, tenant: tenant, configuration: base, statePath: state, alertsOut: alertsOut)
        print(output, terminator: "")
    }
}

extension LogFormat: ExpressibleByArgument {}
