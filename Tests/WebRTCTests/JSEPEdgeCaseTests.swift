import CodecBridge
import Foundation
import Testing
import TestSupport
import WebRTC

/// Descriptions at the edges of JSEP: many m-sections, sections that would
/// only fail when answered, re-offers that must keep every m-line in place,
/// and a remote peer reusing a rejected m-line.
@Suite("JSEP edge cases")
struct JSEPEdgeCaseTests {
    static func core(codecs: [MediaCodec] = [.opus, .vp8]) throws -> PeerConnectionCore {
        PeerConnectionCore(configuration: .init(certificate: try .init(), codecs: codecs))
    }

    static func offer(videoTracks: Int, audioTracks: Int = 0) throws -> (PeerConnectionCore, RTCSessionDescription) {
        let offerer = try core()
        for _ in 0..<videoTracks { offerer.addTrack(kind: .video) }
        for _ in 0..<audioTracks { offerer.addTrack(kind: .audio) }
        return (offerer, try offerer.createOffer())
    }

    @Test("an offer of 33 m-sections is refused with a typed error and creates no transceiver")
    func tooManySections() throws {
        let (_, offer) = try Self.offer(videoTracks: 33)
        let answerer = try Self.core()
        #expect(throws: PeerConnectionError.self) { try answerer.setRemoteDescription(offer, at: .now) }
        #expect(answerer.transceivers.isEmpty && answerer.signalingState == .stable)
    }

