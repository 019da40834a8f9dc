#if canImport(Glibc)
import Glibc
#endif
import Logging
import ScimCore

/// Follows the files of one source: glob patterns, rotation by rename, copytruncate, delete and
/// recreate, truncation, symlink swaps, and all of these having happened while scimwatch was stopped.
///
/// It is polled by the single ingest task (no locks, no threads of its own). ``refresh()`` looks at the
/// file system; ``read(into:)`` delivers complete lines to a ``TailSink`` and advances in-memory
/// offsets, which ``positions`` exposes for the checkpoint that commits them with the counts.
public final class FileTailer {
    public struct Configuration: Sendable {
        /// The source's name (the `source` label).
        public var source: String
        /// Glob patterns (`*`, `?`, `[...]`); symlinks are followed.
        public var patterns: [String]
        /// Files present at the first look that have no stored position start at their end.
        public var startAtEnd: Bool
        /// Lines longer than this are skipped without being buffered.
        public var maxLineBytes: Int
        /// Bytes hashed to tell a file from a new one with a reused inode.
        public var fingerprintBytes: Int
        /// Refreshes a file may stay unmatched (renamed away or deleted) while it is drained.
        public var missingGraceRefreshes: Int

        public init(source: String, patterns: [String], startAtEnd: Bool = false, maxLineBytes: Int = 65_536,
                    fingerprintBytes: Int = 1024, missingGraceRefreshes: Int = 3) {
            self.source = source
            self.patterns = patterns
            self.startAtEnd = startAtEnd
            self.maxLineBytes = maxLineBytes
            self.fingerprintBytes = fingerprintBytes
            self.missingGraceRefreshes = missingGraceRefreshes
        }
    }

    public let configuration: Configuration
    /// The source's index in the engine.
    public let sourceIndex: Int
    /// Failed opens, stats and reads (retried on the next refresh).
    public internal(set) var readErrors: UInt64 = 0
    /// The last error, for `/readyz` and logs.
    public internal(set) var lastError: TailError?

    var files: [FileIdentity: TrackedFile] = [:]
    /// Which identity each path pointed at, to tell a rotation from a new file.
    var pathOwners: [String: FileIdentity] = [:]
    /// Positions restored from the store, used once when their file is seen again.
    var restored: [FileIdentity: FilePosition] = [:]
    var firstRefresh = true
    /// Paths whose error has been logged (logged once until they recover).
    var reportedErrors: Set<String> = []
    let logger: Logger
    let buffer: UnsafeMutableRawBufferPointer

    public init(configuration: Configuration, sourceIndex: Int, restoring positions: [FilePosition] = [],
                logger: Logger = Logger(label: "scimwatch.tailer")) {
        self.configuration = configuration
        self.sourceIndex = sourceIndex
        self.logger = logger
        buffer = .allocate(byteCount: max(1 << 20, configuration.maxLineBytes * 2), alignment: 16)
        for p in positions where p.source == configuration.source {
            restored[FileIdentity(device: p.device, inode: p.inode)] = p
        }
    }

    deinit { buffer.deallocate() }

    /// The positions a checkpoint should store: every open file, and restored ones not yet resolved.
    public var positions: [FilePosition] {
        files.values.map { $0.position(source: configuration.source) } + restored.values
    }

    /// Bytes in the files beyond what has been delivered.
    public var lagBytes: Int64 { files.values.reduce(0) { $0 + max(0, $1.size - $1.offset - Int64($1.carry.count)) } }

    /// How many files are open.
    public var openFileCount: Int { files.count }

    /// Whether the source's files could all be read at the last look (for `/readyz`).
    public var isReadable: Bool { reportedErrors.isEmpty }

    /// Paths of the open files, sorted.
    public var openPaths: [String] { files.values.map(\.path).sorted() }

    /// Files in reading order: rotated-away files first (their lines are older), then by path.
    var trackedFiles: [TrackedFile] {
        files.values.sorted { ($0.missingRefreshes == 0 ? 1 : 0, $0.path) < ($1.missingRefreshes == 0 ? 1 : 0, $1.path) }
    }
}
