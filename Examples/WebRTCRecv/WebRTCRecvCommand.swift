import ArgumentParser
import CodecBridge
import ExampleSupport
import Foundation
import Logging
import SignalingCore
import WebRTC

/// `webrtc-recv`: joins a room as the receiver, answers the sender's offer,
/// decodes the VP8 video and saves it.
@main
struct WebRTCRecvCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webrtc-recv",
        abstract: "Receives live VP8 video from a WebRTC sender through a signalling server and saves it."
    )

    @Option(help: "The signalling server's WebSocket URL, e.g. ws://127.0.0.1:8080/.")
    var signal: String

    @Option(help: "The room to join.")
    var room: String?

    @Option(help: "Exit (status 0) once this many frames are decoded; 0 runs until the timeout or the sender leaves.")
    var frames = 300

    @Option(help: "Give up after this many seconds (exit status 1) unless --frames is reached first.")
    var timeout: Double = 60

    @Option(help: "Where to save video.ivf (the received VP8) and, with --y4m, video.y4m (decoded).")
    var output = "received"

    @Flag(help: "Also write the decoded frames to DIR/video.y4m.")
    var y4m = false

    @Option(help: "The local address for media (ICE host candidate); 0.0.0.0 uses every interface.")
    var host = "127.0.0.1"

    @Flag(help: "Print one JSON object per line on stdout: registered, connected, summary.")
    var json = false

    func validate() throws {
        guard frames >= 0 else { throw ValidationError("--frames must not be negative") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        var logger = Logger(label: "webrtc-recv")
        logger.logLevel = .warning
        let out = ProgramOutput(json: json)
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)

        let client = try await SignalingClient.connect(to: signal, room: room, logger: logger)
        let roomName = try await client.register(as: .receiver)
        out.event("registered", ["role": "receiver", "room": roomName])
        out.note("registered as the receiver in room \(roomName)")

        let connection = try await PeerConnection.make(
            configuration: PeerConnectionConfiguration(bindHost: host, receivesVideo: true, logger: logger))
        let session = ReceiveSession(connection: connection, client: client, output: out)
        let recorder = Recorder(directory: output, writesY4M: y4m, output: out)
        let wanted = frames
        let outcome: Outcome = try await withThrowingTaskGroup(of: Outcome.self) { group in
            group.addTask { try await session.relaySignalling() }
            group.addTask { await session.relayEvents() }
            group.addTask { try await recorder.record(connection.remoteVideoTrack!.frames, until: wanted, connection: connection) }
            group.addTask {
                try await Task.sleep(for: .seconds(timeout))
                return .timedOut
            }
            group.addTask {
                await Interruption.wait()
                return .interrupted
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
        let statistics = await connection.statistics
        let recorded = await recorder.finish()
        out.note("")
        out.event("summary", [
            "outcome": outcome.rawValue, "framesDecoded": recorded.frames, "packetsReceived": statistics.packetsReceived,
            "bytesReceived": statistics.bytesReceived, "packetsLost": statistics.packetsLost,
            "keyFrameRequests": statistics.keyFrameRequestsSent, "firstFrameAfterMs": recorded.firstFrameAfterMs ?? -1,
            "connectedAfterMs": await session.connectedAfterMilliseconds ?? -1, "ivf": recorded.ivfPath ?? "",
        ])
        if let path = recorded.ivfPath {
            out.note("saved \(recorded.frames) frames to \(path)" + (y4m ? " and \(output)/video.y4m" : ""))
        }
        await connection.close()
        await client.close()
        guard outcome == .enoughFrames || (wanted == 0 && outcome != .failed && recorded.frames > 0) else {
            out.note("webrtc-recv: \(outcome.rawValue) after \(recorded.frames) decoded frames")
            throw ExitCode(1)
        }
    }
}

/// Why `webrtc-recv` stopped.
enum Outcome: String, Sendable {
    case enoughFrames = "frames-reached"
    case timedOut = "timeout"
    case senderLeft = "sender-left"
    case failed = "failed"
    case streamEnded = "stream-ended"
    case interrupted = "interrupted"
}
