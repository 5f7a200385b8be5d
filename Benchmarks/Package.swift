// swift-tools-version: 6.1
import Foundation
import PackageDescription

// The benchmarks of swift-webrtc, a package of their own so that the library
// does not depend on package-benchmark. Run from this directory with
// `swift package --disable-sandbox benchmark` (see README.md).

/// The root package is a path dependency; SwiftPM names it after its folder
/// (`main`, `swift-webrtc`, ... depending on the clone), so read that name here.
let rootPackage = URL(fileURLWithPath: Context.packageDirectory)
    .deletingLastPathComponent().standardizedFileURL.lastPathComponent.lowercased()

let benchmarkSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    // `treatAllWarnings(as:)` needs tools 6.2; this package stays on 6.1 for package-benchmark.
    .unsafeFlags(["-warnings-as-errors"]),
]

let package = Package(
    name: "swift-webrtc-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        // MallocInterposer gives the malloc counts; RuntimeInterposer (ARC counts on
        // Linux with Swift 6.3) is left off.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        // libsrtp2 called directly, for the raw-C baselines.
        .systemLibrary(
            name: "CSRTPBench",
            path: "Sources/CSRTPBench",
            pkgConfig: "libsrtp2",
            providers: [.apt(["libsrtp2-dev"]), .brew(["srtp"])]
        ),
        // The bare OpenSSL calls of one SRTP packet, in C: the OpenSSL backend's floor.
        .target(
            name: "CEVPBaseline",
            path: "Sources/CEVPBaseline",
            cSettings: [.unsafeFlags(["-O2"])],
            linkerSettings: [.linkedLibrary("crypto")]
        ),
        // Test frames, keys and the raw libsrtp2 contexts the benchmarks share.
        .target(
            name: "BenchmarkSupport",
            dependencies: ["CSRTPBench"],
            path: "Sources/BenchmarkSupport",
            swiftSettings: benchmarkSettings
        ),
        .executableTarget(
            name: "Packetization",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RTPKit", package: rootPackage),
            ],
            path: "Benchmarks/Packetization",
            swiftSettings: benchmarkSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Encryption",
            dependencies: [
                "BenchmarkSupport",
                "CEVPBaseline",
                "CSRTPBench",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SecureTransport", package: rootPackage),
            ],
            path: "Benchmarks/Encryption",
            swiftSettings: benchmarkSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "MediaPath",
            dependencies: [
                "BenchmarkSupport",
                "CSRTPBench",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RTPKit", package: rootPackage),
                .product(name: "SecureTransport", package: rootPackage),
            ],
            path: "Benchmarks/MediaPath",
            swiftSettings: benchmarkSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "CorePath",
            dependencies: [
                "BenchmarkSupport",
                "CSRTPBench",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "WebRTC", package: rootPackage),
                .product(name: "ICEKit", package: rootPackage),
                .product(name: "SecureTransport", package: rootPackage),
                .product(name: "CongestionControl", package: rootPackage),
            ],
            path: "Benchmarks/CorePath",
            swiftSettings: benchmarkSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "CallLatency",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "WebRTC", package: rootPackage),
                .product(name: "CodecBridge", package: rootPackage),
                .product(name: "SecureTransport", package: rootPackage),
            ],
            path: "Benchmarks/CallLatency",
            swiftSettings: benchmarkSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
