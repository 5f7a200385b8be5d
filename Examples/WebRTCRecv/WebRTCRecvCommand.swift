import ArgumentParser
import CodecBridge
import ExampleSupport
import Foundation
import Logging
import SignalingCore
import WebRTC
import WebRTCSession

/// `webrtc-recv`: joins a room as the receiver, answers the sender's offers,
/// decodes every track (VP8 video, Opus audio) and saves them.
@main
struct WebRTCRecvCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webrtc-recv",
        abstract: "Receives live video and audio from a WebRTC sender through a signalling server and saves them."
    )

    @Option(help: "The signalling server's WebSocket URL, e.g. ws://127.0.0.1:8080/.")
    var signal: String

    @Option(help: "The room to join.")
    var room: String?

    @Option(help: "Exit (status 0) once this many video frames are decoded (and --audio-frames audio frames); 0 wants none.")
    var frames = 300

    @Option(name: .customLong("audio-frames"), help: "Exit (status 0) once this many audio frames are decoded (and --frames video frames); 0 wants none.")
    var audioFrames = 0

    @Option(help: "Give up after this many seconds (exit status 1) unless the wanted frames come first.")
    var timeout: Double = 60

    @Option(help: "Where to save video.ivf (the received VP8), audio.wav (decoded audio), snapshot.png and, with --y4m, video.y4m.")
    var output = "received"

    @Flag(help: "Also write the decoded frames to DIR/video.y4m.")
    var y4m = false

    @Option(help: "The local address for media (ICE host candidate); 0.0.0.0 uses every interface.")
    var host = "127.0.0.1"

    @OptionGroup var ice: ICEOptions
    @OptionGroup var srtp: SRTPOptions

    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "error"

    @Flag(help: "Print one JSON object per line on stdout: registered, connected, track, stats (every second), error, summary.")
    var json = false

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard frames >= 0, audioFrames >= 0 else { throw ValidationError("--frames and --audio-frames must not be negative") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        var logger = Logger(label: "webrtc-recv")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .error
        let out = ProgramOutput(json: json)
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)

        let client = try await SignalingClient.connect(
            to: signal, room: room, tlsConfiguration: try ice.tlsConfiguration(forIPAddress: WebSocketSignalingChannel.hostIsIPAddress(in: signal)),
            logger: logger)
        let roomName = try await client.register(as: .receiver)
        out.event("registered", ["role": "receiver", "room": roomName])
        out.note("registered as the receiver in room \(roomName)")

        let servers = try ice.servers(handedOut: await client.iceServers)
        var configuration = PeerConnectionConfiguration(
            bindHost: host, iceServers: servers.servers, iceTransportPolicy: servers.policy, logger: logger)
        configuration.turnTLS = try ice.tlsConfiguration()
        configuration.srtpBackend = srtp.backend
        let connection = try await PeerConnection.make(configuration: configuration)
        let session = SignalingSession(role: .receiver, connection: connection, client: client, logger: logger)
        let recorder = Recorder(
            directory: output, writesY4M: y4m, wantedVideoFrames: frames, wantedAudioFrames: audioFrames, output: out)
        let wantsAnything = frames > 0 || audioFrames > 0
        let connected = ConnectedTime()
        let outcome: Outcome = await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                switch await session.run() {
                case .peerLeft:
                    out.note("the sender left")
                    return .senderLeft
                case .failed: return .failed
                case .signallingClosed, .closed: return .failed
                }
            }
            group.addTask {
                await withTaskGroup(of: Void.self) { tracks in
                    for await event in session.events {
                        switch event {
                        case .connected:
                            await connected.set(out.elapsedMilliseconds)
                            out.event("connected", ["afterMs": out.elapsedMilliseconds])
                            out.note("connected")
                        case .track(let track):
                            out.event("track", ["kind": track.kind.rawValue, "mid": track.mid, "codec": track.info.codec.name])
                            out.note("receiving \(track.kind) (\(track.info.codec.name)) on mid \(track.mid)")
                            tracks.addTask { await recorder.record(track) }
                        case .trackEnded(let mid):
                            out.event("track-ended", ["mid": mid])
                        case .error(let message):
                            out.note("error: \(message)")
                            out.event("error", ["message": message])
                        case .failed:
                            out.note("the connection failed (ICE or DTLS)")
                        case .peerLeftBeforeCalling:
                            out.note("the sender left before calling; waiting for the next one")
                        case .stateChanged(let state):
                            out.event("state", ["state": state.rawValue, "afterMs": out.elapsedMilliseconds])
                        case .iceRestarted:
                            out.event("ice-restart", ["afterMs": out.elapsedMilliseconds])
                        case .consentExpired:
                            out.event("consent-expired", ["afterMs": out.elapsedMilliseconds])
                            out.note("the sender stopped answering consent checks: media stopped")
                        }
                    }
                    tracks.cancelAll()
                }
                return .streamEnded
            }
            if wantsAnything {
                group.addTask {
                    await recorder.waitUntilDone()
                    return .enoughFrames
                }
            }
            group.addTask {
                await Self.showStatistics(of: connection, recorder: recorder, output: out)
                return .interrupted
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))
                return Task.isCancelled ? .interrupted : .timedOut
            }
            group.addTask {
                await Interruption.wait()
                return .interrupted
            }
            let first = await group.next() ?? .failed
            group.cancelAll()
            return first
        }
        let statistics = await connection.statistics
        let pair = await connection.selectedCandidatePair
        await connection.close()
        await client.close()
        let saved = await recorder.finish()
        let videoFrames = await recorder.videoFrames
        let audioFramesDecoded = await recorder.audioFrames
        let offset = statistics.audioVideoOffset.map { Self.milliseconds($0) }
        out.note("")
        out.event("summary", [
            "outcome": outcome.rawValue, "framesDecoded": videoFrames, "audioFramesDecoded": audioFramesDecoded,
            "packetsReceived": statistics.packetsReceived, "bytesReceived": statistics.bytesReceived,
            "packetsLost": statistics.packetsLost, "keyFrameRequests": statistics.keyFrameRequestsSent,
            "concealedSamples": statistics.inbound(.audio)?.concealedSamples ?? 0,
            "freezeCount": statistics.inbound(.video)?.freezeCount ?? 0,
            "totalFreezesMs": Self.milliseconds(statistics.inbound(.video)?.totalFreezesDuration ?? .zero),
            "nacksSent": statistics.nacksSent, "packetsRecovered": statistics.packetsRecovered,
            "retransmittedPacketsReceived": statistics.inbound(.video)?.retransmittedPacketsReceived ?? 0,
            "jitterBufferDelayMs": Self.milliseconds(Self.meanJitterBufferDelay(statistics.inbound(.video))),
            "audioVideoOffsetMs": offset ?? -1_000_000,
            "audioJitterBufferDelayMs": Self.milliseconds(statistics.inbound(.audio)?.audioPlayout?.meanJitterBufferDelay ?? .zero),
            "audioPacketsRecoveredWithFEC": statistics.inbound(.audio)?.audioPlayout?.packetsRecoveredWithFEC ?? 0,
            "firstFrameAfterMs": await recorder.firstFrameAfterMs ?? -1, "connectedAfterMs": await connected.value ?? -1,
            "ivf": saved.first { $0.hasSuffix(".ivf") } ?? "", "wav": saved.first { $0.hasSuffix(".wav") } ?? "",
        ].merging(ICEOptions.fields(of: pair)) { first, _ in first })
        if let pair { out.note("selected candidate pair: \(pair)") }
        out.note("decoded \(videoFrames) video and \(audioFramesDecoded) audio frames"
            + (offset.map { "; audio/video offset \($0) ms" } ?? ""))
        if !saved.isEmpty { out.note("saved " + saved.joined(separator: ", ")) }
        let succeeded = outcome == .enoughFrames || (!wantsAnything && outcome != .failed && videoFrames + audioFramesDecoded > 0)
        guard succeeded else {
            out.note("webrtc-recv: \(outcome.rawValue) after \(videoFrames) video and \(audioFramesDecoded) audio frames")
            throw ExitCode(1)
        }
    }

    /// The mean time a video frame spent in the jitter buffer.
    static func meanJitterBufferDelay(_ inbound: InboundStreamStatistics?) -> Duration {
        guard let inbound, inbound.jitterBufferEmittedCount > 0 else { return .zero }
        return inbound.jitterBufferDelay / inbound.jitterBufferEmittedCount
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    /// A live statistics line on stderr, once a second, until cancelled.
    static func showStatistics(of connection: PeerConnection, recorder: Recorder, output: ProgramOutput) async {
        var meter = RateMeter()
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            let statistics = await connection.statistics
            let frames = await recorder.videoFrames
            let rates = meter.sample(frames: frames, bytes: statistics.bytesReceived)
            output.event("stats", [
                "bytesReceived": statistics.bytesReceived, "framesDecoded": frames, "packetsLost": statistics.packetsLost,
                "kbps": rates.kbps, "freezeCount": statistics.inbound(.video)?.freezeCount ?? 0,
                "totalFreezesMs": milliseconds(statistics.inbound(.video)?.totalFreezesDuration ?? .zero),
                "feedbackSent": statistics.bandwidth?.feedbackSent ?? 0,
                "srtp": statistics.srtpBackend?.rawValue ?? "", "srtpProfile": statistics.srtpProfile?.name ?? "",
            ])
            output.status(
                "\(await connection.connectionState.rawValue) \(Int(rates.fps.rounded())) fps \(rates.kbps) kbit/s"
                    + " lost \(statistics.packetsLost) key-frame requests \(statistics.keyFrameRequestsSent)"
                    + " video \(frames) audio \(await recorder.audioFrames)")
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
