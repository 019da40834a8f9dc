/// A small little-endian binary codec for checkpoints of engine state.
///
/// Hand-written rather than `Codable` + JSON: counter keys use all 64 bits (JSON numbers would round
/// them through `Double`), and a checkpoint is written every second, so it should be cheap and compact.
public struct StateWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func write(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func write(_ v: Int64) { write(UInt64(bitPattern: v)) }
    public mutating func write(_ v: Int) { write(Int64(v)) }
    public mutating func write(_ v: Double) { write(v.bitPattern) }

    public mutating func write(_ s: String) {
        let utf8 = Array(s.utf8)
        write(utf8.count)
        bytes.append(contentsOf: utf8)
    }

    public mutating func write(_ values: [UInt64]) {
        write(values.count)
        for v in values { write(v) }
    }

    mutating func appendBytes(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }

    public mutating func write(_ values: [String]) {
        write(values.count)
        for v in values { write(v) }
    }
}

/// Reads what ``StateWriter`` wrote; every read checks bounds and throws ``StateDecodingError``.
public struct StateReader {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var atEnd: Bool { position >= bytes.count }

    /// Bytes not yet read.
    public var remaining: Int { bytes.count - position }

    public mutating func readUInt64() throws(StateDecodingError) -> UInt64 {
        guard position + 8 <= bytes.count else { throw StateDecodingError() }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[position + k]) << (8 * UInt64(k)) }
        position += 8
        return v
    }

    public mutating func readInt64() throws(StateDecodingError) -> Int64 { Int64(bitPattern: try readUInt64()) }

    public mutating func readInt() throws(StateDecodingError) -> Int {
        let v = try readInt64()
        guard v >= 0, v < Int64(Int32.max) * 16 else { throw StateDecodingError() }
        return Int(v)
    }

    public mutating func readDouble() throws(StateDecodingError) -> Double { Double(bitPattern: try readUInt64()) }

    public mutating func readString() throws(StateDecodingError) -> String {
        let n = try readInt()
        guard position + n <= bytes.count else { throw StateDecodingError() }
        defer { position += n }
        return String(decoding: bytes[position..<position + n], as: UTF8.self)
    }

    mutating func readBytes(_ n: Int) throws(StateDecodingError) -> [UInt8] {
        guard n >= 0, position + n <= bytes.count else { throw StateDecodingError() }
        defer { position += n }
        return Array(bytes[position..<position + n])
    }

    public mutating func readUInt64s() throws(StateDecodingError) -> [UInt64] {
        let n = try readInt()
        guard position + n * 8 <= bytes.count else { throw StateDecodingError() }
        var out: [UInt64] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try readUInt64()) }
        return out
    }

    public mutating func readStrings() throws(StateDecodingError) -> [String] {
        let n = try readInt()
        var out: [String] = []
        for _ in 0..<n { out.append(try readString()) }
        return out
    }
}

/// A checkpoint that cannot be read: damaged (truncated, bytes changed), or a format newer than this build's.
public struct StateDecodingError: Error, Sendable, CustomStringConvertible {
    /// The format version found, when it is newer than the one this build reads.
    public var newerVersion: (found: UInt64, known: UInt64)?

    public init() {}

    public init(found: UInt64, known: UInt64) {
        newerVersion = (found, known)
    }

    /// What is wrong, said of the state or of one of its sections.
    public var reason: String {
        guard let (found, known) = newerVersion else { return "is damaged or truncated" }
        return "was written by a newer scimwatch (format \(found); this build reads \(known))"
    }

    public var description: String { "the stored state \(reason)" }
}

extension StateReader {
    /// Reads a section's format version. A newer one says so, because the remedy differs (run the newer
    /// build rather than give up the state); any other mismatch, a version far beyond any real one
    /// included, is damage.
    public mutating func readVersion(_ known: UInt64) throws(StateDecodingError) {
        let found = try readUInt64()
        if found > known, found < 1 << 16 { throw StateDecodingError(found: found, known: known) }
        guard found == known else { throw StateDecodingError() }
    }
}
