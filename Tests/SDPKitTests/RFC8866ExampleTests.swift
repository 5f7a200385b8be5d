import SDPKit
import Testing

@Suite("RFC 8866 section 5 example")
struct RFC8866ExampleTests {
    @Test("every field of the example")
    func fields() throws {
        let description = try SessionDescription(parsing: try Fixture.text("rfc8866-section5-example.sdp"))
        #expect(description.origin == Origin(
            username: "jdoe", sessionID: 3_724_394_400, sessionVersion: 3_724_394_405,
            networkType: "IN", addressType: "IP4", unicastAddress: "198.51.100.1"))
        #expect(description.sessionName == "Call to John Smith")
        #expect(description.lines.first == .information("SDP Offer #1"))
        #expect(description.lines.contains(.uri("http://www.jdoe.example.com/home.html")))
        #expect(description.lines.contains(.email("Jane Doe <jane@jdoe.example.com>")))
        #expect(description.lines.contains(.phone("+1 617 555-6011")))
        #expect(description.connection == ConnectionData(networkType: "IN", addressType: "IP4", address: "198.51.100.1"))
        #expect(description.timing == Timing())
        #expect(description.mediaSections.map(\.kind) == [.audio, .audio, .video])
        #expect(description.mediaSections.map(\.port) == [49170, 49180, 51372])
        #expect(description.mediaSections.map(\.proto) == ["RTP/AVP", "RTP/AVP", "RTP/AVP"])
        // Static payload type 0 needs no rtpmap.
        #expect(description.mediaSections[0].codecs == [RTPCodec(payloadType: 0, name: "PCMU", clockRate: 8000, channels: 1)])
        let video = description.mediaSections[2]
        #expect(video.connection == ConnectionData(networkType: "IN", addressType: "IP6", address: "2001:db8::2"))
        #expect(video.codecs == [RTPCodec(payloadType: 99, name: "h263-1998", clockRate: 90000)])
        #expect(video.mid == nil)
        #expect(video.direction == .sendrecv)
    }

    @Test("optional lines may repeat where RFC 8866 allows it")
    func repeatedOptionalLines() throws {
        let text = [
            "v=0", "o=jdoe 1 1 IN IP4 198.51.100.1", "s=Talk", "i=about", "u=http://example.com/",
            "e=a@example.com", "e=b@example.com", "p=+1 555", "p=+1 556", "c=IN IP4 198.51.100.1",
            "b=AS:512", "b=TIAS:500000", "t=3034423619 3042462419", "r=604800 3600 0 90000", "r=7d 1h 0 25h",
            "t=0 0", "z=2882844526 -1h 2898848070 0", "k=prompt", "a=recvonly",
            "m=audio 49170/2 RTP/AVP 0 8", "i=voice", "c=IN IP4 224.2.1.1/127/3", "c=IN IP4 224.2.1.4/127/3",
            "b=AS:64", "k=prompt", "a=sendonly", "",
        ].joined(separator: "\r\n")
        let description = try SessionDescription(parsing: text)
        #expect(description.description == text)
        #expect(description.lines.filter { $0.type == "b" } == [.bandwidth(Bandwidth(type: "AS", value: 512)), .bandwidth(Bandwidth(type: "TIAS", value: 500_000))])
        #expect(description.lines.filter { $0.type == "t" }.count == 2)
        let audio = try #require(description.mediaSections.first)
        #expect(audio.port == 49170)
        #expect(audio.portCount == 2)
        #expect(audio.bandwidths == [Bandwidth(type: "AS", value: 64)])
        #expect(audio.connection?.address == "224.2.1.1/127/3")
        #expect(audio.direction == .sendonly)
        #expect(audio.codecs.map(\.name) == ["PCMU", "PCMA"])
    }
}
