/// The version reported by `--version` and `scimwatch_build_info`.
public enum ScimwatchVersion {
    public static let current = "0.1.0"
    /// The git revision (`scimwatch_build_info{revision}`); no build step stamps it yet, so "unknown".
    public static let revision = "unknown"
}
