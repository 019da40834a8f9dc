#if canImport(Glibc)
import Glibc
#endif
import ScimCore

/// A file's identity on disk: the same device and inode is the same file, whatever its path.
public struct FileIdentity: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64
}

/// One open file and how far it has been read.
final class TrackedFile {
    let identity: FileIdentity
    var path: String
    let descriptor: Int32
    /// Offset just past the last complete line delivered: what a checkpoint stores.
    var offset: Int64
    /// The partial last line, held until its newline arrives.
    var carry: [UInt8] = []
    /// Bytes of an overlong line skipped so far (the line is being discarded up to its newline).
    var discarding: Int64 = 0
    var fingerprintLength: Int = 0
    var fingerprint: UInt64 = 0
    /// The file's size at the last look.
    var size: Int64 = 0
    /// Consecutive refreshes in which no pattern matched the file (renamed away or deleted).
    var missingRefreshes = 0

    init(identity: FileIdentity, path: String, descriptor: Int32, offset: Int64) {
        self.identity = identity
        self.path = path
        self.descriptor = descriptor
        self.offset = offset
    }

    deinit { close(descriptor) }

    /// Where the next read starts.
    var readOffset: Int64 { offset + Int64(carry.count) + discarding }

    /// Forgets everything read (after a truncation or a content change).
    func rewind() {
        offset = 0
        carry.removeAll()
        discarding = 0
        fingerprintLength = 0
        fingerprint = 0
    }

    func position(source: String) -> FilePosition {
        FilePosition(source: source, device: identity.device, inode: identity.inode, fingerprintLength: fingerprintLength,
                     fingerprint: fingerprint, offset: offset, path: path)
    }

    /// The hash of the first `length` bytes, or `nil` if the file is shorter or unreadable.
    func hashPrefix(_ length: Int) -> UInt64? {
        guard length > 0 else { return 0 }
        var buffer = [UInt8](repeating: 0, count: length)
        let n = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, length, 0) }
        guard n == length else { return nil }
        return buffer.withUnsafeBytes { byteHash($0.baseAddress!, length) }
    }

    /// Extends the fingerprint as the file grows, up to `limit` bytes.
    func updateFingerprint(limit: Int) {
        let wanted = Int(min(Int64(limit), size))
        guard wanted > fingerprintLength, let hash = hashPrefix(wanted) else { return }
        fingerprintLength = wanted
        fingerprint = hash
    }

    /// Whether the file still starts with the bytes the fingerprint was taken from.
    func fingerprintMatches() -> Bool {
        fingerprintLength == 0 || hashPrefix(fingerprintLength) == fingerprint
    }

    /// Size and link count from the open descriptor.
    func statDescriptor() -> (size: Int64, links: UInt64)? {
        var st = stat()
        guard fstat(descriptor, &st) == 0 else { return nil }
        return (Int64(st.st_size), UInt64(st.st_nlink))
    }
}
