import CodecBridge
import Foundation
import ICEKit
import NIOSSL
import Testing
import TestSupport
import WebRTC

/// Calls through a real coturn on 127.0.0.1, between two `PeerConnection`s
/// over real UDP.
@Suite("Calls through a TURN relay (coturn on 127.0.0.1)")
struct TURNRelayCallTests {
    /// Forwards trickled candidates both ways, recording each side's, and
    /// hands the receiver's remote tracks on.
    final class Signalling: @unchecked Sendable {
        private let lock = NSLock()
        private var sent: [String: [RTCIceCandidate]] = [:]

        func candidates(of side: String) -> [RTCIceCandidate] { lock.withLock { sent[side] ?? [] } }

        func forward(_ sender: PeerConnection, _ receiver: PeerConnection, tracks: AsyncStream<RemoteTrack>.Continuation) -> Task<Void, Never> {
            Task {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await event in sender.events {
                            guard case .localCandidate(let candidate) = event else { continue }
                            self.lock.withLock { self.sent["sender", default: []].append(candidate) }
                            try? await receiver.addIceCandidate(candidate)
                        }
                    }
                    group.addTask {
                        for await event in receiver.events {
                            switch event {
                            case .localCandidate(let candidate):
                                self.lock.withLock { self.sent["receiver", default: []].append(candidate) }
                                try? await sender.addIceCandidate(candidate)
                            case .track(let track): tracks.yield(track)
                            default: break
                            }
                        }
                    }
                }
            }
        }
    }

    /// Offer, answer, and a bounded wait until both are connected.
    static func negotiate(_ sender: PeerConnection, _ receiver: PeerConnection, within limit: Duration, _ what: String) async throws {
        let offer = try await sender.createOffer()
        try await sender.setLocalDescription(offer)
        try await receiver.setRemoteDescription(offer)
        let answer = try await receiver.createAnswer()
        try await receiver.setLocalDescription(answer)
        try await sender.setRemoteDescription(answer)
        try await poll(every: .milliseconds(20), for: limit, what) {
            let states = (await sender.connectionState, await receiver.connectionState)
            return states == (.connected, .connected) ? true : nil
        }
    }

    /// Counts the decoded pictures of the first remote video track, up to `limit`.
    static func countVideoFrames(on tracks: AsyncStream<RemoteTrack>, upTo limit: Int) -> Task<Int, Never> {
        Task {
            for await track in tracks {
                guard case .video(let remote) = track else { continue }
                var count = 0
                for await _ in remote {
                    count += 1
                    if count == limit { break }
                }
                return count
            }
            return 0
        }
    }

    /// Sends five seconds of a 160x120 test pattern at 30 fps.
    static func sendTestPattern(on video: LocalVideoTrack) -> Task<Void, any Error> {
        Task {
            var pattern = try TestPatternSource(width: 160, height: 120, frameRate: 30)
            for _ in 0..<150 {
                try await video.send(pattern.nextFrame())
                try await Task.sleep(for: .milliseconds(33))
            }
        }
    }

    static func configuration(turnPort: UInt16, policy: ICETransportPolicy) -> PeerConnectionConfiguration {
        PeerConnectionConfiguration(
            bindHost: "127.0.0.1",
            iceServers: [ICEServer(urls: ["turn:127.0.0.1:\(turnPort)"], username: "alice", credential: "wonderland")],
            iceTransportPolicy: policy)
    }

    @Test("relay-only on both sides: only relay candidates are signalled, the call connects with relay candidates at both ends, and video is decoded")
    func relayOnlyCall() async throws {
        let coturn = try Coturn(users: ["alice": "wonderland"])
        defer { coturn.stop() }
        try await coturn.waitUntilReady()
        let sender = try await PeerConnection.make(configuration: Self.configuration(turnPort: coturn.port, policy: .relay))
        let receiver = try await PeerConnection.make(configuration: Self.configuration(turnPort: coturn.port, policy: .relay))
        let video = try await sender.addVideoTrack(.init(width: 160, height: 120, frameRate: 30, bitrate: 200_000), direction: .sendonly)
        let (tracks, trackContinuation) = AsyncStream.makeStream(of: RemoteTrack.self)
        let signalling = Signalling()
        let forwarding = signalling.forward(sender, receiver, tracks: trackContinuation)
        defer { forwarding.cancel() }

        try await Self.negotiate(sender, receiver, within: .seconds(15), "both connections to connect through the relay")

        let counting = Self.countVideoFrames(on: tracks, upTo: 10)
        let pictures = Self.sendTestPattern(on: video)
        defer { pictures.cancel() }
        let decoded = try await withDeadline(.seconds(10), "10 decoded frames through the relay") { await counting.value }
        #expect(decoded == 10)

        for side in ["sender", "receiver"] {
            let candidates = signalling.candidates(of: side).map(\.candidate).filter { !$0.isEmpty }
            #expect(!candidates.isEmpty && candidates.allSatisfy { $0.contains(" typ relay") }, "\(side) signalled \(candidates)")
            #expect(!candidates.contains { $0.contains(" typ host") }, "\(side) revealed a host address")
        }
        let senderPair = try #require(await sender.selectedCandidatePair)
        let receiverPair = try #require(await receiver.selectedCandidatePair)
        #expect(senderPair.local.type == .relay && senderPair.remote.type == .relay, "\(senderPair)")
        #expect(receiverPair.local.type == .relay && receiverPair.remote.type == .relay, "\(receiverPair)")
        #expect(senderPair.relayProtocol == .udp)
        await sender.close()
        await receiver.close()
    }

    @Test("relay-only over TURN/TCP (turn:?transport=tcp) and TURN/TLS (turns:): the call connects through coturn and the selected pair is relayed over that protocol", arguments: [TURNTransport.tcp, .tls])
    func relayOverStream(transport: TURNTransport) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("turns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try TestCertificate.make(in: directory)
        let coturn = try Coturn(users: ["alice": "wonderland"], tls: files)
        defer { coturn.stop() }
        try await coturn.waitUntilReady()
        let url = transport == .tls ? "turns:127.0.0.1:\(coturn.tlsPort!)" : "turn:127.0.0.1:\(coturn.port)?transport=tcp"
        var configuration = PeerConnectionConfiguration(
            bindHost: "127.0.0.1", iceServers: [ICEServer(urls: [url], username: "alice", credential: "wonderland")],
            iceTransportPolicy: .relay)
        var trusting = TLSConfiguration.makeClientConfiguration()
        trusting.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(files.certificate))
        configuration.turnTLS = trusting
        let sender = try await PeerConnection.make(configuration: configuration)
        // The receiver relays over UDP: the two legs need not match.
        let receiver = try await PeerConnection.make(configuration: Self.configuration(turnPort: coturn.port, policy: .relay))
        let video = try await sender.addVideoTrack(.init(width: 160, height: 120, frameRate: 30, bitrate: 200_000), direction: .sendonly)
        let (tracks, trackContinuation) = AsyncStream.makeStream(of: RemoteTrack.self)
        let forwarding = Signalling().forward(sender, receiver, tracks: trackContinuation)
        defer { forwarding.cancel() }
        try await Self.negotiate(sender, receiver, within: .seconds(15), "both connections to connect through the relay over \(transport)")
        let counting = Self.countVideoFrames(on: tracks, upTo: 10)
        let pictures = Self.sendTestPattern(on: video)
        defer { pictures.cancel() }
        #expect(try await withDeadline(.seconds(10), "10 decoded frames") { await counting.value } == 10)
        let pair = try #require(await sender.selectedCandidatePair)
        #expect(pair.local.type == .relay && pair.relayProtocol == transport, "\(pair)")
        await sender.close()
        await receiver.close()
    }

    @Test("with the policy `all` and a TURN server, a relay candidate is signalled beside the host one and the call prefers the host pair")
    func relayBesideHost() async throws {
        let coturn = try Coturn(users: ["alice": "wonderland"])
        defer { coturn.stop() }
        try await coturn.waitUntilReady()
        let sender = try await PeerConnection.make(configuration: Self.configuration(turnPort: coturn.port, policy: .all))
        let receiver = try await PeerConnection.make(configuration: Self.configuration(turnPort: coturn.port, policy: .all))
        _ = try await sender.addVideoTrack(.init(width: 160, height: 120, frameRate: 30, bitrate: 200_000), direction: .sendonly)
        let (_, trackContinuation) = AsyncStream.makeStream(of: RemoteTrack.self)
        let signalling = Signalling()
        let forwarding = signalling.forward(sender, receiver, tracks: trackContinuation)
        defer { forwarding.cancel() }
        let offer = try await sender.createOffer()
        try await sender.setLocalDescription(offer)
        try await receiver.setRemoteDescription(offer)
        let answer = try await receiver.createAnswer()
        try await receiver.setLocalDescription(answer)
        try await sender.setRemoteDescription(answer)
        try await poll(every: .milliseconds(20), for: .seconds(15), "the sender's relay candidate and the connection") {
            let relayed = signalling.candidates(of: "sender").contains { $0.candidate.contains(" typ relay") }
            let state = await sender.connectionState
            return relayed && state == .connected ? true : nil
        }
        let candidates = signalling.candidates(of: "sender").map(\.candidate)
        #expect(candidates.contains { $0.contains(" typ host") }, "\(candidates)")
        let pair = try #require(await sender.selectedCandidatePair)
        #expect(pair.local.type == .host && pair.remote.type == .host, "\(pair)")
        await sender.close()
        await receiver.close()
    }
}

