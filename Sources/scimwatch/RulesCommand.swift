import ArgumentParser
import ScimApp
import ScimCore

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print Prometheus recording and alerting rules for the configured SLOs and symptoms (YAML).",
        discussion: """
            The rules compute the SLO windows from scim_slo_events_total and scim_slo_bad_events_total summed \
            over instances, so Prometheus evaluates a fleet of sidecars as the embedded evaluator evaluates one. \
            Without --config, the built-in SLOs and thresholds apply (Alerts/scimwatch-rules.yml).
            """)

    @Option(name: .long, help: "The YAML configuration file whose slos, period and symptoms are used.")
    var config: String?

    func run() throws {
        // A bad file fails like `run`: every key and reason on stderr, and no rules on stdout.
        let configuration = try loadConfiguration(config)
        print(PrometheusRules.render(slos: configuration.slos, symptoms: configuration.symptoms), terminator: "")
    }
}
