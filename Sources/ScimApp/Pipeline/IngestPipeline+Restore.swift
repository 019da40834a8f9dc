import ScimCore
import ScimStore

extension IngestPipeline {
    /// Restores each section of the stored engine state. A section that cannot be decoded stops
    /// start-up with a message naming the file and the section, and saying whether it is damaged or
    /// from a newer version (the remedies differ).
    static func restore(
        _ bytes: [UInt8], path: String?, engine: inout IngestEngine, polls: inout PollState, pollHistory: inout PollHistory,
        notifications: inout NotificationLedger
    ) throws(StartupError) {
        let sections: StateSections
        do {
            sections = try StateSections(decoding: bytes)
        } catch {
            throw unreadable(path, section: nil, error)
        }
        func section(_ name: String, _ apply: ([UInt8]) throws -> Void) throws(StartupError) {
            guard let bytes = sections[name] else { return }
            do {
                try apply(bytes)
            } catch {
                throw unreadable(path, section: name, error as? StateDecodingError ?? StateDecodingError())
            }
        }
        try section("engine") { try engine.restoreState($0) }
        try section("slo") { try engine.restoreSLOState($0) }
        try section("alert_history") { try engine.restoreAlertHistory($0) }
        try section("bad_tally") { try engine.restoreBadTallies($0) }
        try section("hourly") { try engine.restoreHourly($0) }
        try section("symptoms") { try engine.restoreSymptomState($0) }
        try section("polls") { try polls.restoreState($0) }
        try section("poll_hourly") { try pollHistory.restore($0) }
        try section("notifications") { try notifications.restore($0) }
    }

    static func unreadable(_ path: String?, section: String?, _ error: StateDecodingError) -> StartupError {
        let part = section.map { "its section \"\($0)\"" } ?? "its engine state"
        let problem: StoreError.Problem = error.newerVersion == nil ? .damaged : .newerVersion(migrations: [])
        return StartupError("cannot restore the state file \(path ?? "in memory"): \(part) \(error.reason). \(problem.remedy ?? "")")
    }
}
