import Foundation
import Hummingbird
import Logging
import ScimApp
import ScimCore
import ScimSources
import ScimTesting
import Testing

func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
}

/// Endpoints that answer the way real ones fail.
func pollTestRouter() -> Router<BasicRequestContext> {
    let router = Router()
    router.get("/queue") { _, _ in json(Files.read(samplePath("queue.json"))) }
    router.get("/entra") { _, _ in json(Files.read(samplePath("entra-sync-job.json"))) }
    router.get("/slow") { _, _ -> Response in
        try? await Task.sleep(for: .seconds(3))
        return json(Files.read(samplePath("queue.json")))
    }
    router.get("/fail") { _, _ in json(#"{"error": "boom"}"#, status: .internalServerError) }
    router.get("/garbage") { _, _ in json("<html><body>Bad gateway</body></html>") }
    router.get("/wrong-types") { _, _ in
        json(#"{"queues": [{"name": "q", "depth": "many", "in_flight": 0, "oldest_age_seconds": 0, "dead_letters": 0}]}"#)
    }
    router.get("/redirect") { _, _ in Response(status: .found, headers: [.location: "/queue"]) }
    router.get("/secured") { request, _ in
        request.headers[.authorization] == "Bearer s3cret" ? json(Files.read(samplePath("queue.json"))) : json("{}", status: .unauthorized)
    }
    // 2 MiB, announced by Content-Length.
    router.get("/big") { _, _ in json(String(repeating: " ", count: 2 << 20) + "{}") }
    // An endless trickle without Content-Length: only a limit enforced while receiving stops it.
    router.get("/endless") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
            let chunk = ByteBuffer(string: String(repeating: " ", count: 16 << 10))
            for _ in 0..<3000 { // at most 30 s of bytes, then it stops by itself
                try await writer.write(chunk)
                try await Task.sleep(for: .milliseconds(10))
            }
            try await writer.finish(nil)
        })
    }
    return router
}

let quietLogger: Logger = {
    var logger = Logger(label: "test-endpoints")
    logger.logLevel = .critical
    return logger
}()

@Suite struct HTTPPollerTests {
    func poll(_ port: Int, _ path: String, timeout: Duration = .seconds(5), maxBodyBytes: Int = 1 << 20,
              headers: [PollHeader] = []) async -> Result<[UInt8], PollFailure> {
        let poller = HTTPPoller(configuration: HTTPPollerConfiguration(
            url: URL(string: "http://127.0.0.1:\(port)\(path)")!, timeout: timeout, headers: headers, maxBodyBytes: maxBodyBytes))
        defer { poller.shutdown() }
        return await poller.fetch()
    }

    func reason(_ result: Result<[UInt8], PollFailure>) -> PollFailureReason? {
        if case .failure(let f) = result { return f.reason }
        return nil
    }

    @Test func aGoodAnswerIsFetchedAndDecoded() async throws {
        try await LocalHTTPServer.withRunning(pollTestRouter(), logger: quietLogger) { port in
            let body = try await poll(port, "/queue").get()
            let reading = try PollDecoder(format: .native).decode(body).get()
            #expect(reading.queues.map(\.depth) == [12, 0])
        }
    }

    @Test func theEntraSampleIsServedAsAQuarantinedJob() async throws {
        try await LocalHTTPServer.withRunning(pollTestRouter(), logger: quietLogger) { port in
            let body = try await poll(port, "/entra").get()
            let reading = try PollDecoder(format: .entraSyncJob, target: "github").decode(body).get()
            #expect(reading.quarantines.first?.quarantined == true)
            #expect(reading.queues.first { $0.name == "github/exports" }?.depth == 184)
        }
    }

    @Test func aSlowAnswerTimesOut() async throws {
        try await LocalHTTPServer.withRunning(pollTestRouter(), logger: quietLogger) { port in
            let clock = ContinuousClock()
            let start = clock.now
            let result = await poll(port, "/slow", timeout: .milliseconds(500))
            #expect(reason(result) == .timeout)
            #expect(clock.now - start < .milliseconds(2500), "the timeout bounds the whole poll")
        }
    }

