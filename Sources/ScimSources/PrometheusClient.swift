import Foundation
import ScimCore

/// Reads Prometheus's HTTP API (`/api/v1/query_range`, `/api/v1/query`) with GET, through an
/// ``HTTPPoller`` per request: the same bounded exchange, no redirects, no cookies, a size limit.
public struct PrometheusClient: Sendable {
    /// The server, e.g. `http://prometheus:9090` (a path prefix such as `/prom` is kept).
    public var baseURL: URL
    /// Each request must end within this.
    public var timeout: Duration
    /// A longer answer is refused (a week of minutes for a few hundred series is a few MiB).
    public var maxBodyBytes: Int

    public init(baseURL: URL, timeout: Duration = .seconds(30), maxBodyBytes: Int = 256 << 20) {
        self.baseURL = baseURL
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
    }

    /// `query_range` of `expression` from `startMs` to `endMs` (epoch ms) every `stepMs`.
    public func queryRange(_ expression: String, startMs: Int64, endMs: Int64, stepMs: Int64) async throws(PrometheusClientError) -> PrometheusAnswer {
        try await get("api/v1/query_range", [
            ("query", expression), ("start", Self.seconds(startMs)), ("end", Self.seconds(endMs)), ("step", Self.seconds(stepMs)),
        ])
    }

    /// An instant query of `expression` at `timeMs` (epoch ms).
    public func query(_ expression: String, atMs timeMs: Int64) async throws(PrometheusClientError) -> PrometheusAnswer {
        try await get("api/v1/query", [("query", expression), ("time", Self.seconds(timeMs))])
    }

    /// The server as errors and reports show it: without user info (a password) or query.
    public var displayURL: String { HTTPPollerConfiguration.displayText(of: baseURL) }

    /// `base` + `/` + `path`.
    static func joined(_ base: String, _ path: String) -> String {
        base.hasSuffix("/") ? base + path : base + "/" + path
    }

    private func get(_ path: String, _ parameters: [(String, String)]) async throws(PrometheusClientError) -> PrometheusAnswer {
        // Errors name the endpoint a person can check, never the credentials the request carries.
        let endpoint = Self.joined(displayURL, path)
        guard var components = URLComponents(string: Self.joined(baseURL.absoluteString, path)) else {
            throw PrometheusClientError(url: endpoint, reason: "not a URL")
        }
        components.queryItems = parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        // `+` is a space in a query string: PromQL's plus must arrive as a plus.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let url = components.url else { throw PrometheusClientError(url: endpoint, reason: "not a URL") }
        let poller = HTTPPoller(configuration: HTTPPollerConfiguration(url: url, timeout: timeout, maxBodyBytes: maxBodyBytes))
        defer { poller.shutdown() }
        switch await poller.fetch() {
        case .failure(let failure):
            throw PrometheusClientError(url: endpoint, reason: failure.detail.isEmpty ? failure.reason.label : failure.detail)
        case .success(let body):
            do {
                return try PrometheusAnswer(decoding: body)
            } catch {
                throw PrometheusClientError(url: endpoint, reason: error.description)
            }
        }
    }

    /// Epoch ms as the seconds Prometheus reads (`1732000000.5`).
    static func seconds(_ ms: Int64) -> String {
        ms % 1000 == 0 ? String(ms / 1000) : String(format: "%.3f", Double(ms) / 1000)
    }
}

/// A Prometheus request that failed: which URL and why (refused, timed out, HTTP status, not the API's JSON,
/// or Prometheus's own error).
public struct PrometheusClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public var url: String
    public var reason: String

    public init(url: String, reason: String) {
        self.url = url
        self.reason = reason
    }

    public var description: String { "Prometheus at \(url): \(reason)" }
}
