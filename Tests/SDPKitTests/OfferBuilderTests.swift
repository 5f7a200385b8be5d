import SDPKit
import Testing

@Suite("JSEP offer builder")
struct OfferBuilderTests {
    static let vp8 = RTPCodec.vp8(payloadType: 96, feedback: [.nack, .pli, .fir, .remb, .transportCC])
    static let rtx = RTPCodec(payloadType: 97, name: "rtx", clockRate: 90000, formatParameters: "apt=96")

    static func options(media: [OfferedMedia]? = nil) -> OfferOptions {
        OfferOptions(
            iceCredentials: TestValues.credentials, fingerprint: TestValues.fingerprint,
            media: media ?? [
                OfferedMedia(kind: .video, mid: "0", direction: .sendonly, codecs: [vp8, rtx], sendingTrack: TestValues.videoTrack),
                OfferedMedia(kind: .audio, mid: "1", direction: .recvonly, codecs: [.opus()], sendingTrack: TestValues.audioTrack),
            ],
            sessionID: 4_611_686_018_427_387_904)
    }

    @Test("the offer has everything Chromium expects, in Chromium's layout")
    func chromiumShape() throws {
        let offer = try JSEP.createOffer(Self.options())
        let lines = TestValues.lines(of: offer)
        #expect(Array(lines.prefix(7)) == [
            "v=0", "o=- 4611686018427387904 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
            "a=group:BUNDLE 0 1", "a=extmap-allow-mixed", "a=msid-semantic: WMS stream-1",
        ])
        let video = TestValues.lines(of: offer.mediaSections[0])
        #expect(video == [
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:Swft",
            "a=ice-pwd:abcdefghijklmnopqrstuvwx",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 \(TestValues.fingerprint.value)",
            "a=setup:actpass",
            "a=mid:0",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=sendonly",
            "a=msid:stream-1 video-1",
            "a=rtcp-mux",
            "a=rtcp-rsize",
            "a=rtpmap:96 VP8/90000",
            "a=rtcp-fb:96 nack",
            "a=rtcp-fb:96 nack pli",
            "a=rtcp-fb:96 ccm fir",
            "a=rtcp-fb:96 goog-remb",
            "a=rtcp-fb:96 transport-cc",
            "a=rtpmap:97 rtx/90000",
            "a=fmtp:97 apt=96",
            "a=ssrc-group:FID 1111 2222",
            "a=ssrc:1111 cname:swift-cname",
            "a=ssrc:1111 msid:stream-1 video-1",
            "a=ssrc:2222 cname:swift-cname",
            "a=ssrc:2222 msid:stream-1 video-1",
        ])
        // A recvonly section carries no msid or ssrc even when a track is given.
        let audio = offer.mediaSections[1]
        #expect(audio.msid == nil && audio.ssrcs.isEmpty)
        #expect(TestValues.lines(of: audio).first == "m=audio 9 UDP/TLS/RTP/SAVPF 111")
        #expect(TestValues.lines(of: audio).contains("a=fmtp:111 minptime=10;useinbandfec=1"))
        #expect(offer.description.hasSuffix("\r\n"))
    }

    @Test("the offer parses back into the same model with the requested values")
    func parsesBack() throws {
        let offer = try JSEP.createOffer(Self.options())
        let parsed = try SessionDescription(parsing: offer.description)
        #expect(parsed == offer)
        #expect(parsed.bundleGroup == ["0", "1"])
        #expect(parsed.mediaSections.map(\.mid) == ["0", "1"])
        #expect(parsed.mediaSections.map(\.direction) == [.sendonly, .recvonly])
        let video = parsed.mediaSections[0]
        #expect(video.codecs == [Self.vp8, Self.rtx])
        #expect(video.ssrcs == [1111, 2222])
        #expect(video.cname(of: 2222) == "swift-cname")
        #expect(video.ssrcGroups == [SSRCGroupAttribute(semantics: "FID", ssrcs: [1111, 2222])])
        #expect(video.headerExtensions == [RTPHeaderExtension(id: 1, uri: RTPHeaderExtension.midURI)])
        for section in parsed.mediaSections {
            #expect(parsed.iceCredentials(for: section) == TestValues.credentials)
            #expect(parsed.fingerprints(for: section) == [TestValues.fingerprint])
            #expect(parsed.fingerprints(for: section).first?.digest == TestValues.digest)
            #expect(parsed.setup(for: section) == .actpass)
            #expect(parsed.iceOptions(for: section) == ["trickle"])
            #expect(section.isRTCPMuxed && section.isRTCPReducedSize)
            #expect(section.port == 9 && section.connection == ConnectionData())
        }
        #expect(parsed.mediaSections[1].codecs == [.opus()])
    }

    @Test("gathered candidates and end-of-candidates go in the first section")
    func candidates() throws {
        var options = Self.options()
        let candidate = ICECandidate(foundation: "1", priority: 2_122_260_223, address: "192.0.2.1", port: 50000, type: .host, generation: 0)
        options.candidates = [candidate]
        options.endOfCandidates = true
        let offer = try JSEP.createOffer(options)
        #expect(offer.mediaSections[0].candidates == [candidate])
        #expect(offer.mediaSections[0].hasEndOfCandidates)
        #expect(offer.mediaSections[1].candidates.isEmpty)
        #expect(TestValues.lines(of: offer.mediaSections[0]).contains("a=candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host generation 0"))
    }

    @Test("a data channel section")
    func dataChannel() throws {
        let offer = try JSEP.createOffer(Self.options(media: [.dataChannel(mid: "0")]))
        let section = try #require(offer.mediaSections.first)
        #expect(TestValues.lines(of: section).first == "m=application 9 UDP/DTLS/SCTP webrtc-datachannel")
        #expect(section.sctpPort == 5000)
        #expect(section.maxMessageSize == 262_144)
        #expect(section.mid == "0")
        #expect(offer.attribute(named: "msid-semantic")?.value == " WMS")
        #expect(try SessionDescription(parsing: offer.description) == offer)
    }

    @Test("invalid options throw invalidOptions", arguments: [
        "short ufrag", "bad pwd", "bad fingerprint", "no media", "duplicate mid", "mid with space",
        "no codecs", "duplicate payload type", "payload type 128", "duplicate extension id",
    ])
    func invalidOptions(which: String) {
        var options = Self.options()
        switch which {
        case "short ufrag": options.iceCredentials.ufrag = "abc"
        case "bad pwd": options.iceCredentials.pwd = "has spaces in it but is long enough"
        case "bad fingerprint": options.fingerprint = Fingerprint(hashFunction: "sha-256", value: "not hex")
        case "no media": options.media = []
        case "duplicate mid": options.media[1].mid = "0"
        case "mid with space": options.media[0].mid = "a b"
        case "no codecs": options.media[0].codecs = []
        case "duplicate payload type": options.media[0].codecs = [Self.vp8, Self.vp8]
        case "payload type 128": options.media[0].codecs = [RTPCodec.vp8(payloadType: 128)]
        default: options.media[0].headerExtensions = [RTPHeaderExtension(id: 1, uri: "urn:a"), RTPHeaderExtension(id: 1, uri: "urn:b")]
        }
        #expect {
            try JSEP.createOffer(options)
        } throws: { error in
            (error as? SDPError)?.code == .invalidOptions
        }
    }
}

