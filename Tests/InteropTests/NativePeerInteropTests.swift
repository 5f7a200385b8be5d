import CodecBridge
import Foundation
import Testing
import TestSupport

/// The native Swift peer against real Chromium and against itself, through
/// the Swift signal-server, exactly as a user runs the example programs.
@Suite("Native peers with Chromium", .serialized)
struct NativePeerInteropTests {
    static let framesWanted = 60

    private func requireLoopbackOnly() -> Bool {
        if let violation = LoopbackOnlyNetwork.violation() {
            Issue.record(Comment(rawValue: violation))
            return false
        }
        return true
    }

    @Test("webrtc-send streams to the receiver page in Chromium")
    func nativeSenderToBrowserReceiver() async throws {
        guard requireLoopbackOnly() else { return }
        let server = try await RunningSignalingServer.start()
        let browser = try await HeadlessChromium.launch()
        let devTools = try await DevToolsConnection(url: browser.devToolsURL)
        let room = "native-to-browser"
        let started = ContinuousClock.now
        var sender: PackageProgram?
        do {
            let receiver = try await devTools.openPage("\(server.httpBase)/receiver.html?room=\(room)")
            sender = try PackageProgram("webrtc-send", arguments: [
                "--signal", "ws://127.0.0.1:\(server.port)/", "--room", room, "--size", "640x480", "--duration", "60", "--json",
            ])
            let stats = try await poll(every: .milliseconds(250), for: .seconds(60), "\(Self.framesWanted) frames decoded in the receiver page") {
                try await ReceiverPageStats.read(from: receiver, devTools: devTools).flatMap { $0.framesDecoded >= Self.framesWanted ? $0 : nil }
            }
            #expect(stats.codec == "video/VP8")
            #expect(stats.width == 640 && stats.height == 480)
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
        await devTools.closeBrowser()
        await browser.stop()
        await server.stop()
    }

    @Test("the sender page in Chromium streams to webrtc-recv")
    func browserSenderToNativeReceiver() async throws {
        guard requireLoopbackOnly() else { return }
        let server = try await RunningSignalingServer.start()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("webrtc-recv-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let room = "browser-to-native"
        let started = ContinuousClock.now
        let receiver = try PackageProgram("webrtc-recv", arguments: [
            "--signal", "ws://127.0.0.1:\(server.port)/", "--room", room, "--frames", "\(Self.framesWanted)",
            "--timeout", "60", "--output", output.path, "--json",
        ])
        let browser = try await HeadlessChromium.launch()
        let devTools = try await DevToolsConnection(url: browser.devToolsURL)
        do {
            let sender = try await devTools.openPage("\(server.httpBase)/sender.html?room=\(room)")
            _ = try await poll(for: .seconds(15), "the sender page to connect to the signalling server") {
                try await devTools.evaluateString(
                    "document.getElementById('start') && !document.getElementById('start').disabled ? 'ready' : ''", in: sender) == "ready"
                    ? true : nil
            }
            _ = try await devTools.evaluateString("document.getElementById('start').click(), 'clicked'", in: sender)
            let status = try await receiver.waitForExit(within: .seconds(70))
            #expect(status == 0, "webrtc-recv said: \(receiver.diagnostics)")
            let summary = try #require(receiver.event("summary"))
            #expect(summary["framesDecoded"] as? Int ?? 0 >= Self.framesWanted)
            // The saved file holds the stream.
            let ivf = try IVFReader(path: output.appendingPathComponent("video.ivf").path)
            var frames = 0
            while try ivf.nextFrame() != nil { frames += 1 }
            #expect(frames >= Self.framesWanted)
            print("measured: Chromium sender page -> webrtc-recv: first frame \(summary["firstFrameAfterMs"] ?? "?") ms after webrtc-recv started; \(Self.framesWanted) frames \(ContinuousClock.now - started) after start")
        } catch {
            Issue.record("\(error); webrtc-recv said: \(receiver.diagnostics)")
        }
        await receiver.stop()
        await devTools.closeBrowser()
        await browser.stop()
        await server.stop()
    }

    enum Video: String, CaseIterable, Sendable {
        case testPattern, y4mFile
    }

    @Test("webrtc-send streams to webrtc-recv", arguments: Video.allCases)
    func nativeToNative(video: Video) async throws {
        guard requireLoopbackOnly() else { return }
        let server = try await RunningSignalingServer.start()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("webrtc-recv-\(UUID().uuidString)")
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
}
