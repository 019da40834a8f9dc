import ScimStore

/// Whether the last checkpoint failed. While it did, the pipeline reads no new line: what it has read
/// waits in memory for the next checkpoint, and a crash meanwhile reads it again from the committed
/// positions, so a full disk or a locked file loses nothing and memory stops growing.
struct CheckpointHealth {
    /// Failed checkpoints since the last one that succeeded.
    private(set) var failuresInARow = 0
    private(set) var lastError: StoreError?

    var isFailing: Bool { lastError != nil }

    /// Records a failure. Returns whether to log it: the first of a run, or one that says something
    /// else than the last (a retry every interval would otherwise repeat one line for as long as the
    /// disk stays full; `scimwatch_store_errors_total` and `/readyz` count every attempt).
    mutating func failed(_ error: StoreError) -> Bool {
        let isNews = lastError?.description != error.description
        failuresInARow += 1
        lastError = error
        return isNews
    }

    /// Records a success; returns how many failures it ends.
    mutating func succeeded() -> Int {
        defer {
            failuresInARow = 0
            lastError = nil
        }
        return failuresInARow
    }

    /// The line `/readyz` shows while checkpoints fail.
    var readinessProblem: String? {
        guard let lastError else { return nil }
        let attempts = failuresInARow == 1 ? "the last checkpoint failed" : "the last \(failuresInARow) checkpoints failed"
        return "\(attempts), reading is paused until one succeeds: \(lastError)"
    }
}
