/// How to read one source's lines: the format, the tenant it is bound to, and the mapping for `json`.
public struct SourceFormat: Sendable, Equatable {
    public var format: LogFormat
    /// A tenant fixed by the configuration: lines can then never speak for another tenant.
    public var tenant: String?
    /// The field mapping of the `json` format.
    public var mapping: FieldMapping?
    /// For `okta`: the apps a tenant-wide `user.lifecycle.deactivate` deprovisions from.
    public var oktaDeactivationTargets: [String] = []

    public init(format: LogFormat, tenant: String? = nil, mapping: FieldMapping? = nil) {
        self.format = format
        self.tenant = tenant
        self.mapping = mapping
    }

    /// The parser, with the bound tenant interned once.
    public func makeParser(labels: inout Labels) -> SourceParser {
        let bound = tenant.map { labels.tenants.intern($0) }
        switch format {
        case .native: return .native(NativeParser(boundTenant: bound))
        case .okta: return .okta(OktaParser(boundTenant: bound, deactivationTargets: oktaDeactivationTargets))
        case .entra: return .entra(EntraParser(boundTenant: bound))
        case .scimServer: return .scimServer(SCIMServerParser(boundTenant: bound))
        case .json: return .json(MappedJSONParser(mapping: mapping ?? FieldMapping(), boundTenant: bound))
        }
    }
}
