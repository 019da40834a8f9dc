/// A checkpoint blob made of named sections, so each part of the state (engine counters, open
/// operations, poll state, ...) encodes itself and a reader skips sections it does not know.
public struct StateSections: Sendable, Equatable {
    public var sections: [String: [UInt8]] = [:]

    public init() {}

    public subscript(name: String) -> [UInt8]? {
        get { sections[name] }
        set { sections[name] = newValue }
    }

    static let magic: UInt64 = 0x5343_494D_5354_4154 // "SCIMSTAT"

    public func encoded() -> [UInt8] {
        var w = StateWriter()
        w.write(Self.magic)
        w.write(sections.count)
        for (name, bytes) in sections.sorted(by: { $0.key < $1.key }) {
            w.write(name)
            w.write(bytes.count)
            w.appendRaw(bytes)
        }
        return w.bytes
    }

    public init(decoding bytes: [UInt8]) throws(StateDecodingError) {
        var r = StateReader(bytes)
        guard try r.readUInt64() == Self.magic else { throw StateDecodingError() }
        for _ in 0..<(try r.readInt()) {
            let name = try r.readString()
            let count = try r.readInt()
            sections[name] = try r.readRaw(count)
        }
    }
}

extension StateWriter {
    public mutating func appendRaw(_ raw: [UInt8]) { appendBytes(raw) }
}

extension StateReader {
    public mutating func readRaw(_ count: Int) throws(StateDecodingError) -> [UInt8] {
        try readBytes(count)
    }
}
