import SDPKit
import Testing

@Suite("An offer laid out as Firefox writes it")
struct FirefoxStyleOfferTests {
    let offer: SessionDescription

    init() throws {
        offer = try SessionDescription(parsing: try Fixture.text("handwritten-firefox-style-offer.sdp"))
    }

    @Test("session-level fingerprint and ice-options apply to every section; media-level ICE credentials win")
    func levels() throws {
        for section in offer.mediaSections {
            #expect(section.fingerprints.isEmpty)
            #expect(offer.fingerprints(for: section).first?.value.hasPrefix("4B:1F") == true)
            #expect(offer.iceOptions(for: section) == ["trickle"])
            #expect(offer.iceCredentials(for: section) == ICECredentials(ufrag: "5f3e1c2a", pwd: "2b2a8a3d1e9f4c6e8a7b5c4d3e2f1a0b"))
            #expect(offer.setup(for: section) == .actpass)
        }
        #expect(offer.attribute(named: "msid-semantic")?.content == .msidSemantic(MSIDSemanticAttribute(semantic: "WMS", streamIDs: ["*"])))
    }

    @Test("its fields: extmap direction, telephone-event fmtp, candidates, end-of-candidates")
    func fields() throws {
        let audio = offer.mediaSections[0]
        #expect(audio.headerExtensions[1] == RTPHeaderExtension(id: 2, uri: "urn:ietf:params:rtp-hdrext:csrc-audio-level", direction: .recvonly))
        #expect(audio.codec(named: "telephone-event")?.formatParameters == "0-15")
        #expect(audio.codec(named: "G722")?.channels == 1)
        let video = offer.mediaSections[1]
        #expect(video.codec(named: "VP8")?.payloadType == 120)
        #expect(video.hasEndOfCandidates)
        #expect(video.candidates.map(\.transport) == [.udp, .tcp])
        #expect(video.candidates.map(\.transport.rawValue) == ["UDP", "TCP"])
        #expect(video.ssrcGroups.first?.ssrcs == [3_366_240_116, 1_127_735_412])
    }

    @Test("the answer uses Firefox's VP8 and RTX payload types")
    func answer() throws {
        let options = AnswerOptions(
            iceCredentials: TestValues.credentials, fingerprint: TestValues.fingerprint,
            video: MediaCapabilities(codecs: [.vp8(), .rtx()], direction: .recvonly))
        let answer = try JSEP.createAnswer(to: offer, options: options)
        #expect(answer.mediaSections[0].isRejected)
        let video = answer.mediaSections[1]
        #expect(video.payloadTypes == [120, 124])
        #expect(video.codecs[0].feedback == [.nack, .pli, .fir])
        #expect(video.codecs[1].parameter("apt") == "120")
        #expect(video.direction == .recvonly)
        #expect(video.headerExtensions == [RTPHeaderExtension(id: 3, uri: RTPHeaderExtension.midURI)])
        #expect(answer.bundleGroup == ["1"])
        #expect(!answer.isExtmapAllowMixed)
    }
}
