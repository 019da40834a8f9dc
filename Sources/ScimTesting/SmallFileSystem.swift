#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A tmpfs of its own for one test: a disk that really fills up (ENOSPC) and really turns read-only
/// (EROFS, which stops root too, unlike file modes). Mounting needs root with CAP_SYS_ADMIN: ``mount(megabytes:)``
/// returns nil elsewhere, and the tests that need it are skipped.
public final class SmallFileSystem {
    public let path: String
    private var filler: String { path + "/filler" }

    /// Whether this process may mount a tmpfs (tried once).
    public static let isAvailable: Bool = {
        guard let fs = SmallFileSystem.mount(megabytes: 1) else { return false }
        fs.unmount()
        return true
    }()

    private init(path: String) {
        self.path = path
    }

    public static func mount(megabytes: Int) -> SmallFileSystem? {
        guard geteuid() == 0, let mount = which("mount"),
              let dir = try? TemporaryDirectory(prefix: "small-fs") else { return nil }
        guard let result = try? runProcess(mount, ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", dir.path], timeout: 10),
              result.status == 0 else {
            dir.remove()
            return nil
        }
        return SmallFileSystem(path: dir.path)
    }

    /// The path of `name` on this file system.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes a filler file until the file system is full.
    public func fill() throws {
        let fd = open(filler, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw TestSupportError("cannot create \(filler)") }
        defer { close(fd) }
        let block = [UInt8](repeating: 0x2e, count: 4096)
        while block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        guard errno == ENOSPC else { throw TestSupportError("filling \(path) stopped with errno \(errno), not ENOSPC") }
    }

    /// Removes the filler: the space returns.
    public func makeRoom() {
        unlink(filler)
    }

    /// Remounts read-only (`readOnly: true`) or read-write. Fails while a file is open for writing.
    public func remount(readOnly: Bool) throws {
        let mount = try which("mount").unwrap("find mount")
        let result = try runProcess(mount, ["-o", readOnly ? "remount,ro" : "remount,rw", path], timeout: 10)
        guard result.status == 0 else { throw TestSupportError("remount \(path): \(result.stderr)") }
    }

    public func unmount() {
        if let umount = which("umount") { _ = try? runProcess(umount, ["-l", path], timeout: 10) }
        rmdir(path)
    }
}
