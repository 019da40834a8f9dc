import ScimCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSCIMServer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    ingest(data, size, as: SourceFormat(format: .scimServer))
    return 0
}
