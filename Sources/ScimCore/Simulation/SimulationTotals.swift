/// What a ``TrafficSimulator`` has written so far, so tests can compare it with what scimwatch counted.
///
/// Everything except ``lines`` and ``duplicates`` counts distinct events: a duplicate line (same `id`,
/// same bytes) is counted once, exactly as scimwatch counts it.
public struct SimulationTotals: Sendable, Equatable {
    /// Lines written, duplicates included.
    public internal(set) var lines = 0
    /// Lines that repeat an earlier line byte for byte (same `id`).
    public internal(set) var duplicates = 0
    /// `requested` events.
    public internal(set) var requested = 0
    /// `attempt` events (every one carries a `status`).
    public internal(set) var attempts = 0
    /// Attempts with `attempt >= 2`.
    public internal(set) var retries = 0
    /// `completed` events with `outcome: success`.
    public internal(set) var completedSuccess = 0
    /// `completed` events with `outcome: failure`.
    public internal(set) var completedFailure = 0
    /// Sum of `bulk_total` over bulk attempts.
    public internal(set) var bulkTotal = 0
    /// Sum of `bulk_failed` over bulk attempts.
    public internal(set) var bulkFailed = 0
    /// Attempts by HTTP status (index = status, 0...999).
    var statusCounts = [Int](repeating: 0, count: 1000)

    /// No lines yet.
    public init() {}

    /// Distinct events written (lines without duplicates).
    public var events: Int { lines - duplicates }

    /// Attempts written with this HTTP status (`0` = no response).
    public func attempts(status: Int) -> Int {
        statusCounts.indices.contains(status) ? statusCounts[status] : 0
    }

    /// Attempts by HTTP status, only statuses that occurred.
    public var attemptsByStatus: [Int: Int] {
        var result: [Int: Int] = [:]
        for (status, count) in statusCounts.enumerated() where count > 0 { result[status] = count }
        return result
    }

    @inline(__always)
    mutating func countAttempt(status: Int, attempt: Int) {
        attempts += 1
        statusCounts[status] += 1
        if attempt >= 2 { retries += 1 }
    }
}
