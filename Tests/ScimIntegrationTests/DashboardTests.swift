import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import ScimTesting
import Testing

/// The Grafana dashboards of `Dashboards/`: well-formed and importable, and every panel's query evaluated by a
/// real Prometheus (Debian's `prometheus`) scraping `scimwatch demo`, with the dashboard variables filled in.
@Suite struct DashboardTests {
    static let files = ["scimwatch-executive.json", "scimwatch-oncall.json", "scimwatch-debug.json"]

    /// Panels that legitimately show nothing during the first minute of the demo, with the reason.
    /// Their queries must still be valid (Prometheus answers "success"); every other panel must return data.
    static let mayBeEmpty: [String: String] = [
        "scimwatch-oncall.json/Prometheus alerts firing (scimwatch rules)":
            "no rule of Alerts/scimwatch-rules.yml fires this early: the 429 burst is at minute 1, the token expiry at 2",
        "scimwatch-oncall.json/Overdue deprovisions":
            "a deprovision is overdue after 10m, and the gauge has series only for tenants and targets with some",
        "scimwatch-debug.json/Parse errors by reason":
            "the demo writes only valid lines, and a source with no parse error exposes no series",
        "scimwatch-debug.json/Poll errors by reason":
            "the demo's simulated endpoints always answer, and an endpoint with no error exposes no series",
        "scimwatch-debug.json/Store errors":
            "the demo's SQLite store does not fail, and the family has series only for failed operations",
    ]

    @Test func eachDashboardIsImportableWithItsVariablesAndEveryPanelHasATitleUnitDescriptionAndQuery() throws {
        var uids: Set<String> = []
        for file in Self.files {
            let d = try GrafanaDashboard.load(file)
            #expect(d.schemaVersion >= 39, "\(file)")
            #expect(!d.title.isEmpty && uids.insert(d.uid).inserted, "\(file): a title and a unique uid")
            #expect(d.__inputs.contains { $0.name == "DS_PROMETHEUS" && $0.type == "datasource" && $0.pluginId == "prometheus" },
                    "\(file): __inputs names the Prometheus data source")
            let variables = Dictionary(d.templating.list.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            let source = try #require(variables["datasource"], "\(file): a datasource variable")
            #expect(source.type == "datasource" && source.query?.text == "prometheus")
            for (name, metric) in [("tenant", "scim_requests_total"), ("target", "scim_requests_total")] {
                let v = try #require(variables[name], "\(file): a \(name) variable")
                #expect(v.type == "query" && v.query?.text == "label_values(\(metric), \(name))", "\(file): \(name)")
                #expect(v.multi == true && v.includeAll == true && v.allValue == ".*", "\(file): \(name) is multi-select with All")
                #expect(v.datasource?.uid == "${datasource}", "\(file): \(name) queries the chosen data source")
            }
            #expect(!d.allPanels.isEmpty)
            var titles: Set<String> = []
            for panel in d.allPanels {
                #expect(!(panel.title ?? "").isEmpty, "\(file): panel \(panel.id) has no title")
                if panel.type == "row" { continue }
                let title = panel.title ?? "?"
                #expect(titles.insert(title).inserted, "\(file): two panels titled \(title)")
                #expect(!(panel.description ?? "").isEmpty, "\(file)/\(title): no description")
                let unit = panel.fieldConfig?.defaults.unit ?? ""
                #expect(!unit.isEmpty, "\(file)/\(title): no unit")
                #expect(panel.datasource?.uid == "${datasource}", "\(file)/\(title): not on the datasource variable")
                #expect(!panel.targets.isEmpty, "\(file)/\(title): no query")
                for target in panel.targets {
                    #expect(!(target.expr ?? "").isEmpty, "\(file)/\(title): query \(target.refId) has no expression")
                    #expect(!(target.expr ?? "").contains("[1m]") && !(target.expr ?? "").contains("[5m]"),
                            "\(file)/\(title): rates use $__rate_interval")
                }
            }
        }
        // Every allow-list entry names a panel that exists (no stale excuses).
        let all = try Self.files.flatMap { file in try GrafanaDashboard.load(file).allPanels.map { "\(file)/\($0.title ?? "")" } }
        for key in Self.mayBeEmpty.keys { #expect(all.contains(key), "allow-list entry \(key) names no panel") }
    }

