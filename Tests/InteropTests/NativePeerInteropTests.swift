import CodecBridge
import Foundation
import SignalingCore
import Testing
import TestSupport

/// The native Swift peer against real Chromium and against itself, through
/// the Swift signal-server, exactly as a user runs the example programs.
@Suite("Native peers with Chromium", .serialized)
struct NativePeerInteropTests {
    static let framesWanted = 60

    /// False when the test ran in a loopback-only namespace of its own
    /// instead (this process has other interfaces): the caller returns.
    private func requireLoopbackOnly(_ function: String = #function) async -> Bool {
        await !LoopbackOnlyNetwork.runIsolated("NativePeerInteropTests/\(function)")
    }

    @Test("webrtc-send streams 640x480 VP8 and an Opus tone to the receiver page in Chromium, under 5% of the audio concealed")
    func nativeSenderToBrowserReceiver() async throws {
        guard await requireLoopbackOnly() else { return }
        let server = try await RunningSignalingServer.start()
        let browser = try await HeadlessChromium.launch()
        let devTools = try await DevToolsConnection(url: browser.devToolsURL)
        let room = "native-to-browser"
        let started = ContinuousClock.now
        var sender: PackageProgram?
        do {
            let receiver = try await devTools.openPage("\(server.httpBase)/receiver.html?room=\(room)")
            sender = try PackageProgram("webrtc-send", arguments: [
                "--signal", "ws://127.0.0.1:\(server.port)/", "--room", room, "--size", "640x480", "--audio", "tone", "--duration", "60", "--json",
            ])
            let stats = try await poll(every: .milliseconds(250), for: .seconds(60), "\(Self.framesWanted) frames decoded in the receiver page") {
                try await ReceiverPageStats.read(from: receiver, devTools: devTools).flatMap { $0.framesDecoded >= Self.framesWanted ? $0 : nil }
            }
            #expect(stats.codec == "video/VP8")
            #expect(stats.width == 640 && stats.height == 480)
            // The tone arrives too: a second of samples played out, little of it concealed.
            let audio = try await poll(every: .milliseconds(250), for: .seconds(20), "a second of audio received in the receiver page") {
                try await ReceiverPageAudioStats.read(from: receiver, devTools: devTools).flatMap { $0.totalSamplesReceived >= 48_000 ? $0 : nil }
            }
            #expect(audio.codec == "audio/opus")
            #expect(audio.packetsReceived >= 50)
            #expect(audio.concealedSamples * 20 <= audio.totalSamplesReceived, "\(audio.concealedSamples) of \(audio.totalSamplesReceived) samples concealed")
            print("measured: Chromium receiver page concealed \(audio.concealedSamples) of \(audio.totalSamplesReceived) audio samples")
            #expect(sender?.event("connected") != nil)
            // Ctrl-C ends the stream cleanly, with a summary.
            sender?.process.interrupt()
            #expect(try await sender?.waitForExit(within: .seconds(10)) == 0)
            #expect(sender?.event("summary")?["framesSent"] as? Int ?? 0 >= Self.framesWanted)
            print("measured: webrtc-send -> Chromium receiver page: \(Self.framesWanted) frames decoded \(ContinuousClock.now - started) after start")
        } catch {
            Issue.record("\(error); webrtc-send said: \(sender?.diagnostics ?? "-")")
        }
        await sender?.stop()
        await Self.stop(devTools, browser, server)
    }