@Suite("Chromium answers SDPKit's offer")
struct ChromiumAnswersOfferTests {
    @Test("Chromium's answer to the builder's offer keeps the mids and VP8/RTX payload types")
    func chromiumAnswer() throws {
        let offer = try JSEP.createOffer(OfferBuilderTests.options())
        let answer = try SessionDescription(parsing: try Fixture.text("chromium-answer-to-sdpkit-offer.sdp"))
        #expect(answer.mediaSections.map(\.mid) == offer.mediaSections.map(\.mid))
        #expect(answer.mediaSections.map(\.kind) == offer.mediaSections.map(\.kind))
        #expect(answer.bundleGroup == offer.bundleGroup)
        // Offer: video sendonly, audio recvonly; Chromium has no track to send.
        #expect(answer.mediaSections.map(\.direction) == [.recvonly, .inactive])
        let video = answer.mediaSections[0]
        #expect(video.codecs.map(\.payloadType) == [96, 97])
        #expect(video.codec(named: "VP8")?.payloadType == 96)
        #expect(video.codec(named: "rtx")?.parameter("apt") == "96")
        let offeredFeedback = Set(OfferBuilderTests.vp8.feedback)
        let answeredFeedback = Set(try #require(video.codec(named: "VP8")).feedback)
        #expect(answeredFeedback.isSubset(of: offeredFeedback))
        #expect(answeredFeedback.contains(.pli))
        #expect(video.headerExtensions.map(\.uri) == [RTPHeaderExtension.midURI])
        #expect(answer.mediaSections.allSatisfy { answer.setup(for: $0) == .active && $0.isRTCPMuxed })
        #expect(answer.mediaSections[1].codec(named: "opus")?.payloadType == 111)
        #expect(try SessionDescription(parsing: answer.description) == answer)
    }
}