    @Test func aSubSecondTimeoutStillAllowsAFastAnswer() async throws {
        try await LocalHTTPServer.withRunning(pollTestRouter(), logger: quietLogger) { port in
            for _ in 0..<3 {
                let result = await poll(port, "/queue", timeout: .milliseconds(800))
                #expect((try? result.get()) != nil, "\(result)")
            }
        }
    }

    @Test func non2xxRedirectAndMissingCredentialsAreHTTPStatusFailures() async throws {
        try await LocalHTTPServer.withRunning(pollTestRouter(), logger: quietLogger) { port in
            let failed = await poll(port, "/fail")
            #expect(reason(failed) == .httpStatus)
            if case .failure(let f) = failed { #expect(f.detail == "HTTP status 500") }
            #expect(reason(await poll(port, "/redirect")) == .httpStatus, "redirects are not followed")
            #expect(reason(await poll(port, "/secured")) == .httpStatus)
        }
    }

    @Test func headersAreSentAndTheirValuesNeverShowInFailures() async throws {
        try await LocalHTTPServer.withRunning(pollTestRouter(), logger: quietLogger) { port in
            let token = PollHeader(name: "Authorization", value: "Bearer s3cret")
            #expect((try? await poll(port, "/secured", headers: [token]).get()) != nil)
            let failed = await poll(port, "/fail", headers: [token])
            if case .failure(let f) = failed { #expect(!f.description.contains("s3cret")) }
            #expect(!token.description.contains("s3cret"))
        }
    }

    @Test func garbageAndWrongTypesFailWithTheirReason() async throws {
        try await LocalHTTPServer.withRunning(pollTestRouter(), logger: quietLogger) { port in
            let garbage = try await poll(port, "/garbage").get()
            #expect(reason(PollDecoder(format: .native).decode(garbage).map { _ in [] }) == .invalidJSON)
            let wrong = try await poll(port, "/wrong-types").get()
            #expect(reason(PollDecoder(format: .native).decode(wrong).map { _ in [] }) == .wrongType)
        }
    }

    @Test func anOversizedBodyIsCancelledWhileItArrives() async throws {
        try await LocalHTTPServer.withRunning(pollTestRouter(), logger: quietLogger) { port in
            #expect(reason(await poll(port, "/big", maxBodyBytes: 64 << 10)) == .tooLarge)
            let clock = ContinuousClock()
            let start = clock.now
            let endless = await poll(port, "/endless", timeout: .seconds(20), maxBodyBytes: 64 << 10)
            #expect(reason(endless) == .tooLarge)
            #expect(clock.now - start < .seconds(5), "cancelled at the limit, not at the end of the body")
        }
    }

    @Test func aClosedPortIsRefused() async throws {
        let port = try await LocalHTTPServer.withRunning(Router(), logger: quietLogger) { $0 }
        let result = await poll(port, "/queue", timeout: .seconds(3))
        #expect(reason(result) == .refused, "\(result)")
    }

    @Test func anUntrustedCertificateIsATLSFailure() async throws {
        let openssl = try #require(which("openssl"), "openssl (Debian's openssl package) serves the self-signed endpoint")
        let dir = try TemporaryDirectory(prefix: "tls")
        defer { dir.remove() }
        let made = try runProcess(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.file("key.pem"),
                                            "-out", dir.file("cert.pem"), "-days", "1", "-subj", "/CN=127.0.0.1"])
        #expect(made.status == 0, "\(made.stderr)")
        let port = try await LocalHTTPServer.withRunning(Router(), logger: quietLogger) { $0 }
        let server = try ChildProcess(openssl, ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", dir.file("cert.pem"),
                                                "-key", dir.file("key.pem"), "-www", "-quiet"])
        defer { server.kill() }
        let poller = HTTPPoller(configuration: HTTPPollerConfiguration(
            url: URL(string: "https://127.0.0.1:\(port)/")!, timeout: .seconds(3)))
        defer { poller.shutdown() }
        var result = await poller.fetch()
        for _ in 0..<50 where reason(result) == .refused { // until s_server listens
            try await Task.sleep(for: .milliseconds(100))
            result = await poller.fetch()
        }
        #expect(reason(result) == .tls, "\(result)")
    }
}
