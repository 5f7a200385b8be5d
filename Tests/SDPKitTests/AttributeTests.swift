import SDPKit
import Testing

@Suite("Typed attributes")
struct AttributeTests {
    @Test("every attribute line of the Chromium fixtures reprints identically from its typed content")
    func typedReprint() throws {
        var kinds = Set<String>()
        // Typed content prints in Chromium's form (Firefox's `msid-semantic:WMS` has no space),
        // so this holds for Chromium's output; parsed attributes always keep their own text.
        for name in Fixture.sdpFiles where name.hasPrefix("chromium") {
            let description = try SessionDescription(parsing: try Fixture.text(name))
            let attributes = description.attributes + description.mediaSections.flatMap(\.attributes)
            for attribute in attributes {
                if case .other = attribute.content { continue }
                kinds.insert(attribute.name)
                let rebuilt = SDPAttribute(attribute.content)
                #expect(rebuilt == attribute, "\(attribute)")
                #expect(rebuilt.content == attribute.content)
            }
        }
        #expect(kinds.isSuperset(of: [
            "candidate", "rtpmap", "fmtp", "rtcp-fb", "extmap", "mid", "msid", "ssrc", "ssrc-group", "group",
            "rtcp-mux", "rtcp-rsize", "ice-ufrag", "ice-pwd", "ice-options", "fingerprint", "setup",
            "sendrecv", "sendonly", "recvonly", "inactive", "extmap-allow-mixed", "msid-semantic",
        ]))
    }

    @Test("attribute values parse into their structs", arguments: [
        ("rtpmap", "111 opus/48000/2", SDPAttribute.Content.rtpMap(RTPMapAttribute(payloadType: 111, encodingName: "opus", clockRate: 48000, channels: 2))),
        ("fmtp", "97 apt=96", .formatParameters(FormatParametersAttribute(payloadType: 97, parameters: "apt=96"))),
        ("rtcp-fb", "96 nack pli", .rtcpFeedback(RTCPFeedbackAttribute(payloadType: 96, feedback: .pli))),
        ("rtcp-fb", "* ccm fir", .rtcpFeedback(RTCPFeedbackAttribute(payloadType: nil, feedback: .fir))),
        ("extmap", "3/recvonly urn:x:y attr", .extensionMap(RTPHeaderExtension(id: 3, uri: "urn:x:y", direction: .recvonly, extensionAttributes: "attr"))),
        ("msid", "stream track", .msid(MSIDAttribute(streamID: "stream", trackID: "track"))),
        ("ssrc", "1 msid:stream track", .ssrc(SSRCAttribute(ssrc: 1, name: "msid", value: "stream track"))),
        ("ssrc-group", "FID 1 2", .ssrcGroup(SSRCGroupAttribute(semantics: "FID", ssrcs: [1, 2]))),
        ("group", "BUNDLE 0 1 data", .group(GroupAttribute(semantics: "BUNDLE", mids: ["0", "1", "data"]))),
        ("group", "BUNDLE", .group(GroupAttribute(semantics: "BUNDLE", mids: []))),
        ("ice-options", "trickle renomination", .iceOptions(["trickle", "renomination"])),
        ("setup", "holdconn", .setup(.holdconn)),
        ("fingerprint", "sha-1 0A:FF", .fingerprint(Fingerprint(hashFunction: "sha-1", value: "0A:FF"))),
        ("msid-semantic", "WMS *", .msidSemantic(MSIDSemanticAttribute(semantic: "WMS", streamIDs: ["*"]))),
        ("fmtp", "webrtc-datachannel max-message-size=100", .other(name: "fmtp", value: "webrtc-datachannel max-message-size=100")),
    ])
    func parsesValue(name: String, value: String, expected: SDPAttribute.Content) throws {
        let attribute = try SDPAttribute(name: name, value: value)
        #expect(attribute.content == expected)
        #expect(attribute.description == "a=\(name):\(value)")
    }

    @Test("property attributes", arguments: [
        ("rtcp-mux", SDPAttribute.Content.rtcpMux), ("rtcp-rsize", .rtcpReducedSize), ("end-of-candidates", .endOfCandidates),
        ("extmap-allow-mixed", .extmapAllowMixed), ("sendrecv", .direction(.sendrecv)), ("sendonly", .direction(.sendonly)),
        ("recvonly", .direction(.recvonly)), ("inactive", .direction(.inactive)),
    ])
    func properties(name: String, expected: SDPAttribute.Content) throws {
        let attribute = try SDPAttribute(name: name, value: nil)
        #expect(attribute.content == expected)
        #expect(SDPAttribute(expected).description == "a=\(name)")
    }

    @Test("other content with a known name is interpreted")
    func otherWithKnownName() {
        #expect(SDPAttribute(.other(name: "mid", value: "video")).content == .mid("video"))
        #expect(SDPAttribute(.other(name: "x-thing", value: nil)).content == .other(name: "x-thing", value: nil))
    }

    @Test("fingerprint digests and matching ignore hex case")
    func fingerprint() {
        let upper = Fingerprint(hashFunction: "sha-256", value: "0A:B1:FF")
        let lower = Fingerprint(hashFunction: "SHA-256", value: "0a:b1:ff")
        #expect(upper.digest == [0x0A, 0xB1, 0xFF])
        #expect(upper.matches(lower))
        #expect(!upper.matches(Fingerprint(hashFunction: "sha-256", value: "0A:B1:FE")))
        #expect(Fingerprint(digest: [0x0A, 0xB1, 0xFF]) == upper)
        #expect(Fingerprint(hashFunction: "sha-256", value: "0A:+1").digest == nil)
        #expect(Fingerprint(hashFunction: "sha-256", value: "0A::B1").digest == nil)
    }

    @Test("direction helpers")
    func directions() {
        for direction in Direction.allCases {
            #expect(Direction(sends: direction.sends, receives: direction.receives) == direction)
            #expect(direction.reversed.reversed == direction)
        }
        #expect(Direction.sendonly.reversed == .recvonly)
        #expect(Direction.sendrecv.answering(offered: .sendonly) == .recvonly)
    }
}
