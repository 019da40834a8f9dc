import Hummingbird

/// Requires `Authorization: Bearer <token>` on the protected path prefixes. The comparison takes the
/// same time whatever the input, and the token never appears in a response or a log.
public struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]
    let protectedPrefixes: [String]
    /// Paths protected only as a whole (`/`, the status page, whose prefix is every path).
    let protectedPaths: [String]

    public init(token: String, protectedPrefixes: [String], protectedPaths: [String] = []) {
        self.token = Array(token.utf8)
        self.protectedPrefixes = protectedPrefixes
        self.protectedPaths = protectedPaths
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard protectedPrefixes.contains(where: { path.hasPrefix($0) }) || protectedPaths.contains(path) else { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              Self.constantTimeEqual(Array(header.utf8.dropFirst(7)), token) else {
            return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer", .contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: .init(string: "a bearer token is required\n")))
        }
        return try await next(request, context)
    }

    /// Equal length and bytes, examining every byte of the longer input.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count) | UInt8(truncatingIfNeeded: (a.count ^ b.count) >> 8)
        let n = max(a.count, b.count)
        for i in 0..<n {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }
}
