import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What every outbound exchange (polls, notifications, the fleet report's Prometheus queries) shares: a
/// URLSession (libcurl through FoundationNetworking) that keeps nothing between exchanges, and the
/// timeout workaround below. The callers keep their own delegate and their own exact deadline.
public enum HTTPClientSession {
    /// An ephemeral session without cache or cookies, one connection per host, its delegate called on
    /// one serial queue; URLSession's own timeouts are ``transportSeconds(_:)``.
    public static func make(timeout: Duration, delegate: URLSessionDelegate) -> URLSession {
        let seconds = transportSeconds(timeout)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds
        configuration.httpMaximumConnectionsPerHost = 1
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        return URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
    }

    /// The timeout given to URLSession: whole seconds, at least 1. swift-corelibs-foundation hands
    /// libcurl whole seconds, so 0.8 s would become 0 and every exchange would time out at once; the
    /// exact deadline is kept by the caller's own timer (``seconds(_:)`` long).
    public static func transportSeconds(_ d: Duration) -> TimeInterval {
        max(1, seconds(d).rounded(.up))
    }

    /// A duration in seconds.
    public static func seconds(_ d: Duration) -> TimeInterval {
        let c = d.components
        return TimeInterval(c.seconds) + TimeInterval(c.attoseconds) * 1e-18
    }
}
