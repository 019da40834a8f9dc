import ScimCore

/// Every Entra shape (Graph record, Graph page, portal array, diagnostic envelope, export batch) goes
/// through the one parser; inputs of several lines also go through the document assembler.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEntra(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    ingest(data, size, as: SourceFormat(format: .entra))
    return 0
}
