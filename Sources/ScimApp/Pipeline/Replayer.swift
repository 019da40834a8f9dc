import Foundation
import ScimCore
import ScimStore

/// `scimwatch replay`: files read to their end through the ``IngestPipeline``, then the exposition.
public enum Replayer {
    /// Replays `files` and returns the final exposition (text 0.0.4).
    /// With `alertsOut`, every alert state change is written there as a JSON line (backtesting).
    public static func replay(
        files: [String], format: LogFormat, tenant: String?, configuration base: ScimwatchConfiguration, statePath: String?,
        alertsOut: String? = nil
    ) throws -> String {
        var configuration = base
        var sourceFormat = SourceFormat(format: format, tenant: tenant)
        if let configured = base.sources.first(where: { $0.format.format == format }) {
            sourceFormat.mapping = configured.format.mapping
            sourceFormat.oktaDeactivationTargets = configured.format.oktaDeactivationTargets
        }
        if format == .json, sourceFormat.mapping == nil {
            throw StartupError("the json format needs a mapping: give --config with a json source")
        }
        configuration.sources = [SourceConfiguration(name: "replay", paths: files.map(escapeGlob), format: sourceFormat)]
        let store = try Store(path: statePath)
        let pipeline = try IngestPipeline(configuration: configuration, store: store)
        var alertLines = ""
        pipeline.onNotifications = { notifications in
            for n in notifications { alertLines += n.transitionJSONLine + "\n" }
        }
        do {
            try pipeline.readToEnd()
        } catch {
            throw StartupError("\(error). Nothing of this replay was stored: run it again once that is fixed")
        }
        if let alertsOut {
            guard FileManager.default.createFile(atPath: alertsOut, contents: Data(alertLines.utf8)) else {
                throw StartupError("cannot write \(alertsOut)")
            }
        }
        return pipeline.snapshot().render(.prometheus)
    }

    /// Makes a literal path safe to pass where glob patterns are expected.
    static func escapeGlob(_ path: String) -> String {
        var out = ""
        for ch in path {
            if "*?[]\\".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}
