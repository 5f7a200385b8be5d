import SDPKit
import Testing

@Suite("Printing a parsed description gives back the same text")
struct RoundTripTests {
    @Test("every fixture prints back byte for byte", arguments: Fixture.sdpFiles)
    func fixtureRoundTrips(name: String) throws {
        let text = try Fixture.text(name)
        #expect(text.hasSuffix("\r\n"))
        let description = try SessionDescription(parsing: text)
        #expect(description.description == text)
        #expect(description.serialized() == Array(text.utf8))
        #expect(description.serializedSize == text.utf8.count)
        var buffer: [UInt8] = [1, 2]
        description.serialize(into: &buffer)
        #expect(buffer == [1, 2] + Array(text.utf8))
    }

    @Test("LF-only input parses to the same description and prints with CRLF", arguments: Fixture.sdpFiles)
    func lfOnlyInput(name: String) throws {
        let text = try Fixture.text(name)
        let lfOnly = text.replacingCRLF()
        #expect(!lfOnly.utf8.contains(0x0D))
        let fromLF = try SessionDescription(parsing: lfOnly)
        #expect(fromLF == (try SessionDescription(parsing: text)))
        #expect(fromLF.description == text)
    }

    @Test("bytes parse like text, and a missing final line ending is accepted")
    func bytesAndMissingFinalNewline() throws {
        let text = try Fixture.text("chromium-offer-datachannel.sdp")
        let fromBytes = try SessionDescription(parsing: Array(text.utf8))
        #expect(fromBytes.description == text)
        let trimmed = String(text.dropLast())  // one Character: "\r\n" is a single grapheme
        #expect(!trimmed.hasSuffix("\n"))
        #expect(try SessionDescription(parsing: trimmed).description == text)
    }

    @Test("a reparsed print equals the original model", arguments: Fixture.sdpFiles)
    func reparseIsStable(name: String) throws {
        let description = try SessionDescription(parsing: try Fixture.text(name))
        let again = try SessionDescription(parsing: description.description)
        #expect(again == description)
    }

    @Test("unknown attributes and unknown line types are kept in place")
    func unknownLinesKept() throws {
        let text = [
            "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "x=unknown session line", "t=0 0",
            "a=x-custom:some value with  two spaces", "a=flag-only", "y=another",
            "m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0", "q=in media", "a=rtpmap:96 VP8/90000",
            "a=x-google-flag:conference", "a=rtcp:9 IN IP4 0.0.0.0", "",
        ].joined(separator: "\r\n")
        let description = try SessionDescription(parsing: text)
        #expect(description.description == text)
        #expect(description.lines.map(\.type) == ["x", "t", "a", "a", "y"])
        let custom = try #require(description.attribute(named: "x-custom"))
        #expect(custom.value == "some value with  two spaces")
        #expect(custom.content == .other(name: "x-custom", value: "some value with  two spaces"))
        #expect(description.attribute(named: "flag-only")?.value == nil)
        let section = try #require(description.mediaSections.first)
        #expect(section.lines.map(\.description) == ["c=IN IP4 0.0.0.0", "q=in media", "a=rtpmap:96 VP8/90000", "a=x-google-flag:conference", "a=rtcp:9 IN IP4 0.0.0.0"])
    }
}

extension String {
    /// The text with every CRLF turned into LF.
    func replacingCRLF() -> String {
        var bytes: [UInt8] = []
        for byte in utf8 where byte != 0x0D { bytes.append(byte) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
