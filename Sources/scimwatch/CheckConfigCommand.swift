import ArgumentParser
import ScimApp

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Check a configuration file; print every problem with its key and reason, exit non-zero if any.")

    @Argument(help: "The YAML configuration file.")
    var file: String

    func run() throws {
        do {
            let configuration = try ConfigurationLoader.load(file: file)
            print("\(file): ok")
            print("  listen \(configuration.listen.host):\(configuration.listen.port), state \(configuration.statePath)")
            for source in configuration.sources {
                print("  source \(source.name): \(source.format.format.rawValue) \(source.paths.joined(separator: " "))")
            }
            for poller in configuration.pollers {
                var line = "  poller \(poller.name): \(poller.format.rawValue) \(poller.displayURL) every \(PollerConfiguration.text(poller.interval)), timeout \(PollerConfiguration.text(poller.timeout))"
                if let target = poller.target { line += ", target \(target)" }
                if !poller.headers.isEmpty { line += ", headers \(poller.headers.map(\.name).joined(separator: " "))" }
                print(line)
            }
            for slo in configuration.slos {
                print("  slo \(slo.name): \(slo.summaryText); \(slo.policyText)")
            }
            print("  symptoms: \(configuration.symptoms.summaryText)")
            for receiver in configuration.receivers {
                print("  receiver \(receiver)")
            }
            if let reports = configuration.reports {
                print("  weekly report: \(reports.scheduleText)")
                for receiver in reports.receivers { print("  report receiver \(receiver)") }
            }
        } catch {
            print(error.description)
            throw ExitCode.failure
        }
    }
}
