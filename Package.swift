// swift-tools-version:6.2
import PackageDescription

/// Settings every target of ours shares: Swift 6 mode (strict concurrency) and no warnings.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "swift-webrtc",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "WebRTCTypes", targets: ["WebRTCTypes"]),
        .library(name: "SignalingCore", targets: ["SignalingCore"]),
        .library(name: "SignalingServer", targets: ["SignalingServer"]),
        .library(name: "SDPKit", targets: ["SDPKit"]),
        .library(name: "ICEKit", targets: ["ICEKit"]),
        .library(name: "SecureTransport", targets: ["SecureTransport"]),
        .library(name: "RTPKit", targets: ["RTPKit"]),
        .library(name: "CodecBridge", targets: ["CodecBridge"]),
        .library(name: "CongestionControl", targets: ["CongestionControl"]),
        .library(name: "WebRTC", targets: ["WebRTC"]),
        .library(name: "WebRTCSession", targets: ["WebRTCSession"]),
        .executable(name: "signal-server", targets: ["SignalServer"]),
        .executable(name: "webrtc-send", targets: ["WebRTCSend"]),
        .executable(name: "webrtc-recv", targets: ["WebRTCRecv"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.20.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
    ],
    targets: [
        // MARK: C bridges over system libraries (found with pkg-config, nothing vendored)
        .systemLibrary(
            name: "COpenSSL",
            path: "Sources/CBridges/COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .systemLibrary(
            name: "CSRTP",
            path: "Sources/CBridges/CSRTP",
            pkgConfig: "libsrtp2",
            providers: [.apt(["libsrtp2-dev"]), .brew(["srtp"])]
        ),
        .systemLibrary(
            name: "COpus",
            path: "Sources/CBridges/COpus",
            pkgConfig: "opus",
            providers: [.apt(["libopus-dev"]), .brew(["opus"])]
        ),
        .systemLibrary(
            name: "CVPX",
            path: "Sources/CBridges/CVPX",
            pkgConfig: "vpx",
            providers: [.apt(["libvpx-dev"]), .brew(["libvpx"])]
        ),

        // MARK: The vocabulary signalling and the PeerConnection share
        .target(
            name: "WebRTCTypes",
            swiftSettings: strictSettings
        ),

        // MARK: Signalling
        .target(
            name: "SignalingCore",
            dependencies: [
                "WebRTCTypes",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SignalingServer",
            dependencies: [
                "SignalingCore", "COpenSSL",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: Media protocol modules (each stands alone)
        .target(
            name: "SDPKit",
            swiftSettings: strictSettings
        ),
        .target(
            name: "ICEKit",
            dependencies: [
                "COpenSSL",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SecureTransport",
            dependencies: [
                "COpenSSL",
                "CSRTP",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RTPKit",
            swiftSettings: strictSettings
        ),
        .target(
            name: "CodecBridge",
            dependencies: ["CVPX", "COpus"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CongestionControl",
            swiftSettings: strictSettings
        ),

        // MARK: The PeerConnection that composes them
        .target(
            name: "WebRTC",
            dependencies: [
                "WebRTCTypes", "SDPKit", "ICEKit", "SecureTransport", "RTPKit", "CodecBridge", "CongestionControl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: The seed's sender and receiver as a library
        .target(
            name: "WebRTCSession",
            dependencies: [
                "WebRTC", "SignalingCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: Example apps
        .executableTarget(
            name: "SignalServer",
            dependencies: [
                "SignalingServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/SignalServer",
            swiftSettings: strictSettings
        ),

        .target(
            name: "ExampleSupport",
            dependencies: [
                "WebRTC", "SignalingCore", "CodecBridge", "SecureTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/Support",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "WebRTCSend",
            dependencies: [
                "ExampleSupport", "WebRTC", "WebRTCSession", "SignalingCore", "CodecBridge",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/WebRTCSend",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "WebRTCRecv",
            dependencies: [
                "ExampleSupport", "WebRTC", "WebRTCSession", "SignalingCore", "CodecBridge",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/WebRTCRecv",
            swiftSettings: strictSettings
        ),

        // MARK: Tests
        .target(
            name: "TestSupport",
            dependencies: [
                "SignalingServer",
                "SignalingCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CBridgeTests",
            dependencies: ["COpenSSL", "CSRTP", "COpus", "CVPX"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SDPKitTests",
            dependencies: ["SDPKit"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ICEKitTests",
            dependencies: ["ICEKit", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SecureTransportTests",
            dependencies: ["SecureTransport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RTPKitTests",
            dependencies: ["RTPKit"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CodecBridgeTests",
            dependencies: ["CodecBridge"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CongestionControlTests",
            dependencies: ["CongestionControl"],
            swiftSettings: strictSettings
        ),
        // gettimeofday() on virtual time for whole-call simulations (OpenSSL's DTLS timer reads it).
        .target(
            name: "CVirtualWallClock",
            path: "Tests/CVirtualWallClock"
        ),
        .testTarget(
            name: "WebRTCTests",
            dependencies: [
                "WebRTC", "WebRTCSession", "SignalingCore", "CodecBridge", "ICEKit", "TestSupport", "CVirtualWallClock",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SignalingCoreTests",
            dependencies: ["SignalingCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SignalingServerTests",
            dependencies: [
                "TestSupport", "ICEKit",
                "SignalingServer",
                "SignalingCore",
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "InteropTests",
            dependencies: [
                "TestSupport",
                "CodecBridge",
                "SignalingServer",
                "SignalingCore",
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
