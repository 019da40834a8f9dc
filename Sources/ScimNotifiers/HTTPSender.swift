import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ScimCore
import ScimHTTPClient

/// A header whose value is never shown (see ``SecretHeader``).
public typealias SenderHeader = SecretHeader

/// POSTs notification bodies to one receiver URL and says what came back. Never throws and never blocks
/// the caller's thread: URLSession (libcurl) does the I/O on its own queue.
///
/// - The whole exchange is bounded by the timeout, whatever the server does.
/// - Only the status line and headers are read: the body of the answer is not needed, so it is never
///   buffered (a misbehaving receiver cannot fill memory).
/// - Redirects are not followed (a 3xx counts as a refusal), so a token never goes to another host.
/// - Errors carry no URL: a Slack or webhook URL holds its token in the path.
public final class HTTPSender: Sendable {
    /// Where bodies are POSTed (may hold a token: never logged).
    public let url: URL
    /// The whole exchange ends within this.
    public let timeout: Duration
    /// Sent with every request.
    public let headers: [SenderHeader]
    private let session: URLSession
    private let exchanges: SendDelegate

    public init(url: URL, timeout: Duration = .seconds(10), headers: [SenderHeader] = []) {
        self.url = url
        self.timeout = timeout
        self.headers = headers
        exchanges = SendDelegate()
        session = HTTPClientSession.make(timeout: timeout, delegate: exchanges)
    }

    /// Releases the session; call when the sender is no longer used.
    public func shutdown() {
        session.invalidateAndCancel()
    }

    /// One POST of `body` (JSON).
    public func send(_ body: [UInt8]) async -> DeliveryResponse {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData,
                                 timeoutInterval: HTTPClientSession.transportSeconds(timeout))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("scimwatch", forHTTPHeaderField: "User-Agent")
        for header in headers { request.setValue(header.value, forHTTPHeaderField: header.name) }
        request.httpBody = Data(body)
        let task = session.dataTask(with: request)
        let id = task.taskIdentifier
        let exchanges = self.exchanges
        let timeout = self.timeout
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                exchanges.begin(id, continuation: continuation)
                task.resume()
                // libcurl only knows whole seconds; this timer keeps the exact bound.
                DispatchQueue.global().asyncAfter(deadline: .now() + HTTPClientSession.seconds(timeout)) {
                    if exchanges.finish(id, .unreachable("no answer within \(timeout)")) { task.cancel() }
                }
            }
        } onCancel: {
            if exchanges.finish(id, .unreachable("cancelled")) { task.cancel() }
        }
    }
}