    @Test func everyPanelQueryRunsInARealPrometheusScrapingTheDemoAndReturnsData() async throws {
        let binary = try #require(which("prometheus"), "Prometheus is installed by scripts/test.sh (Debian package prometheus)")
        let queries = try Self.files.flatMap { file in try GrafanaDashboard.load(file).queries(file: file) }
        let dir = try TemporaryDirectory(prefix: "dashboards")
        defer { dir.remove() }

        let demo = try ChildProcess(scimwatchExecutable(), ["demo", "--listen", "127.0.0.1:0", "--dir", dir.file("demo"), "--for", "120"])
        defer { demo.kill() }
        let metrics = try #require(await output(of: demo, matching: "http://127.0.0.1:[0-9]+/metrics", timeout: 30), "\(demo.output)")
        let scrapeTarget = metrics.replacingOccurrences(of: "http://", with: "").replacingOccurrences(of: "/metrics", with: "")

        try """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files:
              - \(packageRoot())/Alerts/scimwatch-rules.yml
            scrape_configs:
              - job_name: scimwatch
                static_configs:
                  - targets: ['\(scrapeTarget)']
            """.write(toFile: dir.file("prometheus.yml"), atomically: true, encoding: .utf8)
        let (prometheus, base) = try await startPrometheus(binary, config: dir.file("prometheus.yml"), data: dir.file("tsdb"))
        defer { prometheus.kill() }

        // A few scrapes in, so that rates over $__rate_interval have two samples.
        let scraped = try await eventuallyAsync(timeout: 30) {
            let answer = try await query(base, #"count_over_time(up{job="scimwatch"}[1m]) >= 5 and up{job="scimwatch"} == 1"#)
            return answer.status == "success" && answer.count == 1
        }
        try #require(scraped, "Prometheus did not scrape the demo:\n\(prometheus.output.suffix(3000))")

        // Everything the demo produces in its first ~40 seconds shows up; stop as soon as every panel has data.
        var answers: [Query: PromAnswer] = [:]
        let deadline = Date().addingTimeInterval(60)
        repeat {
            for q in queries where answers[q].map({ $0.status != "success" || $0.count == 0 }) ?? true {
                answers[q] = try await query(base, q.expanded)
            }
            if queries.allSatisfy({ answers[$0]?.count ?? 0 > 0 || Self.mayBeEmpty[$0.panelKey] != nil }) { break }
            try await Task.sleep(for: .seconds(2))
        } while Date() < deadline

        for q in queries {
            let answer = try #require(answers[q])
            #expect(answer.status == "success", "\(q.panelKey) \(q.refId): \(answer.error ?? "")\n\(q.expanded)")
            if Self.mayBeEmpty[q.panelKey] == nil {
                #expect(answer.count > 0, "\(q.panelKey) \(q.refId) returns no data:\n\(q.expanded)")
            }
        }

        // The variables' own queries list values, and a concrete multi-selection (Grafana's "(a|b)") is valid too.
        var selection: [String: String] = [:]
        for name in ["tenant", "target", "slo"] {
            let metric = name == "slo" ? "scim_slo_objective_ratio" : "scim_requests_total"
            let values = try await labelValues(base, name, of: metric)
            #expect(!values.isEmpty, "label_values(\(metric), \(name)) lists nothing")
            selection[name] = "(" + values.prefix(2).map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|") + ")"
        }
        for q in queries {
            let answer = try await query(base, Query.expand(q.expr, variables: selection))
            #expect(answer.status == "success", "\(q.panelKey) \(q.refId) with \(selection): \(answer.error ?? "")")
        }

        prometheus.signal(SIGTERM)
        _ = prometheus.waitForExit(timeout: 10)
        demo.signal(SIGTERM)
        _ = demo.waitForExit(timeout: 10)
    }

    /// Starts Prometheus on a free 127.0.0.1 port (trying another if it was taken in between); waits until ready.
    func startPrometheus(_ binary: String, config: String, data: String) async throws -> (ChildProcess, String) {
        var lastOutput = ""
        for _ in 0..<3 {
            let port = try freeLocalPort()
            let child = try ChildProcess(binary, [
                "--config.file=\(config)", "--storage.tsdb.path=\(data)", "--web.listen-address=127.0.0.1:\(port)",
            ])
            let base = "http://127.0.0.1:\(port)"
            let ready = try await eventuallyAsync(timeout: 30) {
                guard child.isRunning else { return false }
                return try await fetch(base + "/-/ready").status == 200
            }
            if ready { return (child, base) }
            lastOutput = child.output
            child.kill()
        }
        throw TestSupportError("Prometheus did not start:\n\(lastOutput.suffix(3000))")
    }
}

// MARK: - Dashboards

