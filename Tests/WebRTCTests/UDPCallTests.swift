import CodecBridge
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

    @Test("the receiver decodes the sender's test pattern in order", arguments: Binding.allCases)
    func loopbackCall(binding: Binding) async throws {
        let (host, candidates) = binding.configuration
        let sender = try await PeerConnection.make(
            configuration: .init(bindHost: host, candidateAddresses: candidates, receivesVideo: false))
        let receiver = try await PeerConnection.make(configuration: .init(bindHost: host, candidateAddresses: candidates))
        let track = try await sender.addVideoTrack(.init(width: 320, height: 240, frameRate: 30, bitrate: 600_000))

        // The signalling channel: trickled candidates go straight across.
        let forwarding = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await event in sender.events {
                        if case .localCandidate(let candidate) = event { try? await receiver.addIceCandidate(candidate) }
                    }
                }
                group.addTask {
                    for await event in receiver.events {
                        if case .localCandidate(let candidate) = event { try? await sender.addIceCandidate(candidate) }
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

        let frames = try #require(receiver.remoteVideoTrack).frames
        let collector = Task {
            var numbers: [Int] = []
            for await frame in frames {
                if let number = TestPatternSource.readFrameNumber(from: frame.image) { numbers.append(number) }
                if numbers.count == 45 { break }
            }
            return numbers
        }
        var source = try TestPatternSource(width: 320, height: 240, frameRate: 30)
        for _ in 0..<60 {
            try await track.send(source.nextFrame())
            try await Task.sleep(for: .milliseconds(33))
        }
        let numbers = try await withDeadline(.seconds(10), "45 decoded frames") { await collector.value }
        #expect(numbers.count == 45)
        #expect(numbers == numbers.sorted() && Set(numbers).count == numbers.count, "frames arrive once each, in order")

        let sent = await sender.statistics
        let received = await receiver.statistics
        #expect(sent.framesSent >= 60 - 1)
        #expect(received.packetsReceived > 0 && received.packetsLost == 0)
        #expect(received.framesDecoded >= 45)

        forwarding.cancel()
        await sender.close()
        await receiver.close()
        #expect(await sender.connectionState == .closed)
    }
}