    @Test("the sender page in Chromium streams video and its fake microphone's 400 Hz beep to webrtc-recv, saved in video.ivf and audio.wav")
    func browserSenderToNativeReceiver() async throws {
        guard await requireLoopbackOnly() else { return }
        let server = try await RunningSignalingServer.start()
        let output = Self.outputDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let room = "browser-to-native"
        let started = ContinuousClock.now
        let receiver = try PackageProgram("webrtc-recv", arguments: [
            "--signal", "ws://127.0.0.1:\(server.port)/", "--room", room, "--frames", "\(Self.framesWanted)",
            "--audio-frames", "150", "--timeout", "60", "--output", output.path, "--json",
        ])
        let browser = try await HeadlessChromium.launch()
        let devTools = try await DevToolsConnection(url: browser.devToolsURL)
        do {
            let sender = try await devTools.openPage("\(server.httpBase)/sender.html?room=\(room)")
            try await Self.pressSend(on: sender, devTools: devTools)
            let status = try await receiver.waitForExit(within: .seconds(70))
            #expect(status == 0, "webrtc-recv said: \(receiver.diagnostics)")
            let summary = try #require(receiver.event("summary"))
            #expect(summary["framesDecoded"] as? Int ?? 0 >= Self.framesWanted)
            // The saved file holds the stream.
            let ivf = try IVFReader(path: output.appendingPathComponent("video.ivf").path)
            var frames = 0
            while try ivf.nextFrame() != nil { frames += 1 }
            #expect(frames >= Self.framesWanted)
            #expect(summary["audioFramesDecoded"] as? Int ?? 0 >= 150)
            try Self.expectBeep(in: output.appendingPathComponent("audio.wav").path)
            print("measured: Chromium sender page -> webrtc-recv: first frame \(summary["firstFrameAfterMs"] ?? "?") ms after webrtc-recv started; \(Self.framesWanted) frames \(ContinuousClock.now - started) after start")
        } catch {
            Issue.record("\(error); webrtc-recv said: \(receiver.diagnostics)")
        }
        await receiver.stop()
        await Self.stop(devTools, browser, server)
    }