/// The parts of a Grafana dashboard JSON the tests look at.
struct GrafanaDashboard: Decodable {
    struct Input: Decodable { var name: String; var type: String; var pluginId: String? }
    struct DataSourceRef: Decodable { var type: String?; var uid: String? }
    struct Variable: Decodable {
        var name: String
        var type: String
        var query: VariableQuery?
        var datasource: DataSourceRef?
        var multi: Bool?
        var includeAll: Bool?
        var allValue: String?
    }
    /// A variable's query: a string (data source variables) or `{"query": ...}` (Prometheus query variables).
    struct VariableQuery: Decodable {
        var text: String
        struct Wrapped: Decodable { var query: String }
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let s = try? container.decode(String.self) { text = s } else { text = try container.decode(Wrapped.self).query }
        }
    }
    struct Templating: Decodable { var list: [Variable] }
    struct Target: Decodable { var refId: String; var expr: String? }
    struct FieldConfig: Decodable {
        struct Defaults: Decodable { var unit: String? }
        var defaults: Defaults
    }
    struct Panel: Decodable {
        var id: Int
        var type: String
        var title: String?
        var description: String?
        var datasource: DataSourceRef?
        var fieldConfig: FieldConfig?
        var targets: [Target]
        var panels: [Panel]
        enum CodingKeys: String, CodingKey { case id, type, title, description, datasource, fieldConfig, targets, panels }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(Int.self, forKey: .id)
            type = try c.decode(String.self, forKey: .type)
            title = try c.decodeIfPresent(String.self, forKey: .title)
            description = try c.decodeIfPresent(String.self, forKey: .description)
            datasource = try c.decodeIfPresent(DataSourceRef.self, forKey: .datasource)
            fieldConfig = try c.decodeIfPresent(FieldConfig.self, forKey: .fieldConfig)
            targets = try c.decodeIfPresent([Target].self, forKey: .targets) ?? []
            panels = try c.decodeIfPresent([Panel].self, forKey: .panels) ?? []
        }
    }

    var title: String
    var uid: String
    var schemaVersion: Int
    var __inputs: [Input]
    var templating: Templating
    var panels: [Panel]

    /// Every panel, including those inside collapsed rows.
    var allPanels: [Panel] { panels.flatMap { [$0] + $0.panels } }

    static func load(_ file: String) throws -> GrafanaDashboard {
        let data = try Data(contentsOf: URL(fileURLWithPath: packageRoot() + "/Dashboards/" + file))
        return try JSONDecoder().decode(GrafanaDashboard.self, from: data)
    }

    func queries(file: String) -> [Query] {
        allPanels.filter { $0.type != "row" }.flatMap { panel in
            panel.targets.map { Query(panelKey: "\(file)/\(panel.title ?? "")", refId: $0.refId, expr: $0.expr ?? "") }
        }
    }
}

/// One panel query and its expression with the dashboard variables filled in as "All" would.
struct Query: Hashable {
    var panelKey: String
    var refId: String
    var expr: String

    var expanded: String { Self.expand(expr, variables: ["tenant": ".*", "target": ".*", "slo": ".*"]) }

    /// Grafana's interpolation for these dashboards: template variables and the built-in intervals.
    static func expand(_ expr: String, variables: [String: String]) -> String {
        let builtIns = ["__rate_interval": "1m", "__interval": "15s", "__range": "1h"]
        var out = expr
        // Longest names first, so that $__range does not eat $__rate_interval.
        for (name, value) in variables.merging(builtIns, uniquingKeysWith: { a, _ in a }).sorted(by: { $0.key.count > $1.key.count }) {
            out = out.replacingOccurrences(of: "${\(name)}", with: value).replacingOccurrences(of: "$\(name)", with: value)
        }
        return out
    }
}

// MARK: - Prometheus

struct PromAnswer {
    var status: String
    var error: String?
    var count: Int
}

/// An instant query through `/api/v1/query`: the status, the error, and how many series (or a scalar) came back.
func query(_ base: String, _ expr: String) async throws -> PromAnswer {
    var components = URLComponents(string: base + "/api/v1/query")!
    components.queryItems = [URLQueryItem(name: "query", value: expr)]
    // `+` is a space in a query string: PromQL's plus must arrive as a plus.
    components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
    let answer = try await fetch(components.url!.absoluteString)
    guard let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any] else {
        return PromAnswer(status: "HTTP \(answer.status)", error: answer.body, count: 0)
    }
    let data = object["data"] as? [String: Any]
    let count: Int
    switch data?["resultType"] as? String {
    case "vector", "matrix": count = (data?["result"] as? [Any])?.count ?? 0
    case "scalar", "string": count = 1
    default: count = 0
    }
    return PromAnswer(status: object["status"] as? String ?? "?", error: object["error"] as? String, count: count)
}

/// `label_values(metric, name)` as Grafana asks it: `/api/v1/label/NAME/values?match[]=METRIC`.
func labelValues(_ base: String, _ name: String, of metric: String) async throws -> [String] {
    var components = URLComponents(string: base + "/api/v1/label/\(name)/values")!
    components.queryItems = [URLQueryItem(name: "match[]", value: metric)]
    let answer = try await fetch(components.url!.absoluteString)
    let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
    return object?["data"] as? [String] ?? []
}

/// A TCP port on 127.0.0.1 that nothing listens on right now.
func freeLocalPort() throws -> Int {
    #if os(Linux)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw TestSupportError("socket: errno \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw TestSupportError("bind: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}
