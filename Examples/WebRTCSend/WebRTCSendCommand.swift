import ArgumentParser
import CodecBridge
import ExampleSupport
import Foundation
import Logging
import SignalingCore
import WebRTC
import WebRTCSession

/// `webrtc-send`: joins a room as the sender and streams VP8 video and Opus
/// audio to the receiver (a browser's receiver page or `webrtc-recv`).
@main
struct WebRTCSendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webrtc-send",
        abstract: "Streams live VP8 video and Opus audio to a WebRTC receiver through a signalling server."
    )

    @Option(help: "The signalling server's WebSocket URL, e.g. ws://127.0.0.1:8080/.")
    var signal: String

    @Option(help: "The room to join.")
    var room: String?

    @Option(help: "Video to send: testsrc (a moving test pattern with a frame counter), a .y4m file (looped), - (Y4M on standard input) or none.")
    var video = "testsrc"

    @Option(help: "Audio to send: tone (440 Hz), a .wav file (48 kHz, 16-bit, looped) or none.")
    var audio = "tone"

    @Option(help: "Frame size for testsrc, WIDTHxHEIGHT.")
    var size = "640x480"

    @Option(help: "Frames per second.")
    var fps = 30

    @Option(help: "Video bitrate, e.g. 1000k, 2M or 800000: the most the encoder uses; the bandwidth estimate may set it lower.")
    var bitrate = "1000k"

    @Option(name: .customLong("audio-bitrate"), help: "Opus bitrate, e.g. 32k.")
    var audioBitrate = "32k"

    @Option(help: "Seconds to stream once connected; 0 streams until interrupted.")
    var duration: Double = 0

    @Option(help: "The local address for media (ICE host candidate); 0.0.0.0 uses every interface.")
    var host = "127.0.0.1"

    @OptionGroup var ice: ICEOptions
    @OptionGroup var srtp: SRTPOptions

    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "error"

    @Flag(help: "Print one JSON object per line on stdout: registered, connected, stats (every second), error, summary.")
    var json = false

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard Self.parseSize(size) != nil else { throw ValidationError("--size must look like 640x480") }
        guard Self.parseBitrate(bitrate) != nil else { throw ValidationError("--bitrate must look like 1000k, 2M or 800000") }
        guard let opus = Self.parseBitrate(audioBitrate), (6_000...510_000).contains(opus) else {
            throw ValidationError("--audio-bitrate must be 6k to 510k")
        }
        guard (1...120).contains(fps) else { throw ValidationError("--fps must be 1...120") }
        guard duration >= 0 else { throw ValidationError("--duration must not be negative") }
        guard video != "none" || audio != "none" else { throw ValidationError("--video none and --audio none leave nothing to send") }
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
        return (6_000...50_000_000).contains(bits) ? bits : nil
    }

    func run() async throws {
        var logger = Logger(label: "webrtc-send")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .error
        let output = ProgramOutput(json: json)
        // Open the sources first: a bad file is reported before anyone is called.
        let pictures: HandedOver<PictureSource>? =
            video == "none" ? nil : HandedOver(try PictureSource.open(video, size: Self.parseSize(size)!, fps: fps))
        let sounds: HandedOver<SoundSource>? = audio == "none" ? nil : HandedOver(try SoundSource.open(audio))
        let pictureSize = pictures?.with { $0.size }
        let soundChannels = sounds?.with { $0.channelCount }

        let client = try await SignalingClient.connect(
            to: signal, room: room, tlsConfiguration: try ice.tlsConfiguration(forIPAddress: WebSocketSignalingChannel.hostIsIPAddress(in: signal)),
            logger: logger)
        let roomName = try await client.register(as: .sender)
        output.event("registered", ["role": "sender", "room": roomName])
        output.note("registered as the sender in room \(roomName)")

        let servers = try ice.servers(handedOut: await client.iceServers)
        var configuration = PeerConnectionConfiguration(
            bindHost: host, iceServers: servers.servers, iceTransportPolicy: servers.policy, logger: logger)
        configuration.turnTLS = try ice.tlsConfiguration()
        configuration.srtpBackend = srtp.backend
        let connection = try await PeerConnection.make(configuration: configuration)
        let videoTrack: LocalVideoTrack?
        if let size = pictureSize {
            videoTrack = try await connection.addVideoTrack(
                VP8Encoder.Configuration(width: size.0, height: size.1, frameRate: fps, bitrate: Self.parseBitrate(bitrate)!),
                direction: .sendonly)
        } else {
            videoTrack = nil
        }
        let audioTrack: LocalAudioTrack?
        if let channels = soundChannels {
            audioTrack = try await connection.addAudioTrack(
                OpusEncoder.Configuration(channelCount: channels, bitrate: Self.parseBitrate(audioBitrate)!), direction: .sendonly)
        } else {
            audioTrack = nil
        }
        // The tracks made the connection need an offer; the session makes and sends it.
        let session = SignalingSession(role: .sender, connection: connection, client: client, logger: logger)
        let (connectedSignal, connectedContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let connectedAt = ConnectedTime()
        let failed = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                let outcome = await session.run()
                if outcome == .peerLeft { output.note("the receiver left") }
                // After a call, the receiver hanging up is a normal end.
                let wasConnected = await connectedAt.isSet
                return outcome == .failed || (outcome == .peerLeft && !wasConnected)
            }
            group.addTask {
                for await event in session.events {
                    switch event {
                    case .connected:
                        await connectedAt.set(output.elapsedMilliseconds)
                        output.event("connected", ["afterMs": output.elapsedMilliseconds])
                        output.note("connected")
                        connectedContinuation.yield()
                    case .error(let message):
                        output.note("error: \(message)")
                        output.event("error", ["message": message])
                    case .failed:
                        output.note("the connection failed (ICE or DTLS)")
                    case .peerLeftBeforeCalling:
                        output.note("the receiver left before answering; waiting for the next one")
                    case .stateChanged(let state):
                        output.event("state", ["state": state.rawValue, "afterMs": output.elapsedMilliseconds])
                    case .iceRestarted:
                        output.event("ice-restart", ["afterMs": output.elapsedMilliseconds])
                        output.note("the connection was lost: restarting ICE")
                    case .consentExpired:
                        output.event("consent-expired", ["afterMs": output.elapsedMilliseconds])
                        output.note("the receiver stopped answering consent checks: media stopped")
                    case .track, .trackEnded:
                        break
                    }
                }
                return false
            }
            group.addTask {
                await Interruption.wait()
                return false
            }
            let (video, sound) = (videoTrack, audioTrack)
            group.addTask {
                var waiter = connectedSignal.makeAsyncIterator()
                guard await waiter.next() != nil else { return false }
                await Self.stream(
                    video: video, pictures: pictures, audio: sound, sounds: sounds, fps: fps, duration: duration,
                    connection: connection, output: output)
                return false
            }
            // Streaming ends the program; so do a failure, Ctrl-C or the receiver leaving.
            let first = await group.next() ?? true
            group.cancelAll()
            return first
        }
        let statistics = await connection.statistics
        let pair = await connection.selectedCandidatePair
        output.note("")
        if let pair { output.note("selected candidate pair: \(pair)") }
        output.event("summary", [
            "framesSent": statistics.framesSent, "audioFramesSent": statistics.outbound(.audio)?.framesSent ?? 0,
            "packetsSent": statistics.packetsSent, "bytesSent": statistics.bytesSent,
            "keyFramesSent": statistics.keyFramesSent, "keyFrameRequests": statistics.keyFrameRequestsReceived,
            "connectedAfterMs": await connectedAt.value ?? -1,
        ].merging(ICEOptions.fields(of: pair)) { first, _ in first })
        await connection.close()
        await client.close()
        if failed { throw ExitCode(1) }
    }

    /// Sends pictures at `fps` and sound in 20 ms frames, each on its own
    /// clock, until `duration` seconds pass (0: forever) or the picture source ends.
    static func stream(
        video: LocalVideoTrack?, pictures: HandedOver<PictureSource>?, audio: LocalAudioTrack?, sounds: HandedOver<SoundSource>?, fps: Int,
        duration: Double, connection: PeerConnection, output: ProgramOutput
    ) async {
        let start = ContinuousClock.now
        let end: ContinuousClock.Instant? = duration > 0 ? start + .seconds(duration) : nil
        await withTaskGroup(of: Void.self) { group in
            if let video, let pictures {
                group.addTask {
                    let interval = Duration.seconds(1) / fps
                    var number = 0
                    while !Task.isCancelled, end.map({ ContinuousClock.now < $0 }) ?? true {
                        do {
                            guard var frame = try pictures.with({ try $0.next() }) else { break }
                            frame.timestamp = interval * number
                            try await video.send(frame)
                        } catch {
                            output.note("video: \(error)")
                            break
                        }
                        number += 1
                        try? await Task.sleep(until: start + interval * number)
                    }
                }
            }
            if let audio, let sounds {
                group.addTask {
                    var sent = Duration.zero
                    while !Task.isCancelled, end.map({ ContinuousClock.now < $0 }) ?? true {
                        do {
                            guard let frame = try sounds.with({ try $0.next() }) else { break }
                            try await audio.send(frame)
                            sent += frame.duration
                        } catch {
                            output.note("audio: \(error)")
                            break
                        }
                        try? await Task.sleep(until: start + sent)
                    }
                }
            }
            group.addTask {
                var meter = RateMeter()
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    let statistics = await connection.statistics
                    let rates = meter.sample(frames: statistics.framesSent, bytes: statistics.bytesSent)
                    output.event("stats", [
                        "bytesSent": statistics.bytesSent, "framesSent": statistics.framesSent, "kbps": rates.kbps,
                        "targetBitrate": Int(statistics.bandwidth?.targetBitrate ?? 0),
                        "sentBitrate": Int(statistics.bandwidth?.sentBitrate ?? 0),
                        "videoBitrate": video?.bitrate ?? 0,
                        "srtp": statistics.srtpBackend?.rawValue ?? "", "srtpProfile": statistics.srtpProfile?.name ?? "",
                    ])
                    let rtt = statistics.roundTripTime.map { " rtt \($0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000) ms" } ?? ""
                    output.status(
                        "\(await connection.connectionState.rawValue) \(String(format: "%.1f", rates.fps)) fps \(rates.kbps) kbit/s"
                            + " audio \(statistics.outbound(.audio)?.framesSent ?? 0) lost \(statistics.remotePacketsLost)"
                            + " key-frame requests \(statistics.keyFrameRequestsReceived)\(rtt)")
                }
            }
            // The first source to end (the duration, or standard input closing) ends the stream.
            _ = await group.next()
            group.cancelAll()
        }
    }
}