    @Test("an offer whose second section says holdconn, lacks credentials, or whose ufrag is too long is refused when set, leaving the state stable")
    func refusedBeforeAnswering() throws {
        let (_, offer) = try Self.offer(videoTracks: 1, audioTracks: 1)
        let lines = offer.sdp.components(separatedBy: "\r\n")
        let secondSection = try #require(lines.indices.filter { lines[$0].hasPrefix("m=") }.last)
        func editingSecond(_ transform: (String) -> String?) -> String {
            lines.enumerated().compactMap { index, line in index > secondSection ? transform(line) : line }.joined(separator: "\r\n")
        }
        let broken = [
            ("holdconn", editingSecond { $0.hasPrefix("a=setup:") ? "a=setup:holdconn" : $0 }),
            ("no credentials", editingSecond { $0.hasPrefix("a=ice-") ? nil : $0 }),
            ("a 300-character ufrag", offer.sdp.replacingOccurrences(of: "a=ice-ufrag:", with: "a=ice-ufrag:" + String(repeating: "u", count: 300))),
        ]
        for (what, sdp) in broken {
            let answerer = try Self.core()
            #expect(throws: PeerConnectionError.self, "\(what)") {
                try answerer.setRemoteDescription(RTCSessionDescription(type: .offer, sdp: sdp), at: .now)
            }
            #expect(answerer.signalingState == .stable, "\(what): the state is still stable")
            #expect(throws: PeerConnectionError.self, "\(what): there is nothing to answer") { try answerer.createAnswer() }
        }
    }

    @Test("32 sending video tracks send their reports (SDES split into packets of at most 31 chunks)")
    func manyTracksReport() throws {
        var call = try SimulatedCall(offererSends: [])
        let tracks = (0..<32).map { _ in call.offerer.addTrack(kind: .video, direction: .sendonly) }
        try call.negotiate()
        try call.run(for: .seconds(10)) { $0.bothConnected }
        #expect(call.bothConnected)
        for track in tracks {
            call.offerer.sendFrame([0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A], isKeyFrame: true, captureTime: call.now, onTransceiver: track, at: call.now)
        }
        let reportsBefore = call.offerer.statistics.rtcpPacketsSent
        try call.run(for: .seconds(2))
        #expect(call.offerer.statistics.rtcpPacketsSent > reportsBefore, "sender reports went out")
        #expect(call.answerer.statistics.rtcpPacketsReceived > 0)
        #expect(call.answerer.statistics.inbound.count == 32)
    }

    @Test("a re-offer from the answering side keeps the rejected data channel's m-line in place with port 0, out of BUNDLE")
    func reofferKeepsRejectedLines() throws {
        let call = try SimulatedCall(offererSends: [.video])
        let offer = try call.offerer.createOffer()
        try call.offerer.setLocalDescription(offer, at: call.now)
        // The offer gains a data channel section at the end, as a browser's would.
        let transport = offer.sdp.components(separatedBy: "\r\n").filter {
            $0.hasPrefix("a=ice-ufrag") || $0.hasPrefix("a=ice-pwd") || $0.hasPrefix("a=fingerprint")
        }.prefix(3).joined(separator: "\r\n")
        let withData = offer.sdp.replacingOccurrences(of: "a=group:BUNDLE 0", with: "a=group:BUNDLE 0 1")
            + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n\(transport)\r\na=setup:actpass\r\na=mid:1\r\na=sctp-port:5000\r\n"
        try call.answerer.setRemoteDescription(RTCSessionDescription(type: .offer, sdp: withData), at: call.now)
        try call.answerer.setLocalDescription(try call.answerer.createAnswer(), at: call.now)
        // The answering side adds audio and offers.
        call.answerer.addTrack(kind: .audio)
        let reoffer = try call.answerer.createOffer().sdp
        let mediaLines = reoffer.components(separatedBy: "\r\n").filter { $0.hasPrefix("m=") }
        #expect(mediaLines.count == 3)
        #expect(mediaLines.first?.hasPrefix("m=video 9 ") == true)
        #expect(mediaLines.dropFirst().first == "m=application 0 UDP/DTLS/SCTP webrtc-datachannel")
        #expect(mediaLines.last?.hasPrefix("m=audio 9 ") == true)
        #expect(reoffer.contains("a=group:BUNDLE 0 2\r\n"))
        #expect(reoffer.contains("a=mid:1\r\n"), "the rejected m-line keeps its mid")
    }

    @Test("a remote re-offer that reuses a rejected m-line for a new mid is applied")
    func remoteReusesARejectedLine() throws {
        // The answerer has no VP8, so the offer's video m-line (mid 1) is rejected.
        var call = try SimulatedCall(offererSends: [.audio, .video], answerer: .init(certificate: try .init(), codecs: [.opus]))
        try call.negotiate()
        try call.run(for: .seconds(10)) { $0.bothConnected }
        #expect(call.offerer.transceivers.map(\.currentDirection) == [.sendonly, nil])
        // The offerer's next offer writes m-line 1 with port 0; a browser
        // would reuse it for a new section with a new mid.
        call.offerer.addTrack(kind: .audio)
        var sdp = try call.offerer.createOffer().sdp
        let sections = sdp.components(separatedBy: "m=")
        let rejected = try #require(sections.firstIndex { $0.hasPrefix("video 0 ") })
        var reused = sections[rejected].replacingOccurrences(of: "video 0 ", with: "audio 9 ").replacingOccurrences(of: "a=mid:1", with: "a=mid:7")
        reused = reused.replacingOccurrences(of: "a=inactive", with: "a=sendrecv\r\na=rtpmap:111 opus/48000/2")
        reused = reused.replacingOccurrences(of: "UDP/TLS/RTP/SAVPF 96", with: "UDP/TLS/RTP/SAVPF 111")
        var edited = sections
        edited[rejected] = reused
        sdp = edited.joined(separator: "m=").replacingOccurrences(of: "a=group:BUNDLE 0 2", with: "a=group:BUNDLE 0 7 2")
        try call.answerer.setRemoteDescription(RTCSessionDescription(type: .offer, sdp: sdp), at: call.now)
        #expect(call.answerer.transceivers.compactMap(\.mid) == ["0", "7", "2"])
        #expect(call.answerer.signalingState == .haveRemoteOffer)
    }

    static func removingLines(_ sdp: String, where drop: (String) -> Bool) -> String {
        sdp.components(separatedBy: "\r\n").filter { !drop($0) }.joined(separator: "\r\n")
    }

    @Test("an offer without a=ssrc lines (as some peers write) is received: the stream is bound by its mid extension")
    func unsignalledStreamsAreBound() throws {
        var call = try SimulatedCall(offererSends: [.audio, .video])
        try call.negotiate { Self.removingLines($0) { $0.hasPrefix("a=ssrc") } }
        try call.run(for: .seconds(10)) { $0.bothConnected }
        #expect(call.answerer.transceivers.allSatisfy { $0.receiveSSRC == nil }, "no SSRC was signalled")
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        try SimulatedMedia.run(&call, for: .seconds(1), sending: &media)
        #expect(try AudioVideoCallTests.frameNumbers(call.receivedByAnswerer).count >= 28)
        #expect(call.receivedByAnswerer.filter { $0.kind == .audio }.count >= 48)
        #expect(call.answerer.transceivers.map(\.receiveSSRC) == call.offerer.transceivers.map(\.sendSSRC))
    }

    @Test("with NACK and FIR but not PLI negotiated, losses are NACKed and key frames asked for with FIR, never PLI; with neither, not at all", arguments: [true, false])
    func keyFrameRequestsFollowTheNegotiation(firNegotiated: Bool) throws {
        var call = try SimulatedCall(conditions: SimulatedLinkConditions(delay: .milliseconds(20)), seed: 4, offererSends: [.video])
        try call.negotiate { Self.removingLines($0) { $0.contains(" nack pli") || (!firNegotiated && $0.contains(" ccm fir")) } }
        try call.run(for: .seconds(10)) { $0.bothConnected }
        #expect(call.bothConnected)
        // Loss only once connected (DTLS retransmits on the wall clock, which virtual time outruns).
        call.network.conditions.loss = 0.05
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        try SimulatedMedia.run(&call, for: .seconds(1), sending: &media)
        // An outage too long for NACK (more missing packets than it asks for) drops frames: a key frame is needed.
        call.network.conditions.loss = 1
        try SimulatedMedia.run(&call, for: .seconds(1.5), sending: &media)
        call.network.conditions.loss = 0
        try SimulatedMedia.run(&call, for: .seconds(1.5), sending: &media)
        #expect(call.network.dropped > 0)
        let inbound = try #require(call.answerer.statistics.inbound(.video))
        #expect(inbound.nacksSent > 0, "losses were NACKed")
        #expect(inbound.pliCount == 0, "no PLI without nack pli")
        if firNegotiated {
            #expect(inbound.firCount > 0, "key frames were asked for with FIR")
            #expect(call.offerer.statistics.outbound(.video)?.firCount == inbound.firCount, "each FIR, with its own sequence number, reached the sender")
        } else {
            #expect(inbound.firCount == 0)
        }
    }

    @Test("answering an ICE-lite peer's offer, this side takes the controlling role and the call connects")
    func liteOfferer() throws {
        var call = try SimulatedCall(offererSends: [.video])
        try call.negotiate { $0.replacingOccurrences(of: "a=group:BUNDLE", with: "a=ice-lite\r\na=group:BUNDLE") }
        #expect(call.answerer.iceRole == .controlling, "the full agent controls against a lite one")
        try call.run(for: .seconds(10)) { $0.bothConnected }
        #expect(call.bothConnected)
    }
}
