// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "scimwatch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "scimwatch", targets: ["scimwatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // Pure domain: event model, parsers, counters, exposition. No files, sockets or clocks.
        .target(name: "ScimCore", dependencies: ["CPrefetch"]),
        // One C inline function: a cache prefetch hint for the hot path (Swift has no intrinsic).
        .target(name: "CPrefetch"),
        // SQLite state through GRDB: read positions and engine state, committed together.
        .target(name: "ScimStore", dependencies: [
            "ScimCore",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The outside world as bytes and JSON: the file tailer and the HTTP pollers.
        .target(name: "ScimSources", dependencies: [
            "ScimCore",
            "ScimHTTPClient",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Receivers: notifications POSTed to Alertmanager, PagerDuty, webhooks and Slack.
        .target(name: "ScimNotifiers", dependencies: ["ScimCore", "ScimHTTPClient"]),
        // What outbound HTTP shares: the URLSession setup and libcurl's whole-second timeout workaround.
        .target(name: "ScimHTTPClient"),
        // The HTTP surface: /metrics, /healthz, /readyz.
        .target(name: "ScimHTTP", dependencies: [
            "ScimCore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // Wiring: configuration, the ingest pipeline, services, the demo simulator.
        .target(name: "ScimApp", dependencies: [
            "ScimCore", "ScimStore", "ScimSources", "ScimHTTP", "ScimNotifiers",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        .executableTarget(name: "scimwatch", dependencies: [
            "ScimApp", "ScimCore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Test support: manual clock, in-memory store, temporary directories, child processes, store faults
        // (GRDB: a second connection that edits a state file or holds its write lock).
        .target(name: "ScimTesting", dependencies: [
            "ScimCore", "ScimStore", "ScimSources", "ScimApp",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ScimCoreTests", dependencies: ["ScimCore"], exclude: ["Golden"]),
        .testTarget(name: "ScimIntegrationTests", dependencies: [
            "ScimCore", "ScimStore", "ScimSources", "ScimHTTP", "ScimNotifiers", "ScimApp", "ScimTesting",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ]
)
