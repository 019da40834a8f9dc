import ScimCore

/// Receives what a ``FileTailer`` reads. The ingest engine is the sink in production; tests record.
public protocol TailSink {
    /// A block of complete lines (each ending in `\n`, except a final line of a finished file in replay).
    mutating func receive(lines: UnsafeRawBufferPointer, source: Int)
    /// A line longer than the limit was skipped without being buffered; `bytes` includes its newline.
    mutating func receiveOverlongLine(bytes: Int, source: Int)
    /// The tailer saw a rotation of one of the source's files.
    mutating func receiveRotation(_ kind: RotationKind, source: Int)
}

/// A file that could not be opened, stat'ed or read; reported and retried, never fatal.
public struct TailError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var errno: Int32

    public var description: String {
        "cannot \(operation) \(path): \(String(cString: strerror(errno))) (errno \(errno))"
    }
}

#if canImport(Glibc)
import Glibc
#endif
