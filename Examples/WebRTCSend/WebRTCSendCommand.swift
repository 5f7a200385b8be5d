import ArgumentParser
import CodecBridge
import ExampleSupport
import Foundation
import Logging
import SignalingCore
import WebRTC

/// `webrtc-send`: joins a room as the sender and streams VP8 video to the
/// receiver (a browser's receiver page or `webrtc-recv`).
@main
struct WebRTCSendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webrtc-send",
        abstract: "Streams live VP8 video to a WebRTC receiver through a signalling server."
    )

    @Option(help: "The signalling server's WebSocket URL, e.g. ws://127.0.0.1:8080/.")
    var signal: String

    @Option(help: "The room to join.")
    var room: String?

    @Option(help: "What to send: testsrc (a moving test pattern with a frame counter) or a .y4m file (looped).")
    var video = "testsrc"

    @Option(help: "Frame size for testsrc, WIDTHxHEIGHT.")
    var size = "640x480"

    @Option(help: "Frames per second.")
    var fps = 30

    @Option(help: "Target bitrate, e.g. 1000k, 2M or 800000.")
    var bitrate = "1000k"

    @Option(help: "Seconds to stream once connected; 0 streams until interrupted.")
    var duration: Double = 0

    @Option(help: "The local address for media (ICE host candidate); 0.0.0.0 uses every interface.")
    var host = "127.0.0.1"

    @Flag(help: "Print one JSON object per line on stdout: registered, connected, summary.")
    var json = false

    func validate() throws {
        guard Self.parseSize(size) != nil else { throw ValidationError("--size must look like 640x480") }
        guard Self.parseBitrate(bitrate) != nil else { throw ValidationError("--bitrate must look like 1000k, 2M or 800000") }
        guard (1...120).contains(fps) else { throw ValidationError("--fps must be 1...120") }
        guard duration >= 0 else { throw ValidationError("--duration must not be negative") }
    }

    static func parseSize(_ text: String) -> (Int, Int)? {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]),
            (16...4096).contains(width), (16...4096).contains(height)
        else { return nil }
        return (width, height)
    }

    static func parseBitrate(_ text: String) -> Int? {
        let lower = text.lowercased()
        let (digits, scale) =
            if lower.hasSuffix("k") { (lower.dropLast(), 1000) } else if lower.hasSuffix("m") { (lower.dropLast(), 1_000_000) } else { (lower[...], 1) }
        guard let value = Double(digits), value > 0 else { return nil }
        let bits = Int(value * Double(scale))
        return (10_000...50_000_000).contains(bits) ? bits : nil
    }

    func run() async throws {
        var logger = Logger(label: "webrtc-send")
        logger.logLevel = .warning
        let output = ProgramOutput(json: json)
        let (width, height) = try makeSource().size

        let client = try await SignalingClient.connect(to: signal, room: room, logger: logger)
        let roomName = try await client.register(as: .sender)
        output.event("registered", ["role": "sender", "room": roomName])
        output.note("registered as the sender in room \(roomName)")

        let connection = try await PeerConnection.make(
            configuration: PeerConnectionConfiguration(bindHost: host, receivesVideo: false, logger: logger))
        let track = try await connection.addVideoTrack(
            VP8Encoder.Configuration(width: width, height: height, frameRate: fps, bitrate: Self.parseBitrate(bitrate)!))
        let offer = try await connection.createOffer()
        try await connection.setLocalDescription(offer)
        try await client.send(SignalingBridge.message(for: offer))

        let session = SendSession(connection: connection, client: client, output: output)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await session.relaySignalling() }
            group.addTask { await session.relayEvents() }
            group.addTask { await Interruption.wait() }
            let makeSource = self.makeSource
            group.addTask {
                try await session.waitUntilConnected()
                var source = try makeSource()
                try await session.stream(track: track, source: &source, fps: fps, duration: duration)
            }
            // Streaming ends the program; so do a failure or the receiver leaving.
            try await group.next()
            group.cancelAll()
        }
        let statistics = await connection.statistics
        output.note("")
        output.event("summary", [
            "framesSent": statistics.framesSent, "packetsSent": statistics.packetsSent, "bytesSent": statistics.bytesSent,
            "keyFramesSent": statistics.keyFramesSent, "keyFrameRequests": statistics.keyFrameRequestsReceived,
            "connectedAfterMs": await session.connectedAfterMilliseconds ?? -1,
        ])
        await connection.close()
        await client.close()
        if await session.failure != nil { throw ExitCode(1) }
    }

    /// Opens the frame source; each call starts a fresh one.
    var makeSource: @Sendable () throws -> FrameSource {
        let (video, size, fps) = (self.video, Self.parseSize(self.size)!, self.fps)
        return {
            if video == "testsrc" {
                return .pattern(try TestPatternSource(width: size.0, height: size.1, frameRate: fps))
            }
            return .file(try Y4MReader(path: video, loops: true))
        }
    }
}

/// Where frames come from.
enum FrameSource {
    case pattern(TestPatternSource)
    case file(Y4MReader)

    var size: (Int, Int) {
        switch self {
        case .pattern(let source): (source.width, source.height)
        case .file(let reader): (reader.header.width, reader.header.height)
        }
    }

    mutating func next() throws -> I420Frame? {
        switch self {
        case .pattern(var source):
            let frame = source.nextFrame()
            self = .pattern(source)
            return frame
        case .file(let reader):
            return try reader.nextFrame()
        }
    }
}
