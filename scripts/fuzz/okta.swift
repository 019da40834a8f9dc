import ScimCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOkta(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    // Okta lines carry no tenant, so a real source is bound; the targets fan out tenant-wide deactivations.
    var format = SourceFormat(format: .okta, tenant: "acme")
    format.oktaDeactivationTargets = ["jira", "zoom"]
    ingest(data, size, as: format)
    return 0
}