    /// A fresh folder for what webrtc-recv saves (the caller removes it).
    static func outputDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("webrtc-recv-\(UUID().uuidString)")
    }

    /// Stops what a browser test started.
    static func stop(_ devTools: DevToolsConnection, _ browser: HeadlessChromium, _ server: RunningSignalingServer) async {
        await devTools.closeBrowser()
        await browser.stop()
        await server.stop()
    }

    /// Waits for the sender page to reach the signalling server, then presses its button.
    static func pressSend(on sender: String, devTools: DevToolsConnection) async throws {
        _ = try await poll(for: .seconds(15), "the sender page to connect to the signalling server") {
            try await devTools.evaluateString(
                "document.getElementById('start') && !document.getElementById('start').disabled ? 'ready' : ''", in: sender) == "ready"
                ? true : nil
        }
        _ = try await devTools.evaluateString("document.getElementById('start').click(), 'clicked'", in: sender)
    }

    /// Chromium's fake microphone beeps at 400 Hz: the saved audio is not
    /// silent, and it has far more power at 400 Hz than beside it.
    static func expectBeep(in path: String) throws {
        let wav = try WAVReader(path: path)
        var samples: [Int16] = []
        while let frame = try wav.nextFrame() { samples += frame.channelCount == 1 ? frame.samples : frame.samples(ofChannel: 0) ?? [] }
        #expect(samples.count >= 48_000, "\(samples.count) samples saved")
        let peak = samples.map { Int(abs(Int32($0))) }.max() ?? 0
        #expect(peak >= 1_000, "the audio is not silent (peak \(peak))")
        let rate = Double(wav.sampleRate)
        let beep = Goertzel.power(samples, at: 400, sampleRate: rate)
        let beside = [250.0, 330, 480, 560].map { Goertzel.power(samples, at: $0, sampleRate: rate) }
        #expect(beside.allSatisfy { beep > 5 * $0 }, "400 Hz: \(beep), beside it: \(beside)")
    }

    @Test("a sender page that adds video to a running audio call renegotiates, and webrtc-recv decodes the new track")
    func browserRenegotiationAddsVideo() async throws {
        guard await requireLoopbackOnly() else { return }
        let server = try await RunningSignalingServer.start()
        let output = Self.outputDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let room = "browser-renegotiation"
        let receiver = try PackageProgram("webrtc-recv", arguments: [
            "--signal", "ws://127.0.0.1:\(server.port)/", "--room", room, "--frames", "\(Self.framesWanted)",
            "--audio-frames", "50", "--timeout", "60", "--output", output.path, "--json",
        ])
        let browser = try await HeadlessChromium.launch()
        let devTools = try await DevToolsConnection(url: browser.devToolsURL)
        do {
            let sender = try await devTools.openPage("\(server.httpBase)/sender.html?room=\(room)&media=audio")
            try await Self.pressSend(on: sender, devTools: devTools)
            _ = try await poll(for: .seconds(20), "the audio-only call to connect") {
                try await devTools.evaluateString("pc && pc.connectionState", in: sender) == "connected" ? true : nil
            }
            _ = try await devTools.evaluateString("addMedia('video'), 'adding'", in: sender)
            let status = try await receiver.waitForExit(within: .seconds(60))
            #expect(status == 0, "webrtc-recv said: \(receiver.diagnostics)")
            let kinds = receiver.events.filter { $0["event"] as? String == "track" }.compactMap { $0["kind"] as? String }
            #expect(kinds == ["audio", "video"], "first the audio track, then the video track the renegotiation added")
            let summary = try #require(receiver.event("summary"))
            #expect(summary["framesDecoded"] as? Int ?? 0 >= Self.framesWanted)
            #expect(summary["audioFramesDecoded"] as? Int ?? 0 >= 50)
            #expect(receiver.events.filter { $0["event"] as? String == "error" }.isEmpty, "no description was refused")
        } catch {
            Issue.record("\(error); webrtc-recv said: \(receiver.diagnostics)")
        }
        await receiver.stop()
        await Self.stop(devTools, browser, server)
    }

    @Test("webrtc-recv reports a stranger's unparsable offer as a JSON error, keeps waiting, and receives from the sender who comes next")
    func receiverSurvivesAStranger() async throws {
        guard await requireLoopbackOnly() else { return }
        let server = try await RunningSignalingServer.start()
        let output = Self.outputDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let signal = "ws://127.0.0.1:\(server.port)/"
        let receiver = try PackageProgram("webrtc-recv", arguments: [
            "--signal", signal, "--room", "stranger", "--frames", "30", "--timeout", "40", "--output", output.path, "--json",
        ])
        var sender: PackageProgram?
        do {
            _ = try await poll(for: .seconds(15), "webrtc-recv to register") { receiver.event("registered") != nil ? true : nil }
            let stranger = try await SignalingClient.connect(to: signal, room: "stranger")
            _ = try await stranger.register(as: .sender)
            try await stranger.send(.createOffer(RTCSessionDescription(type: .offer, sdp: "v=0\r\nthis is not an offer\r\n")))
            let message = try await poll(for: .seconds(10), "webrtc-recv's error event") { receiver.event("error")?["message"] as? String }
            #expect(message.contains("could not be answered"), "\(message)")
            await stranger.close()
            #expect(receiver.process.isRunning, "webrtc-recv keeps waiting")
            sender = try PackageProgram("webrtc-send", arguments: ["--signal", signal, "--room", "stranger", "--size", "320x240", "--duration", "30"])
            let status = try await receiver.waitForExit(within: .seconds(40))
            #expect(status == 0, "webrtc-recv said: \(receiver.diagnostics)")
            #expect(receiver.event("summary")?["framesDecoded"] as? Int ?? 0 >= 30)
        } catch {
            Issue.record("\(error); webrtc-recv said: \(receiver.diagnostics)")
        }
        await sender?.stop()
        await receiver.stop()
        await server.stop()
    }

    enum Video: String, CaseIterable, Sendable {
        case testPattern, y4mFile
    }

    @Test("webrtc-send streams to webrtc-recv", arguments: Video.allCases)
    func nativeToNative(video: Video) async throws {
        guard await requireLoopbackOnly() else { return }
        let server = try await RunningSignalingServer.start()
        let output = Self.outputDirectory()
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: output) }
        var videoArguments = ["--size", "320x240"]
        if video == .y4mFile {
            // A one-second clip that webrtc-send loops.
            let clip = output.appendingPathComponent("clip.y4m").path
            let writer = try Y4MWriter(path: clip, width: 176, height: 144)
            var pattern = try TestPatternSource(width: 176, height: 144, frameRate: 30)
            for _ in 0..<30 { try writer.write(pattern.nextFrame()) }
            try writer.close()
            videoArguments = ["--video", clip]
        }
        let signal = "ws://127.0.0.1:\(server.port)/"
        let receiver = try PackageProgram("webrtc-recv", arguments: [
            "--signal", signal, "--room", "native-\(video.rawValue)", "--frames", "\(Self.framesWanted)", "--timeout", "30",
            "--output", output.path, "--y4m", "--json",
        ])
        let sender = try PackageProgram("webrtc-send", arguments: [
            "--signal", signal, "--room", "native-\(video.rawValue)", "--duration", "30", "--json",
        ] + videoArguments)
        let status = try await receiver.waitForExit(within: .seconds(40))
        #expect(status == 0, "webrtc-recv said: \(receiver.diagnostics); webrtc-send said: \(sender.diagnostics)")
        let summary = receiver.event("summary")
        #expect(summary?["framesDecoded"] as? Int ?? 0 >= Self.framesWanted)
        #expect(summary?["packetsLost"] as? Int == 0)
        // The decoded frames were saved at the sent size.
        let y4m = try Y4MReader(path: output.appendingPathComponent("video.y4m").path)
        #expect(y4m.header.width == (video == .y4mFile ? 176 : 320))
        #expect(try y4m.nextFrame() != nil)
        // The sender ends by itself once the receiver hangs up.
        #expect(try await sender.waitForExit(within: .seconds(10)) == 0, "webrtc-send said: \(sender.diagnostics)")
        #expect(sender.event("summary")?["framesSent"] as? Int ?? 0 >= Self.framesWanted)
        print("measured: webrtc-send -> webrtc-recv: first frame \(summary?["firstFrameAfterMs"] ?? "?") ms after webrtc-recv started")
        await sender.stop()
        await receiver.stop()
        await server.stop()
    }

    @Test("webrtc-send reads Y4M video from standard input and a WAV file's 660 Hz tone, and webrtc-recv decodes both")
    func standardInputAndWAV() async throws {
        guard await requireLoopbackOnly() else { return }
        let server = try await RunningSignalingServer.start()
        let output = Self.outputDirectory()
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: output) }
        // Four seconds of pictures for standard input (read once, as from a
        // camera through ffmpeg) and one second of tone (looped).
        let clip = output.appendingPathComponent("camera.y4m").path
        let writer = try Y4MWriter(path: clip, width: 176, height: 144)
        var pattern = try TestPatternSource(width: 176, height: 144, frameRate: 30)
        for _ in 0..<120 { try writer.write(pattern.nextFrame()) }
        try writer.close()
        let wavPath = output.appendingPathComponent("tone.wav").path
        let wav = try WAVWriter(path: wavPath, sampleRate: 48_000, channelCount: 1)
        var tone = try ToneSource(frequency: 660)
        for _ in 0..<50 { try wav.write(tone.nextFrame()) }
        try wav.close()

        let signal = "ws://127.0.0.1:\(server.port)/"
        let received = output.appendingPathComponent("received")
        let receiver = try PackageProgram("webrtc-recv", arguments: [
            "--signal", signal, "--room", "stdin", "--frames", "\(Self.framesWanted)", "--audio-frames", "100", "--timeout", "30",
            "--output", received.path, "--y4m", "--json",
        ])
        let sender = try PackageProgram(
            "webrtc-send", arguments: ["--signal", signal, "--room", "stdin", "--video", "-", "--audio", wavPath, "--json"],
            standardInput: clip)
        let status = try await receiver.waitForExit(within: .seconds(40))
        #expect(status == 0, "webrtc-recv said: \(receiver.diagnostics); webrtc-send said: \(sender.diagnostics)")
        let y4m = try Y4MReader(path: received.appendingPathComponent("video.y4m").path)
        #expect(y4m.header.width == 176 && y4m.header.height == 144)
        let audio = try WAVReader(path: received.appendingPathComponent("audio.wav").path)
        var samples: [Int16] = []
        while let frame = try audio.nextFrame() { samples += frame.samples }
        let at660 = Goertzel.power(samples, at: 660), at440 = Goertzel.power(samples, at: 440), at880 = Goertzel.power(samples, at: 880)
        #expect(at660 > 20 * at440 && at660 > 20 * at880, "660 Hz: \(at660), 440 Hz: \(at440), 880 Hz: \(at880)")
        await sender.stop()
        await receiver.stop()
        await server.stop()
    }
}
