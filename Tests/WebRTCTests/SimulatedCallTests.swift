import CodecBridge
import Testing
import TestSupport
import WebRTC

/// Whole calls between two `PeerConnectionCore`s over a simulated network on
/// virtual time: real ICE, real DTLS (OpenSSL), real SRTP (libsrtp2), real
/// VP8 (libvpx), no sockets and no sleeps.
@Suite("A whole call on a simulated network")
struct SimulatedCallTests {
    /// Encodes `count` test-pattern frames and sends them `1/30 s` apart in virtual time.
    static func sendFrames(
        _ count: Int, on call: inout SimulatedCall, encoder: VP8Encoder, source: inout TestPatternSource, startWithKeyFrame: Bool = true
    ) throws {
        var keyFrameWanted = startWithKeyFrame
        for _ in 0..<count {
            let frame = source.nextFrame()
            var unsent = false
            for encoded in try encoder.encode(frame, forceKeyFrame: keyFrameWanted) {
                unsent = !call.offerer.sendFrame(
                    encoded.data, isKeyFrame: encoded.isKeyFrame, captureTime: call.now, onTransceiver: call.offererTracks[.video]!,
                    at: call.now) || unsent
            }
            // As LocalVideoTrack does: a frame that could not be sent makes the next one a key frame.
            keyFrameWanted = unsent
            try call.run(for: .milliseconds(33))
            // Answer key-frame requests the way LocalVideoTrack does.
            if SimulatedCall.takeKeyFrameRequests(&call.offererEvents) > 0 { keyFrameWanted = true }
        }
    }

    /// Decodes what the answerer received and returns the frame numbers drawn in the pictures.
    static func decodedFrameNumbers(_ frames: [ReceivedFrame]) throws -> [Int] {
        let decoder = try VP8Decoder()
        var numbers: [Int] = []
        for frame in frames {
            guard let image = try? decoder.decode(frame.data, timestamp: frame.timestamp) else { continue }
            if let number = TestPatternSource.readFrameNumber(from: image) { numbers.append(number) }
        }
        return numbers
    }

    @Test("offerer and answerer connect and every frame arrives, decodable and in order")
    func cleanNetwork() throws {
        var call = try SimulatedCall()
        try call.negotiate()
        try call.run(for: .seconds(10)) { $0.bothConnected }
        #expect(call.bothConnected)

        let encoder = try VP8Encoder(configuration: .init(width: 320, height: 240, frameRate: 30, bitrate: 500_000))
        var source = try TestPatternSource(width: 320, height: 240, frameRate: 30)
        try Self.sendFrames(60, on: &call, encoder: encoder, source: &source)
        try call.run(for: .milliseconds(200))

        #expect(call.receivedFrames.count == 60)
        #expect(call.receivedFrames.first?.isKeyFrame == true)
        #expect(try Self.decodedFrameNumbers(call.receivedFrames) == Array(0..<60))
        #expect(call.offerer.statistics.framesSent == 60)
        #expect(call.answerer.statistics.packetsReceived == call.offerer.statistics.packetsSent)
        #expect(call.answerer.statistics.packetsLost == 0)
        // Reports flowed both ways: the sender knows the round-trip time (2 × 10 ms here).
        #expect(call.answerer.statistics.rtcpPacketsSent > 0)
        let rtt = try #require(call.offerer.statistics.roundTripTime)
        #expect(rtt >= .milliseconds(15) && rtt <= .milliseconds(40))
    }

    @Test("on a lossy, jittery link NACKs recover lost packets and at least 140 of 150 frames decode, in order")
    func lossyNetwork() throws {
        var call = try SimulatedCall(conditions: SimulatedLinkConditions(loss: 0.03, delay: .milliseconds(30), jitter: .milliseconds(10)), seed: 11)
        try call.negotiate()
        try call.run(for: .seconds(20)) { $0.bothConnected }
        #expect(call.bothConnected)

        let encoder = try VP8Encoder(configuration: .init(width: 320, height: 240, frameRate: 30, bitrate: 500_000))
        var source = try TestPatternSource(width: 320, height: 240, frameRate: 30)
        try Self.sendFrames(150, on: &call, encoder: encoder, source: &source)
        // A few more frames, so that a loss at the very end is noticed too.
        try Self.sendFrames(10, on: &call, encoder: encoder, source: &source, startWithKeyFrame: false)
        try call.run(for: .milliseconds(500))

        #expect(call.network.dropped > 0, "the link did lose packets")
        #expect(call.answerer.statistics.nacksSent > 0, "the receiver asked for missing packets")
        #expect(call.offerer.statistics.packetsRetransmitted > 0, "the sender sent them again")
        // A retransmission can be lost too (then a PLI and a key frame repair
        // the stream), so nearly every frame, not every one, must decode.
        let numbers = try Self.decodedFrameNumbers(call.receivedFrames)
        #expect(numbers.filter { $0 < 150 }.count >= 140, "\(numbers.count) of the first 150 frames decoded")
        #expect(numbers == numbers.sorted(), "frames come out in order")
        #expect(numbers.last ?? 0 >= 150, "video goes on to the end")
    }

