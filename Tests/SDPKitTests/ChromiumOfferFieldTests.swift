import SDPKit
import Testing

@Suite("Fields of Chromium's offers and answers")
struct ChromiumOfferFieldTests {
    let offer: SessionDescription
    let offerText: String

    init() throws {
        offerText = try Fixture.text("chromium-offer-sendrecv-audio-video.sdp")
        offer = try SessionDescription(parsing: offerText)
    }

    @Test("session level: origin, BUNDLE of both mids, extmap-allow-mixed, msid-semantic")
    func sessionLevel() throws {
        #expect(offer.origin.username == "-")
        #expect(offer.origin.sessionVersion == 2)
        #expect(offer.origin.unicastAddress == "127.0.0.1")
        #expect(offerText.contains("o=- \(offer.origin.sessionID) 2 IN IP4 127.0.0.1\r\n"))
        #expect(offer.sessionName == "-")
        #expect(offer.timing == Timing(start: 0, stop: 0))
        #expect(offer.bundleGroup == ["0", "1"])
        #expect(offer.isExtmapAllowMixed)
        let semantic = try #require(offer.attributes.lazy.compactMap { attribute -> MSIDSemanticAttribute? in
            if case .msidSemantic(let value) = attribute.content { return value }
            return nil
        }.first)
        #expect(semantic.semantic == "WMS")
        #expect(semantic.streamIDs == [try #require(offer.mediaSections[0].msid?.streamID)])
    }

    @Test("media sections: kinds, mids, ports, protocol, directions")
    func mediaSections() throws {
        #expect(offer.mediaSections.map(\.kind) == [.audio, .video])
        #expect(offer.mediaSections.map(\.mid) == ["0", "1"])
        #expect(offer.mediaSections.map(\.proto) == ["UDP/TLS/RTP/SAVPF", "UDP/TLS/RTP/SAVPF"])
        #expect(offer.mediaSections.map(\.direction) == [.sendrecv, .sendrecv])
        #expect(offer.mediaSections.allSatisfy { $0.isRTCPMuxed && $0.isRTCPReducedSize && !$0.isRejected })
        // The m= port is the default candidate's (the srflx one), as is c=.
        let audio = offer.mediaSections[0]
        #expect(audio.connection?.address == "203.0.113.7")
        #expect(audio.port == audio.candidates.first { $0.type == .serverReflexive }?.port)
    }

    @Test("audio payload types and Opus with its fmtp and transport-cc")
    func audioCodecs() throws {
        let audio = offer.mediaSections[0]
        #expect(audio.payloadTypes == [111, 63, 9, 0, 8, 13, 110, 126])
        let opus = try #require(audio.codec(named: "opus"))
        #expect(opus.payloadType == 111)
        #expect(opus.clockRate == 48000)
        #expect(opus.channels == 2)
        #expect(opus.formatParameters == "minptime=10;useinbandfec=1")
        #expect(opus.parameter("useinbandfec") == "1")
        #expect(opus.feedback == [.transportCC])
        let red = try #require(audio.codec(named: "red"))
        #expect(red.formatParameters == "111/111")
        #expect(red.parameters.isEmpty)
        #expect(audio.codecs.map(\.name) == ["opus", "red", "G722", "PCMU", "PCMA", "CN", "telephone-event", "telephone-event"])
    }

    @Test("VP8 is found with its payload type, rtcp-fb list and RTX partner")
    func videoCodecs() throws {
        let video = offer.mediaSections[1]
        #expect(video.payloadTypes.first == 96)
        #expect(video.codecs.count == video.payloadTypes.count)
        let vp8 = try #require(video.codec(named: "vp8"))
        #expect(vp8.payloadType == 96)
        #expect(vp8.name == "VP8")
        #expect(vp8.clockRate == 90000)
        #expect(vp8.channels == nil)
        #expect(vp8.feedback == [.remb, .transportCC, .fir, .nack, .pli])
        let rtx = try #require(video.codecs.first { $0.name == "rtx" && $0.parameter("apt") == "96" })
        #expect(rtx.payloadType == 97)
        let h264 = video.codecs.filter { $0.name == "H264" }
        #expect(h264.map(\.payloadType) == [102, 104, 108, 114, 116, 39])
        #expect(h264.first?.parameter("profile-level-id") == "42001f")
        #expect(video.codec(named: "AV1")?.payloadType == 45)
    }

    @Test("ICE credentials, fingerprint and setup, the same in both sections")
    func transport() throws {
        for section in offer.mediaSections {
            let credentials = try #require(offer.iceCredentials(for: section))
            #expect(credentials == ICECredentials(ufrag: "7a2b", pwd: "5IYEaoaBwOE65XcM7MVTUu1q"))
            #expect(credentials.isValid)
            #expect(offer.iceOptions(for: section) == ["trickle"])
            let fingerprint = try #require(offer.fingerprints(for: section).first)
            #expect(fingerprint.hashFunction == "sha-256")
            #expect(fingerprint.digest?.count == 32)
            #expect(offerText.contains("a=fingerprint:sha-256 \(fingerprint.value)\r\n"))
            #expect(fingerprint.digest?.first == 0x8C)
            #expect(offer.setup(for: section) == .actpass)
        }
    }

    @Test("candidates in the SDP: host UDP, srflx with raddr/rport, TCP active on port 9")
    func candidates() throws {
        for section in offer.mediaSections {
            let candidates = section.candidates
            #expect(candidates.count == 3)
            let host = try #require(candidates.first { $0.type == .host && $0.transport == .udp })
            #expect(host.address == "127.0.0.1")
            #expect(host.addressType == .ipv4)
            #expect(host.component == 1)
            #expect(host.priority == 2_122_260_223)
            #expect(host.generation == 0)
            #expect(host.networkID == 1)
            #expect(host.networkCost == 50)
            #expect(host.ufrag == nil)  // Chromium leaves ufrag out of SDP candidates
            let srflx = try #require(candidates.first { $0.type == .serverReflexive })
            #expect(srflx.address == "203.0.113.7")
            #expect(srflx.relatedAddress == "127.0.0.1")
            #expect(srflx.relatedPort == host.port)
            #expect(srflx.port == host.port + 1000)  // what the capture's STUN server answered
            let tcp = try #require(candidates.first { $0.transport == .tcp })
            #expect(tcp.type == .host)
            #expect(tcp.port == 9)
            #expect(tcp.tcpType == .active)
        }
    }

    @Test("the sending tracks' msid and ssrc lines")
    func tracks() throws {
        let audio = offer.mediaSections[0]
        let video = offer.mediaSections[1]
        let stream = try #require(audio.msid?.streamID)
        #expect(video.msid?.streamID == stream)
        #expect(audio.msid?.trackID != video.msid?.trackID)
        #expect(audio.ssrcs.count == 1)
        #expect(audio.ssrcGroups.isEmpty)
        let group = try #require(video.ssrcGroups.first)
        #expect(group.semantics == "FID")
        #expect(group.ssrcs == video.ssrcs)
        #expect(video.ssrcs.count == 2)
        let cname = try #require(video.cname(of: video.ssrcs[0]))
        #expect(audio.cname(of: audio.ssrcs[0]) == cname)
        #expect(video.ssrcAttributes.filter { $0.name == "msid" }.allSatisfy {
            $0.value == "\(stream) \(video.msid?.trackID ?? "")"
        })
    }

    @Test("header extensions with their ids")
    func headerExtensions() throws {
        let audio = offer.mediaSections[0]
        #expect(audio.headerExtensions.first { $0.uri == RTPHeaderExtension.midURI }?.id == 4)
        #expect(audio.headerExtensions.first { $0.uri == RTPHeaderExtension.audioLevelURI }?.id == 1)
        let video = offer.mediaSections[1]
        #expect(video.headerExtensions.count == 11)
        #expect(video.headerExtensions.first { $0.uri == RTPHeaderExtension.transportWideCCURI }?.id == 3)
        #expect(video.headerExtensions.allSatisfy { $0.direction == nil })
    }

    @Test("the recvonly answer: setup active, recvonly, candidates in the first section only")
    func recvonlyAnswer() throws {
        let answer = try SessionDescription(parsing: try Fixture.text("chromium-answer-recvonly.sdp"))
        #expect(answer.mediaSections.map(\.mid) == ["0", "1"])
        #expect(answer.mediaSections.map(\.direction) == [.recvonly, .recvonly])
        #expect(answer.mediaSections.map { answer.setup(for: $0) } == [.active, .active])
        #expect(answer.bundleGroup == ["0", "1"])
        #expect(answer.mediaSections[0].candidates.count == 2)
        #expect(answer.mediaSections[1].candidates.isEmpty)
        #expect(answer.mediaSections.allSatisfy { $0.ssrcs.isEmpty && $0.msid == nil })
        #expect(answer.mediaSections[1].codec(named: "VP8")?.payloadType == 96)
    }

    @Test("Chromium's rejected m-line: port 0, left out of BUNDLE")
    func rejectedAnswer() throws {
        let answer = try SessionDescription(parsing: try Fixture.text("chromium-answer-rejected-audio.sdp"))
        let audio = answer.mediaSections[0]
        #expect(audio.port == 0)
        #expect(audio.isRejected)
        #expect(audio.mid == "0")
        #expect(!answer.mediaSections[1].isRejected)
        #expect(answer.bundleGroup == ["1"])
    }

    @Test("the sendonly video offer")
    func sendonlyOffer() throws {
        let sendonly = try SessionDescription(parsing: try Fixture.text("chromium-offer-sendonly-video.sdp"))
        #expect(sendonly.mediaSections.count == 1)
        let video = sendonly.mediaSections[0]
        #expect(video.direction == .sendonly)
        #expect(video.kind == .video)
        #expect(video.codec(named: "VP8")?.payloadType == 96)
        #expect(video.ssrcs.count == 2)
    }

    @Test("the data channel offer")
    func dataChannelOffer() throws {
        let description = try SessionDescription(parsing: try Fixture.text("chromium-offer-datachannel.sdp"))
        let section = try #require(description.mediaSections.first)
        #expect(section.kind == .application)
        #expect(section.proto == "UDP/DTLS/SCTP")
        #expect(section.formats == ["webrtc-datachannel"])
        #expect(!section.isRTP)
        #expect(section.payloadTypes.isEmpty)
        #expect(section.codecs.isEmpty)
        #expect(section.sctpPort == 5000)
        #expect(section.maxMessageSize == 262_144)
        #expect(section.mid == "0")
        #expect(description.bundleGroup == ["0"])
        #expect(section.candidates.map(\.transport) == [.udp, .tcp])
    }

    @Test("the offer of track-less transceivers (mDNS mode): no candidates, placeholder ports, msid without a stream")
    func mdnsModeOffer() throws {
        let description = try SessionDescription(parsing: try Fixture.text("chromium-offer-transceivers-mdns-mode.sdp"))
        #expect(description.mediaSections.map(\.kind) == [.video, .audio])
        #expect(description.mediaSections.map(\.port) == [9, 9])
        #expect(description.mediaSections.allSatisfy { $0.candidates.isEmpty && $0.connection == ConnectionData() })
        #expect(description.mediaSections.allSatisfy { $0.direction == .sendrecv && $0.msid?.streamID == "-" })
        #expect(description.mediaSections.map(\.ssrcs.count) == [2, 1])
        #expect(description.attribute(named: "msid-semantic")?.value == " WMS")
    }
}
