// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// The protocol library modules say which of their imports their public API shows (`public
// import`); every other import stays an implementation detail their users never see, as in
// Hummingbird. (The app modules do not opt in.)
let librarySwiftSettings: [SwiftSetting] = swiftSettings + [
    .enableUpcomingFeature("InternalImportsByDefault")
]

let package = Package(
    name: "paynotify",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "EngineIO", targets: ["EngineIO"]),
        .library(name: "SocketIO", targets: ["SocketIO"]),
        .library(name: "SocketIOHummingbird", targets: ["SocketIOHummingbird"]),
        .library(name: "SocketIOTesting", targets: ["SocketIOTesting"]),
        .library(name: "Payments", targets: ["Payments"]),
        .library(name: "Redis", targets: ["Redis"]),
        .library(name: "SocketIORedisAdapter", targets: ["SocketIORedisAdapter"]),
        .executable(name: "paynotify", targets: ["PayNotifyCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // zlib, for permessage-deflate and compressed polling responses (zlib1g-dev).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "EngineIO",
            dependencies: [
                "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                // SHA-1 of the websocket handshake's key.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: librarySwiftSettings
        ),
        // JSON read straight from UTF-8 bytes into a caller's value type: Socket.IO's packets and
        // the payments domain's webhook bodies share one strict parser.
        .target(
            name: "JSONParsing",
            swiftSettings: librarySwiftSettings
        ),
        .target(
            name: "SocketIO",
            dependencies: [
                "EngineIO",
                "JSONParsing",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: librarySwiftSettings
        ),
        // The Hummingbird integration: mounts Socket.IO (or raw Engine.IO endpoints) on a
        // Hummingbird server beside its routes; the protocol modules know no HTTP framework.
        .target(
            name: "SocketIOHummingbird",
            dependencies: [
                "EngineIO",
                "SocketIO",
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: librarySwiftSettings
        ),
        // A Socket.IO client for users' tests, in-process (as HummingbirdTesting is for
        // Hummingbird): connect, emit, await events, acknowledgements and disconnections.
        .target(
            name: "SocketIOTesting",
            dependencies: [
                "EngineIO",
                "SocketIO",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // MessagePack as notepack.io writes it: the encoding of Node's redis adapter and emitter.
        .target(
            name: "MessagePack",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: librarySwiftSettings
        ),
        .target(
            name: "SocketIORedisAdapter",
            dependencies: [
                "SocketIO",
                "EngineIO",
                "Redis",
                "MessagePack",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: librarySwiftSettings
        ),
        .target(
            name: "SocketIOConformance",
            dependencies: [
                "EngineIO",
                "SocketIO",
                "SocketIOHummingbird",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Redis",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: librarySwiftSettings
        ),
        .target(
            name: "Payments",
            dependencies: [
                "JSONParsing",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The embedded ledger, on SQLite through GRDB: one node's store, as RedisLedger is a cluster's.
        .target(
            name: "SQLiteLedger",
            dependencies: [
                "Payments",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RedisLedger",
            dependencies: [
                "Payments",
                "Redis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PayNotifyServer",
            dependencies: [
                "EngineIO",
                "SocketIO",
                "SocketIOHummingbird",
                "Payments",
                "Redis",
                "RedisLedger",
                "SQLiteLedger",
                "SocketIORedisAdapter",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The browser client and the demo page are compiled into the binary: it serves them
            // wherever it runs from, with no resource folder to ship beside it.
            resources: [
                .embedInCode("Web/paynotify.js"),
                .embedInCode("Web/demo.html"),
                .embedInCode("Web/demo.css"),
                .embedInCode("Web/demo.js"),
                .embedInCode("Web/openapi.json"),
                .embedInCode("Web/admin.html"),
                .embedInCode("Web/admin.css"),
                .embedInCode("Web/admin.js"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "CBenchReader"),
        .target(
            name: "PayNotifyBench",
            dependencies: [
                "CBenchReader",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "PayNotifyCLI",
            dependencies: [
                "PayNotifyServer",
                "PayNotifyBench",
                "Payments",
                "SocketIOConformance",
                "Redis",
                "SocketIORedisAdapter",
                .product(name: "Hummingbird", package: "hummingbird"),
                "EngineIO",
                "SocketIO",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EngineIOTests",
            dependencies: [
                "EngineIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MessagePackTests",
            dependencies: [
                "MessagePack",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RedisTests",
            dependencies: [
                "SocketIOTesting",
                "Redis",
                "SocketIORedisAdapter",
                "MessagePack",
                .product(name: "OrderedCollections", package: "swift-collections"),
                "RedisLedger",
                "Payments",
                "SocketIO",
                "EngineIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                // The tests that mix Node and Swift nodes drive the Node node over HTTP.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PaymentsTests",
            // SQLiteLedger: the ledger rules are checked on the embedded store, with the fixtures
            // the other tests use. GRDB: the outbox atomicity test fails the outbox's insert with
            // a trigger. ServiceLifecycle: the ledger's shutdown is run through a service group.
            dependencies: [
                "Payments", "SQLiteLedger", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PayNotifyServerTests",
            // SQLiteLedger: the processor, subscriptions and webhook controller run on a real
            // ledger; EngineIO and HTTPTypes drive a page through the polling transport, and
            // Hummingbird makes the webhook's requests, all without a network socket.
            dependencies: [
                "PayNotifyServer",
                "Payments",
                "SQLiteLedger",
                "SocketIO",
                "EngineIO",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SocketIOHummingbirdTests",
            dependencies: [
                "SocketIOHummingbird",
                "SocketIO",
                "EngineIO",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SocketIOTestingTests",
            dependencies: [
                "SocketIOTesting",
                "SocketIO",
                "EngineIO",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SocketIOTests",
            dependencies: [
                "SocketIOTesting",
                "SocketIO",
                "JSONParsing",
                "EngineIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
