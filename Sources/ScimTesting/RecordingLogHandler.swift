import Logging
import Synchronization

/// A log handler that keeps what is logged, for tests that check what an operator would read.
public struct RecordingLogHandler: LogHandler {
    /// One logged line: its level and message.
    public struct Entry: Sendable, Equatable {
        public var level: Logger.Level
        public var message: String
    }

    /// Where the entries go; shared by every copy of the handler.
    public final class Entries: Sendable {
        private let entries = Mutex<[Entry]>([])

        public init() {}

        public var all: [Entry] { entries.withLock { $0 } }

        func append(_ entry: Entry) { entries.withLock { $0.append(entry) } }
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace
    private let entries: Entries

    /// A logger whose lines land in `entries`.
    public static func logger(_ entries: Entries) -> Logger {
        Logger(label: "recorded") { _ in RecordingLogHandler(entries: entries) }
    }

    init(entries: Entries) {
        self.entries = entries
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        entries.append(Entry(level: event.level, message: event.message.description))
    }
}
