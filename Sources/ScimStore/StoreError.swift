import GRDB

/// A store operation that failed: which operation, on which file, what is wrong and what to do about it.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// What is wrong, in terms an operator can act on.
    public enum Problem: Sendable, Equatable {
        /// Not an SQLite database at all: random bytes, or another kind of file.
        case notADatabase
        /// An SQLite database with damaged or missing pages (a truncated copy, a disk error).
        case damaged
        /// Written by a newer scimwatch: it records migrations this build does not know.
        case newerVersion(migrations: [String])
        /// An SQLite database of something else: it has tables but no scimwatch migrations.
        case foreignDatabase
        case diskFull
        /// The file or its directory cannot be created or written.
        case notWritable
        /// Another connection holds the write lock for longer than the busy timeout.
        case locked
        case other

        /// What to do about it.
        public var remedy: String? {
            switch self {
            case .notADatabase, .damaged:
                "Move it away to start afresh (counters restart from zero), or put back a good copy"
            case .newerVersion:
                "Run that version or a later one, or move the file away to start afresh (counters restart from zero)"
            case .foreignDatabase: "Point `state` at a path of its own"
            case .diskFull: "Free space on its file system"
            case .notWritable: "Make the file and its directory writable by this user, on a file system mounted read-write"
            case .locked: "Stop the other process that uses it: one scimwatch per state file"
            case .other: nil
            }
        }
    }

    /// `open`, `load`, `checkpoint`, `outbox` or `reports`: the `operation` label of `scimwatch_store_errors_total`.
    public var operation: String
    public var path: String?
    public var problem: Problem
    /// SQLite's (or GRDB's) own words.
    public var message: String

    public init(operation: String, path: String?, underlying: any Error) {
        self.init(operation: operation, path: path, problem: Self.classify(underlying), message: String(describing: underlying))
    }

    public init(operation: String, path: String?, problem: Problem, message: String) {
        self.operation = operation
        self.path = path
        self.problem = problem
        self.message = message
    }

    public var description: String {
        let file = path.map { "the state file \($0)" } ?? "the in-memory state"
        let what = explanation.map { "\($0) (\(message))" } ?? message
        return "\(verb) \(file): \(what)" + (remedy.map { ". \($0)" } ?? "")
    }

    private var verb: String {
        switch operation {
        case "open": "cannot open"
        case "load": "cannot read"
        case "checkpoint": "cannot write a checkpoint to"
        case "outbox": "cannot use the notification outbox in"
        case "reports": "cannot record report deliveries in"
        default: "\(operation) failed for"
        }
    }

    private var explanation: String? {
        switch problem {
        case .notADatabase: "it is not an SQLite database (damaged, or another kind of file)"
        case .damaged: "it is damaged or truncated"
        case .newerVersion(let migrations):
            "it was written by a newer scimwatch (migrations this build does not know: \(migrations.joined(separator: ", ")))"
        case .foreignDatabase: "it is an SQLite database but not a scimwatch state file"
        case .diskFull: "its file system is full"
        case .notWritable: "it cannot be created or written (a missing directory, permissions or a read-only file system)"
        case .locked: "another process holds its write lock"
        case .other: nil
        }
    }

    /// What to do about it.
    public var remedy: String? { problem.remedy }

    static func classify(_ error: any Error) -> Problem {
        guard let error = error as? DatabaseError else { return .other }
        switch error.resultCode {
        case .SQLITE_NOTADB: return .notADatabase
        case .SQLITE_CORRUPT: return .damaged
        case .SQLITE_FULL: return .diskFull
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM: return .notWritable
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .locked
        default: return .other
        }
    }
}
