/// The version reported by `--version` and `scimwatch_build_info`.
public enum ScimwatchVersion {
    public static let current = "0.1.0"
    /// The git revision, when the build script passes one in `SCIMWATCH_REVISION`.
    public static let revision = "unknown"
}