    @Test("with 100 ms of round trip and 5% loss, ICE measures the round trip, lost packets are recovered by NACK, and each lost packet is sent again about once (NACKs paced by the round trip)")
    func nackPacedByRoundTrip() throws {
        // The loss starts once the call is up: the DTLS handshake's
        // retransmissions run on the wall clock, not on virtual time.
        var call = try SimulatedCall(conditions: SimulatedLinkConditions(delay: .milliseconds(50)), seed: 21)
        try call.negotiate()
        try call.run(for: .seconds(20)) { $0.bothConnected }
        #expect(call.bothConnected)
        call.network.conditions.loss = 0.05
        let encoder = try VP8Encoder(configuration: .init(width: 320, height: 240, frameRate: 30, bitrate: 500_000))
        var source = try TestPatternSource(width: 320, height: 240, frameRate: 30)
        // Long enough for consent checks to have measured the round trip.
        try Self.sendFrames(150, on: &call, encoder: encoder, source: &source)
        try call.run(for: .milliseconds(500))
        let receiver = call.answerer.statistics
        let sender = call.offerer.statistics
        let rtt = try #require(receiver.currentRoundTripTime)
        #expect(rtt >= .milliseconds(90) && rtt <= .milliseconds(130), "ICE's round trip: \(rtt)")
        #expect(receiver.packetsRecovered > 0, "\(receiver.packetsRecovered) recovered")
        // Each lost media packet is retransmitted about once: paced NACKs do
        // not ask again while a retransmission is on its way (some
        // retransmissions are lost too and asked for again).
        let lostMedia = Double(receiver.packetsRecovered)
        #expect(Double(sender.packetsRetransmitted) <= lostMedia * 1.6 + 5,
            "\(sender.packetsRetransmitted) retransmissions for \(receiver.packetsRecovered) recovered packets")
    }

    @Test("after an outage too long for NACK the receiver sends a PLI, gets a key frame, and video resumes; the outage counts as one freeze of at least its length")
    func outage() throws {
        var call = try SimulatedCall(conditions: SimulatedLinkConditions(delay: .milliseconds(20)), seed: 5)
        try call.negotiate()
        try call.run(for: .seconds(10)) { $0.bothConnected }
        let encoder = try VP8Encoder(configuration: .init(width: 320, height: 240, frameRate: 30, bitrate: 500_000))
        var source = try TestPatternSource(width: 320, height: 240, frameRate: 30)
        try Self.sendFrames(30, on: &call, encoder: encoder, source: &source)
        call.network.conditions.loss = 1  // 1.5 s of nothing getting through: more packets than NACKs may ask for
        try Self.sendFrames(45, on: &call, encoder: encoder, source: &source, startWithKeyFrame: false)
        call.network.conditions.loss = 0
        try Self.sendFrames(60, on: &call, encoder: encoder, source: &source, startWithKeyFrame: false)
        try call.run(for: .milliseconds(300))

        #expect(call.answerer.statistics.keyFrameRequestsSent > 0)
        #expect(call.offerer.statistics.keyFrameRequestsReceived > 0)
        #expect(call.offerer.statistics.keyFramesSent > 1, "the sender answered the PLI with a key frame")
        let numbers = try Self.decodedFrameNumbers(call.receivedFrames)
        #expect(numbers.prefix(30) == ArraySlice(0..<30))
        #expect(numbers == numbers.sorted(), "frames come out in order")
        #expect(numbers.last == 134, "video resumes to the last frame")
        #expect(numbers.count >= 80, "\(numbers.count) of 135 frames decoded")
        let inbound = try #require(call.answerer.statistics.inbound.first)
        #expect(inbound.freezeCount == 1, "\(inbound.freezeCount) freezes")
        #expect(inbound.totalFreezesDuration >= .milliseconds(1500), "\(inbound.totalFreezesDuration) frozen")
    }

    @Test("the answerer's candidates never reach the offerer: peer-reflexive candidates connect the call")
    func peerReflexiveOnly() throws {
        var call = try SimulatedCall()
        call.trickleToOfferer = false
        try call.negotiate()
        try call.run(for: .seconds(10)) { $0.bothConnected }
        #expect(call.bothConnected)
    }

    @Test("a fingerprint that does not match the peer's certificate fails the call and no media flows")
    func fingerprintMismatch() throws {
        var call = try SimulatedCall(answererCertificate: .tamperedFingerprint)
        try call.negotiate()
        try call.run(for: .seconds(10)) { $0.offerer.connectionState == .failed }
        #expect(call.offerer.connectionState == .failed)
        let sent = call.offerer.sendFrame(
            [0x10, 0x02, 0x00], isKeyFrame: true, captureTime: call.now, onTransceiver: call.offererTracks[.video]!, at: call.now)
        #expect(sent == false)
        try call.run(for: .seconds(2))
        #expect(call.receivedFrames.isEmpty)
        #expect(call.answerer.statistics.packetsReceived == 0)
    }

    @Test("remote candidates that arrive before the remote description are held and used")
    func candidatesBeforeDescription() throws {
        var call = try SimulatedCall()
        let offer = try call.offerer.createOffer()
        try call.offerer.setLocalDescription(offer, at: call.now)
        // The offerer's candidates reach the answerer before its offer does.
        var early: [RTCIceCandidate] = []
        while let event = call.offerer.pollEvent() {
            if case .localCandidate(let candidate) = event { early.append(candidate) }
        }
        #expect(!early.isEmpty)
        for candidate in early { try call.answerer.addIceCandidate(candidate, at: call.now) }
        // A TCP candidate and an mDNS name, as browsers send, are taken in stride.
        try call.answerer.addIceCandidate(RTCIceCandidate(candidate: "candidate:9 1 tcp 1518280447 10.0.0.1 9 typ host tcptype active generation 0", sdpMid: "0"), at: call.now)
        try call.answerer.addIceCandidate(RTCIceCandidate(candidate: "candidate:8 1 udp 2122260223 4c2a0d43-1f4b-4c33-9a33-2d5f3c1b3e7a.local 50000 typ host generation 0", sdpMid: "0"), at: call.now)
        call.trickleToAnswerer = false
        try call.answerer.setRemoteDescription(offer, at: call.now)
        let answer = try call.answerer.createAnswer()
        try call.answerer.setLocalDescription(answer, at: call.now)
        try call.offerer.setRemoteDescription(answer, at: call.now)
        try call.answerer.addIceCandidate(RTCIceCandidate(candidate: "", sdpMid: "0"), at: call.now)  // end of candidates
        try call.pump()
        try call.run(for: .seconds(10)) { $0.bothConnected }
        #expect(call.bothConnected)
    }

    @Test("malformed descriptions and candidates give typed errors")
    func malformedInput() throws {
        let core = PeerConnectionCore(configuration: .init(certificate: try .init()))
        #expect(throws: PeerConnectionError.self) {
            try core.setRemoteDescription(RTCSessionDescription(type: .offer, sdp: "v=0\r\nthis is not sdp\r\n"), at: .now)
        }
        #expect(throws: PeerConnectionError.self) { try core.createAnswer() }
        let offerer = PeerConnectionCore(configuration: .init(certificate: try .init()))
        offerer.addTrack(kind: .video)
        let offer = try offerer.createOffer()
        try core.setRemoteDescription(offer, at: .now)
        #expect(throws: PeerConnectionError.self) {
            try core.addIceCandidate(RTCIceCandidate(candidate: "candidate:garbage", sdpMid: "0"), at: .now)
        }
        // Garbage datagrams of every first-byte class are dropped without harm.
        for first: UInt8 in [0, 1, 22, 128, 200, 255] {
            core.handle(datagram: [first, 0xFF, 0x00, 0x10], from: .init("10.0.0.9:9")!, to: .init("10.0.0.2:6000")!, at: .now)
        }
        #expect(core.connectionState == .new)
    }
}