/// ICE server names, and IPv6-only calls.
@Suite("ICE servers by name, and IPv6 host candidates")
struct ICEServerNamesAndIPv6Tests {
    @Test("stun: and turn: URLs with host names are resolved when the connection is made; a name that does not resolve is refused with invalid-configuration")
    func namesResolve() async throws {
        let connection = try await PeerConnection.make(configuration: .init(
            bindHost: "127.0.0.1",
            iceServers: [ICEServer(urls: ["stun:localhost:3478", "turn:localhost:3478"], username: "u", credential: "c")]))
        await connection.close()
        await #expect(throws: PeerConnectionError.self) {
            _ = try await PeerConnection.make(configuration: .init(bindHost: "127.0.0.1", iceServers: [ICEServer(urls: ["stun:no-such-host.invalid"])]))
        }
    }

    @Test("two peers bound to ::1 only offer IPv6 host candidates, connect over IPv6 and stream video")
    func ipv6Only() async throws {
        let sender = try await PeerConnection.make(configuration: .init(bindHost: "::1"))
        let receiver = try await PeerConnection.make(configuration: .init(bindHost: "::1"))
        let video = try await sender.addVideoTrack(.init(width: 160, height: 120, frameRate: 30, bitrate: 200_000), direction: .sendonly)
        let (tracks, trackContinuation) = AsyncStream.makeStream(of: RemoteTrack.self)
        let signalling = TURNRelayCallTests.Signalling()
        let forwarding = signalling.forward(sender, receiver, tracks: trackContinuation)
        defer { forwarding.cancel() }
        try await TURNRelayCallTests.negotiate(sender, receiver, within: .seconds(10), "both connections to connect over IPv6")
        let counting = TURNRelayCallTests.countVideoFrames(on: tracks, upTo: 10)
        let pictures = TURNRelayCallTests.sendTestPattern(on: video)
        defer { pictures.cancel() }
        #expect(try await withDeadline(.seconds(10), "10 decoded frames") { await counting.value } == 10)
        let candidates = signalling.candidates(of: "sender").map(\.candidate).filter { !$0.isEmpty }
        #expect(!candidates.isEmpty && candidates.allSatisfy { $0.contains(" ::1 ") }, "\(candidates)")
        let pair = try #require(await sender.selectedCandidatePair)
        #expect(pair.local.transportAddress?.family == .ipv6 && pair.remote.transportAddress?.family == .ipv6, "\(pair)")
        await sender.close()
        await receiver.close()
    }
}
