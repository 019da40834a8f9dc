import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ScimCore
import Synchronization

/// The URLSession delegate of an ``HTTPSender``: resumes each waiting send exactly once, with the status
/// as soon as the answer's head arrives, or the first failure (whichever of the callbacks, the deadline
/// or cancellation comes first).
final class SendDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let waiting = Mutex<[Int: CheckedContinuation<DeliveryResponse, Never>]>([:])

    func begin(_ id: Int, continuation: CheckedContinuation<DeliveryResponse, Never>) {
        waiting.withLock { $0[id] = continuation }
    }

    /// Ends exchange `id` with `response`; `false` if it had already ended.
    @discardableResult
    func finish(_ id: Int, _ response: DeliveryResponse) -> Bool {
        guard let continuation = waiting.withLock({ $0.removeValue(forKey: id) }) else { return false }
        continuation.resume(returning: response)
        return true
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        guard let http = response as? HTTPURLResponse else {
            finish(dataTask.taskIdentifier, .unreachable("not an HTTP answer"))
            completionHandler(.cancel)
            return
        }
        let retryAfter = (http.value(forHTTPHeaderField: "Retry-After")).flatMap(Self.retryAfterMs)
        finish(dataTask.taskIdentifier, .status(http.statusCode, retryAfterMs: retryAfter))
        completionHandler(.cancel) // the status is all a delivery needs
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil) // answer with the 3xx itself: headers and body never follow to another host
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        let id = task.taskIdentifier
        if let error {
            finish(id, .unreachable(Self.reason(for: error)))
        } else if let http = task.response as? HTTPURLResponse {
            finish(id, .status(http.statusCode, retryAfterMs: nil))
        } else {
            finish(id, .unreachable("no answer"))
        }
    }

    /// `Retry-After` in seconds (an HTTP date is ignored: the back-off applies).
    static func retryAfterMs(_ text: String) -> Int64? {
        Int64(text.trimmingCharacters(in: .whitespaces)).flatMap { $0 >= 0 && $0 < 86400 ? $0 * 1000 : nil }
    }

    /// A transport error in words, from its code only: URLSession's messages may hold the URL, and a
    /// Slack or webhook URL holds its token.
    static func reason(for error: Error) -> String {
        let nsError = error as NSError
        switch nsError.code {
        case NSURLErrorTimedOut: return "timed out"
        case NSURLErrorCannotConnectToHost: return "connection refused"
        case NSURLErrorNetworkConnectionLost: return "connection lost"
        case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed: return "host not found"
        case NSURLErrorSecureConnectionFailed, NSURLErrorServerCertificateHasBadDate, NSURLErrorServerCertificateUntrusted,
             NSURLErrorServerCertificateHasUnknownRoot, NSURLErrorServerCertificateNotYetValid:
            return "TLS handshake failed (URL error \(nsError.code))"
        default:
            let message = (nsError.userInfo[NSLocalizedDescriptionKey] as? String) ?? ""
            if message.hasPrefix("SSL") || message.contains("certificate") { return "TLS handshake failed" }
            return "URL error \(nsError.code)"
        }
    }
}
