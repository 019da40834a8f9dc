import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ScimCore
import Synchronization

/// The URLSession delegate of an ``HTTPPoller``: collects each transfer's body up to its limit and
/// resumes the waiting poll exactly once, with the body or the first failure seen (whichever of the
/// delegate callbacks, the deadline or cancellation comes first).
final class TransferDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private struct Transfer {
        var limit: Int
        var body: [UInt8] = []
        var continuation: CheckedContinuation<Result<[UInt8], PollFailure>, Never>
    }

    private let transfers = Mutex<[Int: Transfer]>([:])

    func begin(_ id: Int, limit: Int, continuation: CheckedContinuation<Result<[UInt8], PollFailure>, Never>) {
        transfers.withLock { $0[id] = Transfer(limit: limit, continuation: continuation) }
    }

    /// Ends transfer `id` with `result`; `false` if it had already ended.
    @discardableResult
    func finish(_ id: Int, _ result: Result<[UInt8], PollFailure>) -> Bool {
        guard let transfer = transfers.withLock({ $0.removeValue(forKey: id) }) else { return false }
        transfer.continuation.resume(returning: result)
        return true
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let id = dataTask.taskIdentifier
        if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
            finish(id, .failure(PollFailure(.httpStatus, "HTTP status \(http.statusCode)")))
            completionHandler(.cancel)
            return
        }
        let limit = transfers.withLock { $0[id]?.limit } ?? 0
        if response.expectedContentLength > Int64(limit) {
            finish(id, .failure(PollFailure(.tooLarge, "Content-Length \(response.expectedContentLength) is over the limit of \(limit) bytes")))
            completionHandler(.cancel)
            return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let id = dataTask.taskIdentifier
        let over: Int? = transfers.withLock { all in
            guard var transfer = all[id] else { return nil }
            if transfer.body.count + data.count > transfer.limit { return transfer.limit }
            transfer.body.append(contentsOf: data)
            all[id] = transfer
            return nil
        }
        if let limit = over {
            finish(id, .failure(PollFailure(.tooLarge, "the body grew past the limit of \(limit) bytes")))
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil) // answer with the 3xx itself: headers never follow to another host
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        let id = task.taskIdentifier
        if let error {
            finish(id, .failure(Self.failure(for: error)))
            return
        }
        if let http = task.response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
            finish(id, .failure(PollFailure(.httpStatus, "HTTP status \(http.statusCode)")))
            return
        }
        let body = transfers.withLock { $0[id]?.body } ?? []
        finish(id, .success(body))
    }

    /// A transport error as a poll failure. The detail is the error code only, or libcurl's own words for
    /// a TLS problem: URLSession's messages may hold the URL, whose query may carry a secret.
    static func failure(for error: Error) -> PollFailure {
        let nsError = error as NSError
        let code = nsError.code
        switch code {
        case NSURLErrorTimedOut:
            return PollFailure(.timeout, "timed out")
        case NSURLErrorCannotConnectToHost:
            return PollFailure(.refused, "connection refused")
        case NSURLErrorSecureConnectionFailed, NSURLErrorServerCertificateHasBadDate, NSURLErrorServerCertificateUntrusted,
             NSURLErrorServerCertificateHasUnknownRoot, NSURLErrorServerCertificateNotYetValid,
             NSURLErrorClientCertificateRejected, NSURLErrorClientCertificateRequired:
            return PollFailure(.tls, "TLS handshake failed (URL error \(code))")
        case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed:
            return PollFailure(.error, "host not found")
        default:
            // swift-corelibs-foundation reports libcurl's TLS failures as NSURLErrorUnknown with
            // libcurl's message ("SSL certificate problem: ...", "SSL connect error").
            let message = (nsError.userInfo[NSLocalizedDescriptionKey] as? String) ?? ""
            if message.hasPrefix("SSL") || message.contains("certificate") || message.contains("TLS") {
                return PollFailure(.tls, String(message.prefix(200)))
            }
            return PollFailure(.error, "URL error \(code)")
        }
    }
}
