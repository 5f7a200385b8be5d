import CodecBridge
import SignalingCore
import Synchronization
import Testing
import TestSupport
import WebRTC
import WebRTCSession

/// `SignalingSession` over an in-memory signalling hub (the relay's real
/// rules) and real `PeerConnection`s on 127.0.0.1.
@Suite("The seed's sender and receiver as a library")
struct SignalingSessionTests {
    /// Collects a session's events for the test to look at.
    final class EventLog: Sendable {
        private let events = Mutex<[SessionEvent]>([])

        func follow(_ session: SignalingSession) -> Task<Void, Never> {
            Task { for await event in session.events { events.withLock { $0.append(event) } } }
        }

        var errors: [String] { events.withLock { $0.compactMap { if case .error(let message) = $0 { message } else { nil } } } }
        var tracks: [RemoteTrack] { events.withLock { $0.compactMap { if case .track(let track) = $0 { track } else { nil } } } }
        var connected: Bool { events.withLock { $0.contains { if case .connected = $0 { true } else { false } } } }
    }

    static func client(_ hub: SignalingHub, as role: SignalingRole) async throws -> SignalingClient {
        let client = SignalingClient(channel: await InMemorySignalingChannel(hub: hub, room: "session"))
        _ = try await client.register(as: role)
        return client
    }

    /// An offer with nothing but a data channel, with valid transport attributes.
    static let dataChannelOnlyOffer = [
        "v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-", "t=0 0", "a=group:BUNDLE 0",
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0",
        "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuvwx",
        "a=fingerprint:sha-256 " + Array(repeating: "AB", count: 32).joined(separator: ":"),
        "a=setup:actpass", "a=mid:0", "a=sctp-port:5000", "",
    ].joined(separator: "\r\n")

    @Test("a receiver session reports bad offers and out-of-turn messages as errors, then answers a good offer and receives video")
    func receiverSurvivesBadInput() async throws {
        let hub = SignalingHub()
        let receiverClient = try await Self.client(hub, as: .receiver)
        let senderClient = try await Self.client(hub, as: .sender)
        let receiver = try await PeerConnection.make(configuration: .init(bindHost: "127.0.0.1"))
        let receiverSession = SignalingSession(role: .receiver, connection: receiver, client: receiverClient)
        let receiverLog = EventLog()
        let following = receiverLog.follow(receiverSession)
        let running = Task { await receiverSession.run() }

        // A stranger in the sender's role sends what cannot be used: an
        // unparsable offer, an offer of nothing we can take, a malformed candidate.
        try await senderClient.send(.createOffer(RTCSessionDescription(type: .offer, sdp: "v=0\r\nnot sdp\r\n")))
        try await senderClient.send(.createOffer(RTCSessionDescription(type: .offer, sdp: Self.dataChannelOnlyOffer)))
        try await senderClient.send(.iceCandidate(RTCIceCandidate(candidate: "candidate:garbage", sdpMid: "0")))
        try await poll(every: .milliseconds(20), for: .seconds(5), "three errors reported") {
            receiverLog.errors.count >= 3 ? true : nil
        }
        #expect(receiverLog.errors.filter { $0.contains("could not be answered") }.count == 2)
        #expect(receiverLog.errors.contains { $0.contains("candidate") })

        // Then a real sender calls: the receiver answers and video flows.
        let sender = try await PeerConnection.make(configuration: .init(bindHost: "127.0.0.1"))
        let video = try await sender.addVideoTrack(.init(width: 160, height: 120, frameRate: 30, bitrate: 200_000), direction: .sendonly)
        let senderSession = SignalingSession(role: .sender, connection: sender, client: senderClient)
        let sending = Task { await senderSession.run() }
        let track = try await poll(every: .milliseconds(20), for: .seconds(10), "the video track at the receiver") {
            receiverLog.tracks.first
        }
        guard case .video(let remote) = track else {
            Issue.record("expected a video track, got \(track.kind)")
            return
        }
        try await poll(every: .milliseconds(20), for: .seconds(10), "the receiver to connect") { receiverLog.connected ? true : nil }
        let counting = Task {
            var numbers: [Int] = []
            for await frame in remote {
                if let number = TestPatternSource.readFrameNumber(from: frame.image) { numbers.append(number) }
                if numbers.count == 10 { break }
            }
            return numbers
        }
        let pictures = Task {
            var pattern = try TestPatternSource(width: 160, height: 120, frameRate: 30)
            for _ in 0..<90 {
                try await video.send(pattern.nextFrame())
                try await Task.sleep(for: .milliseconds(33))
            }
        }
        let numbers = try await withDeadline(.seconds(10), "10 decoded frames") { await counting.value }
        pictures.cancel()
        #expect(numbers.count == 10 && numbers == numbers.sorted())

        // The sender hangs up: the receiver's session ends with peer-left.
        await senderClient.close()
        let outcome = try await withDeadline(.seconds(5), "the receiver session to end") { await running.value }
        #expect(outcome == .peerLeft)
        sending.cancel()
        following.cancel()
        await sender.close()
        await receiver.close()
    }

    @Test("a sender session whose first receiver leaves without answering offers again to the next receiver, and they connect")
    func senderOffersAgainToTheNextReceiver() async throws {
        let hub = SignalingHub()
        let senderClient = try await Self.client(hub, as: .sender)
        let sender = try await PeerConnection.make(configuration: .init(bindHost: "127.0.0.1"))
        _ = try await sender.addAudioTrack(direction: .sendonly)
        let senderSession = SignalingSession(role: .sender, connection: sender, client: senderClient)
        let senderLog = EventLog()
        let following = senderLog.follow(senderSession)
        let sending = Task { await senderSession.run() }

        // The first receiver takes the offer and leaves.
        let first = try await Self.client(hub, as: .receiver)
        let offered = try await first.nextMessage(within: .seconds(5)) { if case .createOffer = $0 { true } else { false } }
        guard case .createOffer = offered else { return }
        await first.close()

        // The next one gets a new offer and the call connects.
        let receiverClient = try await Self.client(hub, as: .receiver)
        let receiver = try await PeerConnection.make(configuration: .init(bindHost: "127.0.0.1"))
        let receiverSession = SignalingSession(role: .receiver, connection: receiver, client: receiverClient)
        let receiverLog = EventLog()
        let followingReceiver = receiverLog.follow(receiverSession)
        let receiving = Task { await receiverSession.run() }
        try await poll(every: .milliseconds(20), for: .seconds(10), "the second receiver to connect") {
            receiverLog.connected && senderLog.connected ? true : nil
        }
        #expect(receiverLog.tracks.map(\.kind) == [.audio])
        #expect(senderLog.errors.isEmpty, "\(senderLog.errors)")
        sending.cancel()
        receiving.cancel()
        following.cancel()
        followingReceiver.cancel()
        await sender.close()
        await receiver.close()
        await senderClient.close()
        await receiverClient.close()
    }
}
