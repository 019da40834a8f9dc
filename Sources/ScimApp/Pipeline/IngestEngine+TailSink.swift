import ScimCore
import ScimSources

/// The engine is the tailer's sink: lines go straight from the read buffer into the parser.
extension IngestEngine: TailSink {
    public mutating func receive(lines: UnsafeRawBufferPointer, source: Int) {
        ingest(block: lines, source: source)
    }

    public mutating func receiveOverlongLine(bytes: Int, source: Int) {
        recordOverlongLine(source: source, bytes: bytes)
    }

    public mutating func receiveRotation(_ kind: RotationKind, source: Int) {
        recordRotation(kind, source: source)
    }
}
