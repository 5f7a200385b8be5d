// swift-tools-version:6.2
import Foundation
import PackageDescription

// libFuzzer targets for every parser and state machine that network input
// reaches, a package of its own so that the library never builds with the
// fuzzer's instrumentation. Build and run them with `scripts/fuzz` (see
// README.md): the flags that turn on libFuzzer and the sanitizers come from the
// command line, not from here.

/// The root package is a path dependency named after its folder.
let rootPackage = URL(fileURLWithPath: Context.packageDirectory)
    .deletingLastPathComponent().standardizedFileURL.lastPathComponent.lowercased()

/// One libFuzzer target: an executable whose `main.swift` hands its body to
/// `FuzzDriver.run`.
func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: rootPackage) },
        path: "Sources/\(name)"
    )
}

let package = Package(
    name: "swift-webrtc-fuzzing",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        // Reading a fuzzer's input as a script of steps.
        .target(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"], path: "Sources/FuzzSupport"),
        fuzzTarget("FuzzSTUN", ["ICEKit"]),
        fuzzTarget("FuzzSDP", ["SDPKit"]),
        fuzzTarget("FuzzICECandidate", ["SDPKit"]),
        fuzzTarget("FuzzRTP", ["RTPKit"]),
        fuzzTarget("FuzzRTCP", ["RTPKit"]),
        fuzzTarget("FuzzVP8Depacketizer", ["RTPKit"]),
        fuzzTarget("FuzzOpusDepacketizer", ["RTPKit"]),
        fuzzTarget("FuzzAudioJitterBuffer", ["RTPKit"]),
        fuzzTarget("FuzzSignalingJSON", ["SignalingCore"]),
        fuzzTarget("FuzzCoreReceive", ["WebRTC", "ICEKit", "SecureTransport", "RTPKit"]),
    ]
)
