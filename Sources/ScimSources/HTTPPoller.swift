import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ScimCore
import ScimHTTPClient

/// A header whose value is never shown (see ``SecretHeader``).
public typealias PollHeader = SecretHeader

/// How one endpoint is fetched.
public struct HTTPPollerConfiguration: Sendable {
    /// An `http` or `https` URL.
    public var url: URL
    /// The whole exchange (connect, answer, body) must end within this.
    public var timeout: Duration
    public var headers: [PollHeader]
    /// A longer body is cancelled while it arrives (`too_large`).
    public var maxBodyBytes: Int

    public init(url: URL, timeout: Duration = .seconds(10), headers: [PollHeader] = [], maxBodyBytes: Int = 1 << 20) {
        self.url = url
        self.timeout = timeout
        self.headers = headers
        self.maxBodyBytes = maxBodyBytes
    }

    /// `url` without user info, query or fragment (which may hold secrets): what logs and errors show.
    public static func displayText(of url: URL) -> String {
        guard var parts = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url.scheme ?? "?" }
        parts.user = nil
        parts.password = nil
        parts.query = nil
        parts.fragment = nil
        return parts.string ?? (url.scheme ?? "?")
    }
}

/// Fetches an endpoint with GET and returns its body, or why not. Never throws and never blocks the
/// caller's thread: URLSession (libcurl) does the I/O on its own queue.
///
/// - Redirects are not followed (a 3xx is `http_status`), so headers never go to another host.
/// - TLS certificates are verified against the system's CA bundle; libcurl through URLSession offers
///   no per-session way to change that on Linux.
/// - The size limit is enforced as bytes arrive: the transfer is cancelled past it, never loaded whole.
/// - Nothing is cached, no cookies are kept.
public final class HTTPPoller: Sendable {
    public let configuration: HTTPPollerConfiguration
    private let session: URLSession
    private let transfers: TransferDelegate

    public init(configuration: HTTPPollerConfiguration) {
        self.configuration = configuration
        transfers = TransferDelegate()
        session = HTTPClientSession.make(timeout: configuration.timeout, delegate: transfers)
    }

    /// Releases the session; call when the poller stops.
    public func shutdown() {
        session.invalidateAndCancel()
    }

    /// One GET: the body of a 2xx answer, or the failure.
    public func fetch() async -> Result<[UInt8], PollFailure> {
        var request = URLRequest(url: configuration.url, cachePolicy: .reloadIgnoringLocalCacheData,
                                 timeoutInterval: HTTPClientSession.transportSeconds(configuration.timeout))
        request.httpMethod = "GET"
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        for header in configuration.headers { request.setValue(header.value, forHTTPHeaderField: header.name) }
        let task = session.dataTask(with: request)
        let id = task.taskIdentifier
        let transfers = self.transfers
        let timeout = configuration.timeout
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfers.begin(id, limit: configuration.maxBodyBytes, continuation: continuation)
                task.resume()
                // The whole exchange is bounded, however slowly the body trickles in.
                DispatchQueue.global().asyncAfter(deadline: .now() + HTTPClientSession.seconds(timeout)) {
                    if transfers.finish(id, .failure(PollFailure(.timeout, "no complete answer within \(timeout)"))) {
                        task.cancel()
                    }
                }
            }
        } onCancel: {
            if transfers.finish(id, .failure(PollFailure(.error, "the poll was cancelled"))) { task.cancel() }
        }
    }

}
