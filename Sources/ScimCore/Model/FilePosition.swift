/// Where reading a file has got to, keyed by the file's identity rather than its path, so a renamed
/// file keeps its position and a new file at an old path starts afresh.
public struct FilePosition: Sendable, Equatable, Hashable {
    /// The source (configuration name) the file belongs to.
    public var source: String
    public var device: UInt64
    public var inode: UInt64
    /// How many leading bytes the fingerprint covers: those read so far, up to a limit.
    public var fingerprintLength: Int
    /// ``byteHash(_:_:)`` of the first `fingerprintLength` bytes: tells a reused inode from the same file.
    public var fingerprint: UInt64
    /// Offset just past the last complete line consumed.
    public var offset: Int64
    /// The path it was last seen at (for finding it again after a rotation while stopped).
    public var path: String

    public init(source: String, device: UInt64, inode: UInt64, fingerprintLength: Int, fingerprint: UInt64, offset: Int64, path: String) {
        self.source = source
        self.device = device
        self.inode = inode
        self.fingerprintLength = fingerprintLength
        self.fingerprint = fingerprint
        self.offset = offset
        self.path = path
    }
}
