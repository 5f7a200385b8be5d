import SDPKit
import Testing

@Suite("JSEP answer builder against Chromium's offers")
struct AnswerBuilderTests {
    let offer: SessionDescription

    init() throws {
        offer = try SessionDescription(parsing: try Fixture.text("chromium-offer-sendrecv-audio-video.sdp"))
    }

    static func options(
        audio: MediaCapabilities? = nil,
        video: MediaCapabilities? = MediaCapabilities(codecs: [.vp8()], direction: .recvonly),
        setup: SetupRole = .active
    ) -> AnswerOptions {
        AnswerOptions(
            iceCredentials: TestValues.credentials, fingerprint: TestValues.fingerprint, setup: setup,
            audio: audio, video: video, sessionID: 77)
    }

    @Test("video-only receiver: Chromium's VP8 payload type, same mids and order, audio rejected with port 0")
    func videoOnlyReceiver() throws {
        let answer = try JSEP.createAnswer(to: offer, options: Self.options())
        #expect(answer.mediaSections.map(\.kind) == offer.mediaSections.map(\.kind))
        #expect(answer.mediaSections.map(\.mid) == offer.mediaSections.map(\.mid))
        #expect(answer.mediaSections.map(\.proto) == offer.mediaSections.map(\.proto))

        let audio = answer.mediaSections[0]
        #expect(audio.port == 0)
        #expect(audio.isRejected)
        // Strict peers validate rejected sections too: they carry what Chromium's do.
        #expect(TestValues.lines(of: audio) == [
            "m=audio 0 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=ice-ufrag:Swft", "a=ice-pwd:abcdefghijklmnopqrstuvwx",
            "a=ice-options:trickle", "a=fingerprint:\(TestValues.fingerprint)", "a=setup:active", "a=mid:0", "a=inactive", "a=rtcp-mux",
        ])

        let video = answer.mediaSections[1]
        let offeredVP8 = try #require(offer.mediaSections[1].codec(named: "VP8"))
        #expect(video.payloadTypes == [offeredVP8.payloadType])
        #expect(video.codecs.map(\.name) == ["VP8"])
        // Only the feedback we support, in the offer's order.
        #expect(video.codecs.first?.feedback == [.fir, .nack, .pli])
        #expect(video.direction == .recvonly)
        #expect(video.port == 9)
        #expect(video.isRTCPMuxed && video.isRTCPReducedSize)
        #expect(answer.setup(for: video) == .active)
        #expect(answer.iceCredentials(for: video) == TestValues.credentials)
        #expect(answer.fingerprints(for: video) == [TestValues.fingerprint])
        #expect(answer.iceOptions(for: video) == ["trickle"])
        // Only the mid header extension, with the offer's id.
        let offeredMid = try #require(offer.mediaSections[1].headerExtensions.first { $0.uri == RTPHeaderExtension.midURI })
        #expect(video.headerExtensions == [RTPHeaderExtension(id: offeredMid.id, uri: RTPHeaderExtension.midURI)])
        #expect(video.msid == nil && video.ssrcs.isEmpty)

        #expect(answer.bundleGroup == ["1"])
        #expect(answer.isExtmapAllowMixed)
        #expect(answer.origin.sessionID == 77)
        #expect(try SessionDescription(parsing: answer.description) == answer)
    }

    @Test("the answer's video section in full")
    func videoSectionText() throws {
        let answer = try JSEP.createAnswer(to: offer, options: Self.options())
        #expect(TestValues.lines(of: answer.mediaSections[1]) == [
            "m=video 9 UDP/TLS/RTP/SAVPF 96",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:Swft",
            "a=ice-pwd:abcdefghijklmnopqrstuvwx",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 \(TestValues.fingerprint.value)",
            "a=setup:active",
            "a=mid:1",
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=recvonly",
            "a=rtcp-mux",
            "a=rtcp-rsize",
            "a=rtpmap:96 VP8/90000",
            "a=rtcp-fb:96 ccm fir",
            "a=rtcp-fb:96 nack",
            "a=rtcp-fb:96 nack pli",
        ])
        #expect(Array(TestValues.lines(of: answer).prefix(7)) == [
            "v=0", "o=- 77 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 1", "a=extmap-allow-mixed", "a=msid-semantic: WMS",
        ])
    }

    @Test("audio accepted as Opus when the caller supports it")
    func audioAccepted() throws {
        let answer = try JSEP.createAnswer(to: offer, options: Self.options(audio: MediaCapabilities(codecs: [.opus()], direction: .recvonly)))
        let audio = answer.mediaSections[0]
        #expect(!audio.isRejected)
        #expect(audio.codecs == [RTPCodec(payloadType: 111, name: "opus", clockRate: 48000, channels: 2, formatParameters: "minptime=10;useinbandfec=1")])
        #expect(audio.direction == .recvonly)
        #expect(answer.bundleGroup == ["0", "1"])
    }

    @Test("RTX is kept only for the accepted codec's apt")
    func rtx() throws {
        let video = MediaCapabilities(codecs: [.vp8(), .rtx()], direction: .recvonly)
        let answer = try JSEP.createAnswer(to: offer, options: Self.options(video: video))
        let codecs = answer.mediaSections[1].codecs
        #expect(codecs.map(\.name) == ["VP8", "rtx"])
        #expect(codecs[1].parameter("apt") == String(codecs[0].payloadType))
        #expect(codecs[1].payloadType == 97)
        #expect(codecs[1].feedback.isEmpty)
    }

    @Test("required format parameters pick one H264 variant")
    func requiredParameters() throws {
        let h264 = CodecCapability(name: "H264", clockRate: 90000, requiredParameters: ["packetization-mode": "1", "profile-level-id": "42e01f"])
        let answer = try JSEP.createAnswer(to: offer, options: Self.options(video: MediaCapabilities(codecs: [h264], direction: .recvonly)))
        let offered = offer.mediaSections[1].codecs.filter {
            $0.name == "H264" && $0.parameter("packetization-mode") == "1" && $0.parameter("profile-level-id") == "42e01f"
        }
        #expect(offered.count == 1)
        let codecs = answer.mediaSections[1].codecs
        #expect(codecs.map(\.payloadType) == offered.map(\.payloadType))
        #expect(codecs.first?.formatParameters == offered.first?.formatParameters)
        #expect(codecs.first?.feedback == [])  // the capability lists no feedback
    }

    @Test("no common codec rejects the m-line and drops it from BUNDLE")
    func noCommonCodec() throws {
        let h265 = CodecCapability(name: "H265", clockRate: 90000)
        let answer = try JSEP.createAnswer(
            to: offer,
            options: Self.options(audio: MediaCapabilities(codecs: [.opus()], direction: .recvonly), video: MediaCapabilities(codecs: [h265], direction: .recvonly)))
        #expect(answer.mediaSections[1].port == 0)
        #expect(answer.mediaSections[1].mid == "1")
        #expect(answer.bundleGroup == ["0"])
    }

    @Test("directions: the wish intersected with the offer", arguments: [
        (Direction.sendrecv, Direction.recvonly, Direction.recvonly),
        (.sendrecv, .sendrecv, .sendrecv),
        (.sendrecv, .sendonly, .sendonly),
        (.sendonly, .recvonly, .recvonly),
        (.sendonly, .sendrecv, .recvonly),
        (.sendonly, .sendonly, .inactive),
        (.recvonly, .sendrecv, .sendonly),
        (.recvonly, .recvonly, .inactive),
        (.inactive, .sendrecv, .inactive),
    ])
    func directions(offered: Direction, wish: Direction, expected: Direction) throws {
        var edited = offer
        edited.mediaSections[1].lines = edited.mediaSections[1].lines.map { line in
            if case .attribute(let attribute) = line, case .direction = attribute.content {
                return .attribute(SDPAttribute(.direction(offered)))
            }
            return line
        }
        #expect(edited.mediaSections[1].direction == offered)
        let video = MediaCapabilities(codecs: [.vp8(), .rtx()], direction: wish, sendingTrack: TestValues.videoTrack)
        let answer = try JSEP.createAnswer(to: edited, options: Self.options(video: video))
        let section = answer.mediaSections[1]
        #expect(section.direction == expected)
        #expect(wish.answering(offered: offered) == expected)
        if expected.sends {
            #expect(section.msid == MSIDAttribute(streamID: "stream-1", trackID: "video-1"))
            #expect(section.ssrcs == [1111, 2222])
            #expect(section.ssrcGroups.first?.ssrcs == [1111, 2222])
            #expect(answer.attribute(named: "msid-semantic")?.value == " WMS stream-1")
        } else {
            #expect(section.msid == nil && section.ssrcs.isEmpty)
        }
    }

    @Test("the sendonly Chromium offer gets a recvonly answer")
    func sendonlyOffer() throws {
        let sendonly = try SessionDescription(parsing: try Fixture.text("chromium-offer-sendonly-video.sdp"))
        let answer = try JSEP.createAnswer(to: sendonly, options: Self.options(video: MediaCapabilities(codecs: [.vp8()], direction: .sendrecv)))
        #expect(answer.mediaSections.map(\.direction) == [.recvonly])
        #expect(answer.mediaSections.map(\.mid) == ["0"])
        #expect(answer.bundleGroup == ["0"])
    }

    @Test("setup answers the offer's role", arguments: [
        (SetupRole.actpass, SetupRole.active, SetupRole.active),
        (.actpass, .passive, .passive),
        (.active, .active, .passive),
        (.passive, .passive, .active),
    ])
    func setupRoles(offered: SetupRole, preferred: SetupRole, expected: SetupRole) throws {
        let edited = Self.replacingAttributes(in: offer) { content in
            if case .setup = content { return .setup(offered) }
            return content
        }
        let answer = try JSEP.createAnswer(to: edited, options: Self.options(setup: preferred))
        #expect(answer.setup(for: answer.mediaSections[1]) == expected)
    }

    @Test("an offer with setup holdconn cannot be answered")
    func holdconn() throws {
        let edited = Self.replacingAttributes(in: offer) { content in
            if case .setup = content { return .setup(.holdconn) }
            return content
        }
        let error = try #require(throws: SDPError.self) { try JSEP.createAnswer(to: edited, options: Self.options()) }
        #expect(error.code == .negotiationFailed)
    }

    @Test("an offer without fingerprint or ICE credentials cannot be answered", arguments: ["fingerprint", "ice-pwd"])
    func missingTransport(name: String) throws {
        var edited = offer
        for index in edited.mediaSections.indices {
            edited.mediaSections[index].lines.removeAll { $0.attribute?.name == name }
        }
        let error = try #require(throws: SDPError.self) { try JSEP.createAnswer(to: edited, options: Self.options()) }
        #expect(error.code == .negotiationFailed)
    }

    @Test("session-level ICE credentials and fingerprint are used when the media level has none")
    func sessionLevelTransport() throws {
        var edited = offer
        let moved = edited.mediaSections[0].attributes.filter { ["ice-ufrag", "ice-pwd", "fingerprint"].contains($0.name) }
        for index in edited.mediaSections.indices {
            edited.mediaSections[index].lines.removeAll { ["ice-ufrag", "ice-pwd", "fingerprint"].contains($0.attribute?.name ?? "") }
        }
        edited.lines += moved.map { .attribute($0) }
        let reparsed = try SessionDescription(parsing: edited.description)
        let section = reparsed.mediaSections[1]
        #expect(section.iceUfrag == nil)
        #expect(reparsed.iceCredentials(for: section) == offer.iceCredentials(for: offer.mediaSections[1]))
        #expect(reparsed.fingerprints(for: section) == offer.mediaSections[1].fingerprints)
        #expect(try JSEP.createAnswer(to: reparsed, options: Self.options()).mediaSections[1].port == 9)
    }

    @Test("an m-line without rtcp-mux is rejected (this stack always multiplexes RTCP)")
    func withoutRTCPMux() throws {
        var edited = offer
        edited.mediaSections[1].lines.removeAll { $0.attribute?.content == .rtcpMux }
        let answer = try JSEP.createAnswer(to: edited, options: Self.options())
        #expect(answer.mediaSections[1].isRejected)
    }

    @Test("data channel sections are accepted only when asked")
    func dataChannel() throws {
        let dataOffer = try SessionDescription(parsing: try Fixture.text("chromium-offer-datachannel.sdp"))
        var options = Self.options()
        let rejected = try JSEP.createAnswer(to: dataOffer, options: options)
        #expect(TestValues.lines(of: rejected.mediaSections[0]).first == "m=application 0 UDP/DTLS/SCTP webrtc-datachannel")
        #expect(rejected.bundleGroup == [])
        options.acceptsDataChannel = true
        let accepted = try JSEP.createAnswer(to: dataOffer, options: options)
        let section = accepted.mediaSections[0]
        #expect(TestValues.lines(of: section).first == "m=application 9 UDP/DTLS/SCTP webrtc-datachannel")
        #expect(section.sctpPort == 5000)
        #expect(accepted.setup(for: section) == .active)
        #expect(accepted.bundleGroup == ["0"])
    }

    @Test("an m-line the offer already rejected stays rejected")
    func alreadyRejected() throws {
        var edited = offer
        edited.mediaSections[1].port = 0
        let answer = try JSEP.createAnswer(to: edited, options: Self.options())
        #expect(answer.mediaSections[1].isRejected)
    }

    @Test("candidates and end-of-candidates go in the first accepted section")
    func candidates() throws {
        var options = Self.options()
        let candidate = ICECandidate(foundation: "7", priority: 2_122_260_223, address: "192.0.2.1", port: 40000, type: .host)
        options.candidates = [candidate]
        options.endOfCandidates = true
        let answer = try JSEP.createAnswer(to: offer, options: options)
        #expect(answer.mediaSections[0].candidates.isEmpty)
        #expect(answer.mediaSections[1].candidates == [candidate])
        #expect(answer.mediaSections[1].hasEndOfCandidates)
    }

    @Test("invalid answer options throw invalidOptions")
    func invalidOptions() {
        #expect {
            try JSEP.createAnswer(to: offer, options: Self.options(setup: .actpass))
        } throws: { error in
            (error as? SDPError)?.code == .invalidOptions
        }
        var options = Self.options()
        options.iceCredentials.pwd = "short"
        #expect {
            try JSEP.createAnswer(to: offer, options: options)
        } throws: { error in
            (error as? SDPError)?.code == .invalidOptions
        }
    }

    static func replacingAttributes(in description: SessionDescription, _ transform: (SDPAttribute.Content) -> SDPAttribute.Content) -> SessionDescription {
        var copy = description
        func map(_ line: SDPLine) -> SDPLine {
            if case .attribute(let attribute) = line { return .attribute(SDPAttribute(transform(attribute.content))) }
            return line
        }
        copy.lines = copy.lines.map(map)
        for index in copy.mediaSections.indices { copy.mediaSections[index].lines = copy.mediaSections[index].lines.map(map) }
        return copy
    }
}
