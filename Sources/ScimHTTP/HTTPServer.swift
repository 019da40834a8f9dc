import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ScimCore

/// Where and how the HTTP server listens.
public struct HTTPServerConfiguration: Sendable {
    /// Host to bind; loopback by default so nothing is exposed until asked.
    public var host: String
    /// Port to bind (default 9477; 0 picks a free port).
    public var port: Int
    /// Idle connections are closed after this long.
    public var idleTimeout: Duration
    /// The request head (all header fields) may be at most this large.
    public var maxHeaderBytes: Int
    /// When set, `/api/*`, `/reports/*` and `/` (and `/metrics` if ``protectMetrics``) require `Authorization: Bearer <token>`.
    public var bearerToken: String?
    public var protectMetrics: Bool

    public static let defaultPort = 9477

    public init(host: String = "127.0.0.1", port: Int = HTTPServerConfiguration.defaultPort,
                idleTimeout: Duration = .seconds(30), maxHeaderBytes: Int = 16 * 1024,
                bearerToken: String? = nil, protectMetrics: Bool = false) {
        self.bearerToken = bearerToken
        self.protectMetrics = protectMetrics
        self.host = host
        self.port = port
        self.idleTimeout = idleTimeout
        self.maxHeaderBytes = maxHeaderBytes
    }
}

/// Builds the router and the Hummingbird application serving `/metrics`, `/healthz`, `/readyz`, the API,
/// the status page `/` and the weekly report `/reports/weekly`.
public enum HTTPServer {
    /// The routes, separate from the server so tests can drive them without a socket.
    public static func router(provider: any StatusProvider, configuration: HTTPServerConfiguration = .init()) -> Router<BasicRequestContext> {
        let router = Router()
        if let token = configuration.bearerToken {
            router.add(middleware: BearerTokenMiddleware(
                token: token, protectedPrefixes: ["/api/", "/reports/"] + (configuration.protectMetrics ? ["/metrics"] : []),
                protectedPaths: ["/"]))
        }
        router.get("/") { _, _ -> Response in
            let body = StatusPage.html(provider.metricsSnapshot(), now: Int64(Date().timeIntervalSince1970 * 1000))
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("/reports/weekly") { request, _ -> Response in
            weeklyReport(request, snapshot: provider.metricsSnapshot())
        }
        router.get("/metrics") { request, _ -> Response in
            let format = ExpositionFormat.negotiate(accept: request.headers[.accept])
            let body = provider.metricsSnapshot().render(format)
            return Response(
                status: .ok,
                headers: [.contentType: format.contentType],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("/api/v1/operations/overdue") { _, _ -> Response in
            json(OverdueReport(snapshot: provider.metricsSnapshot().engine))
        }
        router.get("/api/v1/slos") { _, _ -> Response in
            json(SLOReport(snapshot: provider.metricsSnapshot().engine))
        }
        router.get("/api/v1/alerts") { _, _ -> Response in
            json(AlertsReport(snapshot: provider.metricsSnapshot().engine))
        }
        router.get("/healthz") { _, _ -> Response in
            text(.ok, "ok\n")
        }
        router.get("/readyz") { _, _ -> Response in
            let readiness = provider.readiness()
            if readiness.isReady { return text(.ok, "ready\n") }
            return text(.serviceUnavailable, "not ready:\n" + readiness.problems.map { "- \($0)\n" }.joined())
        }
        return router
    }

    /// The application, a `Service` to run in the process's `ServiceGroup`.
    public static func application(
        configuration: HTTPServerConfiguration, provider: any StatusProvider, logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let seconds = Int64(configuration.idleTimeout.components.seconds)
        return Application(
            router: router(provider: provider, configuration: configuration),
            server: .http1(configuration: .init(
                idleTimeout: .seconds(seconds),
                httpDecoderConfiguration: .init(
                    maxHeaderFieldSize: configuration.maxHeaderBytes, maxHeaderListSize: configuration.maxHeaderBytes,
                    maxHeaderFieldCount: 100))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "scimwatch"),
            onServerRunning: onServerRunning,
            logger: logger)
    }

    /// `GET /reports/weekly?week=2026-W47&format=html|md|json&tz=Europe/Paris`; the last complete week by default.
    static func weeklyReport(_ request: Request, snapshot: MetricsSnapshot) -> Response {
        let query = request.uri.queryParameters
        let format = query["format"].map { ReportFormat(rawValue: String($0)) } ?? .html
        guard let format else { return text(.badRequest, "format must be html, md or json\n") }
        guard let zone = TimeZone(identifier: query["tz"].map(String.init) ?? "UTC") else {
            return text(.badRequest, "tz must be a time zone name such as Europe/Paris\n")
        }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let week: ReportWeek
        if let asked = query["week"] {
            guard let parsed = ReportWeek(parsing: String(asked), timeZone: zone) else {
                return text(.badRequest, "week must be an ISO week such as 2026-W47\n")
            }
            week = parsed
        } else {
            week = .lastComplete(before: now, timeZone: zone)
        }
        let report = snapshot.weeklyReport(week: week, now: now)
        return Response(status: .ok, headers: [.contentType: format.contentType],
                        body: .init(byteBuffer: ByteBuffer(string: report.render(format))))
    }

    static func json(_ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let body = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
