import ScimCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNative(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    ingest(data, size, as: SourceFormat(format: .native))
    return 0
}
