import ArgumentParser
import ScimApp

/// The `scimwatch` command: a sidecar that watches SCIM provisioning pipelines.
@main
struct Scimwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scimwatch",
        abstract: "Watches SCIM provisioning: tails provisioning logs and polls queues, serves Prometheus metrics, pages on SLO burn, writes weekly SLO reports.",
        discussion: "Start with `scimwatch demo` to see it work with simulated traffic and no setup. "
            + "Without --config, built-in defaults apply: native logs under ./logs, state in ./scimwatch.sqlite, "
            + "metrics on 127.0.0.1:\(ScimwatchDefaults.port), the three built-in SLOs, and alerts written to the log.",
        version: ScimwatchVersion.current,
        subcommands: [Run.self, Replay.self, Report.self, Demo.self, CheckConfig.self, Rules.self, Generate.self, BenchEvaluate.self],
        defaultSubcommand: nil)
}

enum ScimwatchDefaults {
    static let port = 9477
}
