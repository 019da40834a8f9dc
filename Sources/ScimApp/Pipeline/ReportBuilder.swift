import Foundation
import ScimCore
import ScimStore

/// `scimwatch report`: the weekly report from a state file, without reading any log (the counts are
/// the ones the last checkpoint committed).
public enum ReportBuilder {
    /// Loads the state at `statePath` (default: the configuration's) and computes the report of `week`
    /// (default: the last complete week before `now` in `timeZone`).
    public static func weekly(
        configuration: ScimwatchConfiguration, statePath: String?, week: String?, timeZone: TimeZone = .gmt,
        now: Int64 = WallClock.milliseconds()
    ) throws -> WeeklyReport {
        let path = statePath ?? configuration.statePath
        // Opening SQLite would create an empty file: a typo must say so instead of printing an empty report.
        guard FileManager.default.fileExists(atPath: path) else {
            throw StartupError("no state file at \(path): give --state or --config with the state that `scimwatch run` writes")
        }
        let reportWeek = try parse(week: week, timeZone: timeZone, now: now)
        var runless = configuration
        runless.sources = []
        let pipeline = try IngestPipeline(configuration: runless, store: try Store(path: path))
        return pipeline.snapshot().weeklyReport(week: reportWeek, now: now)
    }

    /// `2026-W47`, or the last complete week when nil.
    public static func parse(week: String?, timeZone: TimeZone, now: Int64) throws(StartupError) -> ReportWeek {
        guard let week else { return .lastComplete(before: now, timeZone: timeZone) }
        guard let parsed = ReportWeek(parsing: week, timeZone: timeZone) else {
            throw StartupError("--week \(week) is not an ISO week: write it like 2026-W47")
        }
        return parsed
    }
}
