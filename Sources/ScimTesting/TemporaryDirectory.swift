import Foundation

/// A fresh directory under the system's temporary directory, removed by ``remove()``.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(prefix: String = "scimwatch-test") throws {
        path = NSTemporaryDirectory() + "/\(prefix)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Small file operations for tests that act like a logging application or logrotate.
public enum Files {
    /// Appends text to a file (creating it), as an application writing its log would.
    public static func append(_ text: String, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil)
        }
        let handle = try FileHandle(forWritingAtPath: path).unwrap("open \(path)")
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// Replaces a file's content with `text` in place (same inode), like `copytruncate` then writing.
    public static func truncate(_ path: String, to size: UInt64 = 0) throws {
        let handle = try FileHandle(forWritingAtPath: path).unwrap("open \(path)")
        defer { try? handle.close() }
        try handle.truncate(atOffset: size)
    }

    public static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}

extension Optional {
    func unwrap(_ what: String) throws -> Wrapped {
        guard let self else { throw TestSupportError("cannot \(what)") }
        return self
    }
}

/// A failure in test support itself.
public struct TestSupportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
