import Foundation
import ScimCore
import ScimSources

/// One polled endpoint (`pollers[]`).
public struct PollerConfiguration: Sendable {
    /// `name`: unique; the `endpoint` label.
    public var name: String
    /// `url`: `http` or `https`.
    public var url: URL
    /// `format`: `native`, `entra-sync-job` or `json`.
    public var format: PollFormat
    /// `target`: the target label of an `entra-sync-job` (required) or of a `json` reconciler/quarantine.
    public var target: String?
    /// `interval`: time between polls (default 30s).
    public var interval: Duration
    /// `timeout`: the longest a poll may take (default 10s; less than `interval`).
    public var timeout: Duration
    /// `headers`: sent with each poll; values resolved at load time (literal, `env:` or `file:`).
    public var headers: [PollHeader]
    /// `max_body_bytes`: a longer answer fails as `too_large` (default 1 MiB).
    public var maxBodyBytes: Int
    /// `mapping`: the dotted paths of format `json`.
    public var mapping: PollMapping?

    public static let defaultInterval: Duration = .seconds(30)
    public static let defaultTimeout: Duration = .seconds(10)
    public static let defaultMaxBodyBytes = 1 << 20

    public init(name: String, url: URL, format: PollFormat, target: String? = nil, interval: Duration = defaultInterval,
                timeout: Duration = defaultTimeout, headers: [PollHeader] = [], maxBodyBytes: Int = defaultMaxBodyBytes,
                mapping: PollMapping? = nil) {
        self.name = name
        self.url = url
        self.format = format
        self.target = target
        self.interval = interval
        self.timeout = timeout
        self.headers = headers
        self.maxBodyBytes = maxBodyBytes
        self.mapping = mapping
    }

    /// How answers are read.
    public var decoder: PollDecoder { PollDecoder(format: format, target: target, mapping: mapping) }

    /// How the endpoint is fetched.
    public var http: HTTPPollerConfiguration {
        HTTPPollerConfiguration(url: url, timeout: timeout, headers: headers, maxBodyBytes: maxBodyBytes)
    }

    /// A duration as configuration text: `30s`, `1500ms`.
    public static func text(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        if ms > 0, ms % 3_600_000 == 0 { return "\(ms / 3_600_000)h" }
        if ms > 0, ms % 60000 == 0 { return "\(ms / 60000)m" }
        return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms)ms"
    }

    /// The URL without user info or query (which may hold secrets), for `check-config` and logs.
    public var displayURL: String { HTTPPollerConfiguration.displayText(of: url) }
}
