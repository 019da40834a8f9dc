/// Joins a JSON document written over several lines (Entra's portal download: one pretty-printed
/// array) back into one text, by tracking bracket depth outside strings. Only used for formats whose
/// sources may hold whole documents; a line that is complete on its own passes straight through.
public struct DocumentAssembler: Sendable {
    /// The largest document held, in bytes (beyond it the document is dropped as `too_long`).
    public let limit: Int
    public private(set) var buffer: [UInt8] = []
    private var depth = 0
    private var inString = false
    private var escaped = false

    public init(limit: Int) {
        self.limit = limit
    }

    public var isAssembling: Bool { !buffer.isEmpty }

    public enum Step {
        /// The line is a whole text by itself: parse it as it is.
        case passThrough
        /// The line belongs to a document still open: nothing to parse yet.
        case held
        /// The document closed with this line: parse ``buffer``, then call ``reset()``.
        case complete
        /// The document grew past the limit and was dropped.
        case tooLong
    }

    /// Feeds one line (without its newline).
    public mutating func feed(_ line: UnsafeRawBufferPointer) -> Step {
        if buffer.isEmpty {
            // Only a line that opens more brackets than it closes starts a document.
            var probe = DocumentAssembler(limit: limit)
            probe.scan(line)
            guard probe.depth > 0, !probe.inString else { return .passThrough }
        }
        buffer.append(contentsOf: line)
        buffer.append(0x0A)
        if buffer.count > limit {
            reset()
            return .tooLong
        }
        scan(line)
        return depth <= 0 ? .complete : .held
    }

    public mutating func reset() {
        buffer.removeAll(keepingCapacity: false)
        depth = 0
        inString = false
        escaped = false
    }

    private mutating func scan(_ line: UnsafeRawBufferPointer) {
        for b in line {
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
                continue
            }
            switch b {
            case 0x22: inString = true
            case 0x5B, 0x7B: depth += 1
            case 0x5D, 0x7D: depth -= 1
            default: break
            }
        }
    }
}
