#if canImport(Glibc)
import Glibc
#endif
import Logging
import ScimCore
import ServiceLifecycle

/// The demo's provisioning service: writes simulated native logs in real time into a directory and
/// rotates them by rename (`scim.log` -> `scim.log.1`), as a real service with logrotate would.
public struct SimulatedLogWriter: Service {
    public let directory: String
    public let scenario: SimulationScenario
    /// Rotate after this many bytes.
    public let rotateBytes: Int
    public let interval: Duration
    private let logger: Logger

    public init(directory: String, scenario: SimulationScenario = .demo, rotateBytes: Int = 4 << 20,
                interval: Duration = .milliseconds(200), logger: Logger = Logger(label: "scimwatch.demo")) {
        self.directory = directory
        self.scenario = scenario
        self.rotateBytes = rotateBytes
        self.interval = interval
        self.logger = logger
    }

    public var logPath: String { directory + "/scim.log" }

    public func run() async throws {
        var simulator = TrafficSimulator(scenario: scenario, startTime: WallClock.milliseconds())
        var written = 0
        var fd = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        defer { close(fd) }
        var buffer: [UInt8] = []
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            buffer.removeAll(keepingCapacity: true)
            simulator.lines(until: WallClock.milliseconds(), into: &buffer)
            if !buffer.isEmpty {
                _ = buffer.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                written += buffer.count
            }
            if written >= rotateBytes {
                close(fd)
                rename(logPath, logPath + ".1")
                fd = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
                written = 0
                logger.info("demo log rotated", metadata: ["path": "\(logPath)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}

/// Asks the whole service group to shut down gracefully after a while (`demo --for`).
public struct StopAfter: Service {
    public let duration: Duration

    public init(_ duration: Duration) {
        self.duration = duration
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
    }
}
