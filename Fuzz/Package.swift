// swift-tools-version:6.2
// libFuzzer targets for the decoders that read untrusted bytes. Kept out of the main package so
// a normal build never needs the fuzzer runtime; `scripts/fuzz` builds and runs them.
import PackageDescription

let fuzzerSettings: [SwiftSetting] = [
    .unsafeFlags(["-parse-as-library", "-sanitize=fuzzer,address"])
]
// lld: gold crashes on the toolchain's DWARF 5 when reporting link errors.
let fuzzerLinking: [LinkerSetting] = [
    .unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"])
]

let package = Package(
    name: "paynotify-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "paynotify", path: "..")
    ],
    targets: [
        .target(name: "FuzzSupport", swiftSettings: fuzzerSettings),
        .executableTarget(
            name: "FuzzEngineIO",
            dependencies: ["FuzzSupport", .product(name: "EngineIO", package: "paynotify")],
            swiftSettings: fuzzerSettings,
            linkerSettings: fuzzerLinking
        ),
        .executableTarget(
            name: "FuzzSocketIO",
            dependencies: ["FuzzSupport", .product(name: "SocketIO", package: "paynotify")],
            swiftSettings: fuzzerSettings,
            linkerSettings: fuzzerLinking
        ),
        .executableTarget(
            name: "FuzzWebhooks",
            dependencies: ["FuzzSupport", .product(name: "Payments", package: "paynotify")],
            swiftSettings: fuzzerSettings,
            linkerSettings: fuzzerLinking
        ),
    ]
)
