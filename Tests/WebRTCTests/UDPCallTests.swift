import CodecBridge
import Foundation
import NIOCore
import NIOPosix
import Testing
import TestSupport
import WebRTC

/// Two `PeerConnection`s over real UDP sockets on 127.0.0.1, with real
/// encoding and decoding: the NIO driver end to end.
@Suite("A whole call over UDP on 127.0.0.1")
struct UDPCallTests {
    /// Sockets bound to 127.0.0.1, or to every interface with only the
    /// loopback address offered as a candidate (the datagram's destination
    /// address then comes from the packet info).
    enum Binding: String, CaseIterable, Sendable {
        case loopback, allInterfaces

        var configuration: (host: String, candidates: [String]?) {
            switch self {
            case .loopback: ("127.0.0.1", nil)
            case .allInterfaces: ("0.0.0.0", ["127.0.0.1"])
            }
        }
    }

    /// Passes trickled candidates straight across, and hands each side's remote tracks to `tracks`.
    static func connect(
        _ sender: PeerConnection, _ receiver: PeerConnection, tracks: AsyncStream<RemoteTrack>.Continuation
    ) async throws -> Task<Void, Never> {
        let forwarding = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await event in sender.events {
                        if case .localCandidate(let candidate) = event { try? await receiver.addIceCandidate(candidate) }
                    }
                }
                group.addTask {
                    for await event in receiver.events {
                        switch event {
                        case .localCandidate(let candidate): try? await sender.addIceCandidate(candidate)
                        case .track(let track): tracks.yield(track)
                        default: break
                        }
                    }
                }
            }
        }
        let offer = try await sender.createOffer()
        try await sender.setLocalDescription(offer)
        try await receiver.setRemoteDescription(offer)
        let answer = try await receiver.createAnswer()
        try await receiver.setLocalDescription(answer)
        try await sender.setRemoteDescription(answer)
        try await poll(every: .milliseconds(20), for: .seconds(10), "both connections to connect") {
            let states = (await sender.connectionState, await receiver.connectionState)
            return states == (.connected, .connected) ? true : nil
        }
        return forwarding
    }

    @Test("the receiver decodes the sender's test pattern in order and its 440 Hz tone", arguments: Binding.allCases)
    func loopbackCall(binding: Binding) async throws {
        let (host, candidates) = binding.configuration
        let sender = try await PeerConnection.make(configuration: .init(bindHost: host, candidateAddresses: candidates))
        let receiver = try await PeerConnection.make(configuration: .init(bindHost: host, candidateAddresses: candidates))
        let video = try await sender.addVideoTrack(.init(width: 320, height: 240, frameRate: 30, bitrate: 600_000), direction: .sendonly)
        let audio = try await sender.addAudioTrack(direction: .sendonly)
        let (tracks, trackContinuation) = AsyncStream.makeStream(of: RemoteTrack.self)
        let forwarding = try await Self.connect(sender, receiver, tracks: trackContinuation)

        // The receiver is told of both tracks, and reads each.
        let collector = Task {
            await withTaskGroup(of: (numbers: [Int], pcm: [Int16]).self) { group in
                var seen = 0
                for await track in tracks {
                    seen += 1
                    switch track {
                    case .video(let video):
                        group.addTask {
                            var numbers: [Int] = []
                            for await frame in video {
                                if let number = TestPatternSource.readFrameNumber(from: frame.image) { numbers.append(number) }
                                if numbers.count == 45 { break }
                            }
                            return (numbers, [])
                        }
                    case .audio(let audio):
                        group.addTask {
                            var pcm: [Int16] = []
                            for await frame in audio where !frame.isConcealed {
                                pcm += frame.pcm.samples
                                if pcm.count >= 48_000 { break }
                            }
                            return ([], pcm)
                        }
                    }
                    if seen == 2 { break }
                }
                var result: (numbers: [Int], pcm: [Int16]) = ([], [])
                for await part in group {
                    result.numbers += part.numbers
                    result.pcm += part.pcm
                }
                return result
            }
        }
        let streaming = Task {
            var pattern = try TestPatternSource(width: 320, height: 240, frameRate: 30)
            var tone = try ToneSource(frequency: 440)
            let start = ContinuousClock.now
            for tick in 0..<150 {  // 20 ms ticks: 3 s of audio, a picture every other tick
                if tick % 2 == 0 { try await video.send(pattern.nextFrame()) }
                try await audio.send(tone.nextFrame())
                try await Task.sleep(until: start + .milliseconds(20 * (tick + 1)))
            }
        }
        let result = try await withDeadline(.seconds(15), "45 decoded frames and a second of audio") { await collector.value }
        streaming.cancel()
        #expect(result.numbers.count == 45)
        #expect(result.numbers == result.numbers.sorted() && Set(result.numbers).count == result.numbers.count, "frames arrive once each, in order")
        #expect(result.pcm.count >= 48_000)
        // The tone is there: far more power at 440 Hz than at 220 Hz or 880 Hz.
        let tail = Array(result.pcm.suffix(24_000))
        let at440 = Goertzel.power(tail, at: 440), at220 = Goertzel.power(tail, at: 220), at880 = Goertzel.power(tail, at: 880)
        #expect(at440 > 20 * at220 && at440 > 20 * at880, "440 Hz: \(at440), 220 Hz: \(at220), 880 Hz: \(at880)")

        let sent = await sender.statistics
        let received = await receiver.statistics
        #expect(sent.outbound(.video)?.framesSent ?? 0 >= 45)
        #expect(sent.outbound(.audio)?.framesSent ?? 0 >= 50)
        #expect(received.packetsReceived > 0 && received.packetsLost == 0)
        #expect(received.inbound(.audio)?.audioLevel != nil, "the audio-level extension arrived")
        #expect(received.framesDecoded >= 45)

        forwarding.cancel()
        await sender.close()
        await receiver.close()
        #expect(await sender.connectionState == .closed)
    }

    @Test("bound to every interface, each side opens a socket for 127.0.0.1 and one for ::1, offers both, and the call connects and streams")
    func socketPerInterfaceAddress() async throws {
        let configuration = PeerConnectionConfiguration(bindHost: "0.0.0.0", includeInterfaceAddress: { $0.ip.isLoopback })
        let sender = try await PeerConnection.make(configuration: configuration)
        let receiver = try await PeerConnection.make(configuration: configuration)
        let addresses = await sender.localAddresses
        #expect(Set(addresses.map(\.family)) == [.ipv4, .ipv6], "\(addresses)")
        let video = try await sender.addVideoTrack(.init(width: 160, height: 120, frameRate: 30, bitrate: 200_000), direction: .sendonly)
        let (tracks, trackContinuation) = AsyncStream.makeStream(of: RemoteTrack.self)
        let forwarding = try await Self.connect(sender, receiver, tracks: trackContinuation)
        let counting = Task {
            for await track in tracks {
                guard case .video(let remote) = track else { continue }
                var count = 0
                for await _ in remote {
                    count += 1
                    if count == 10 { break }
                }
                return count
            }
            return 0
        }
        let pictures = Task {
            var pattern = try TestPatternSource(width: 160, height: 120, frameRate: 30)
            for _ in 0..<90 {
                try await video.send(pattern.nextFrame())
                try await Task.sleep(for: .milliseconds(33))
            }
        }
        let decoded = try await withDeadline(.seconds(10), "10 decoded frames") { await counting.value }
        pictures.cancel()
        #expect(decoded == 10)
        forwarding.cancel()
        await sender.close()
        await receiver.close()
    }

    @Test("a connection dropped without close() releases its UDP port")
    func droppedConnectionReleasesItsSocket() async throws {
        var connection: PeerConnection? = try await PeerConnection.make(configuration: .init(bindHost: "127.0.0.1"))
        let port = try #require(await connection?.localAddress?.port)
        weak let weakConnection = connection
        connection = nil
        #expect(weakConnection == nil, "nothing else keeps the connection alive")
        // The port is free again: a socket without SO_REUSEADDR can bind it.
        let rebound = try await poll(every: .milliseconds(20), for: .seconds(5), "port \(port) to be free") { () -> Bool? in
            let channel = try? await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: Int(port)).get()
            guard let channel else { return nil }
            try? await channel.close()
            return true
        }
        #expect(rebound)
    }
}
