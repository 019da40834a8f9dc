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
    /// The file's first bytes exactly as they were read, up to the fingerprint limit: always
    /// `min(limit, readOffset)` of them. A truncated and rewritten file is told from the one that was
    /// read by comparing these bytes with what the file starts with now. They are taken from the
    /// reads themselves, never read again later: a file rewritten between a look and a read would
    /// otherwise be fingerprinted by content that was never delivered, and its rewrite missed.
    private(set) var head: [UInt8] = []
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
        head.removeAll()
    }

    func position(source: String) -> FilePosition {
        FilePosition(source: source, device: identity.device, inode: identity.inode, fingerprintLength: head.count,
                     fingerprint: fingerprint(head), offset: offset, path: path)
    }

    /// Keeps the part of a read at `position` that falls within the first `limit` bytes.
    func noteRead(_ bytes: UnsafeRawBufferPointer, at position: Int64, limit: Int) {
        guard position == Int64(head.count), head.count < limit else { return }
        head.append(contentsOf: bytes.prefix(limit - head.count))
    }

    /// Takes over the position a previous run stored, if the file still starts with the bytes that run
    /// read. A position stored without all of them (none read yet past a short fingerprint) would match
    /// any rewrite of the file, so it is not taken.
    func resume(from stored: FilePosition, limit: Int) -> Bool {
        guard stored.offset <= size, Int64(stored.fingerprintLength) >= min(Int64(limit), stored.offset),
              let prefix = bytes(at: 0, count: stored.fingerprintLength), fingerprint(prefix) == stored.fingerprint
        else { return false }
        offset = stored.offset
        head = prefix
        return true
    }

    /// Treats the file as read up to its current size (a source that starts at the end of its files).
    func skipToEnd(limit: Int) {
        guard let prefix = bytes(at: 0, count: Int(min(Int64(limit), size))) else { return }
        head = prefix
        offset = size
    }

    /// Whether the file still starts with the bytes that were read from it.
    func startsWithHead() -> Bool {
        head.isEmpty || bytes(at: 0, count: head.count) == head
    }

    /// `count` bytes at `position`, or `nil` if the file is shorter or unreadable.
    private func bytes(at position: Int64, count: Int) -> [UInt8]? {
        guard count > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(position)) }
        return n == count ? buffer : nil
    }

    /// The stored form of the first bytes: their hash, 0 for none.
    private func fingerprint(_ bytes: [UInt8]) -> UInt64 {
        bytes.isEmpty ? 0 : bytes.withUnsafeBytes { byteHash($0.baseAddress!, $0.count) }
    }

    /// Size and link count from the open descriptor.
    func statDescriptor() -> (size: Int64, links: UInt64)? {
        var st = stat()
        guard fstat(descriptor, &st) == 0 else { return nil }
        return (Int64(st.st_size), UInt64(st.st_nlink))
    }
}
