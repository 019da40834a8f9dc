import ScimCore
import ScimSources

/// A ``TailSink`` that keeps everything it receives, for tailer tests.
public struct RecordingSink: TailSink {
    public private(set) var lines: [String] = []
    public private(set) var rotations: [RotationKind] = []
    public private(set) var overlongLines: [Int] = []

    public init() {}

    public mutating func receive(lines block: UnsafeRawBufferPointer, source: Int) {
        var text = String(decoding: block, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        lines.append(contentsOf: text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }

    public mutating func receiveOverlongLine(bytes: Int, source: Int) {
        overlongLines.append(bytes)
    }

    public mutating func receiveRotation(_ kind: RotationKind, source: Int) {
        rotations.append(kind)
    }
}
