import ScimCore

/// What the HTTP server reads. Implemented by the running pipeline; every call returns published,
/// immutable state, so handlers never touch the ingest task's mutable state.
public protocol StatusProvider: Sendable {
    /// The latest committed metrics.
    func metricsSnapshot() -> MetricsSnapshot
    /// Whether scimwatch can do its job: the store answers and the sources can be read.
    func readiness() -> Readiness
}

/// The answer of `/readyz`.
public struct Readiness: Sendable, Equatable {
    /// Empty when ready; otherwise one line per problem.
    public var problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    public var isReady: Bool { problems.isEmpty }
}
