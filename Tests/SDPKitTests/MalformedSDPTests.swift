import SDPKit
import Testing

@Suite("Malformed session descriptions give typed errors with line numbers")
struct MalformedSDPTests {
    /// A small valid description, one entry per line.
    static let valid = [
        "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
        "m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0", "a=mid:0", "a=rtpmap:96 VP8/90000",
    ]

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var lines: [String]
        var code: SDPError.Code
        var line: Int?
        var testDescription: String { name }
    }

    static func replacing(_ index: Int, with text: String) -> [String] {
        var lines = valid
        lines[index] = text
        return lines
    }

    static func inserting(_ text: String, at index: Int) -> [String] {
        var lines = valid
        lines.insert(text, at: index)
        return lines
    }

    static let cases: [Case] = [
        Case(name: "missing v=", lines: Array(valid.dropFirst()), code: .missingLine, line: 1),
        Case(name: "empty input", lines: [], code: .missingLine, line: nil),
        Case(name: "v=1", lines: replacing(0, with: "v=1"), code: .invalidVersion, line: 1),
        Case(name: "missing o=", lines: replacing(1, with: "i=no origin"), code: .missingLine, line: 2),
        Case(name: "o= with five fields", lines: replacing(1, with: "o=- 1 2 IN IP4"), code: .invalidOrigin, line: 2),
        Case(name: "o= with a non-numeric session id", lines: replacing(1, with: "o=- abc 2 IN IP4 127.0.0.1"), code: .invalidOrigin, line: 2),
        Case(name: "missing s=", lines: replacing(2, with: "t=0 0"), code: .missingLine, line: 3),
        Case(name: "only v= and o=", lines: Array(valid.prefix(2)), code: .missingLine, line: nil),
        Case(name: "missing t= before m=", lines: valid.filter { $0 != "t=0 0" && !$0.hasPrefix("a=group") }, code: .missingLine, line: 4),
        Case(name: "missing t= without media", lines: Array(valid.prefix(3)), code: .missingLine, line: nil),
        Case(name: "bad t=", lines: replacing(3, with: "t=0"), code: .invalidTiming, line: 4),
        Case(name: "attribute before t=", lines: inserting("a=ice-lite", at: 3), code: .misplacedLine, line: 4),
        Case(name: "c= after t=", lines: inserting("c=IN IP4 0.0.0.0", at: 4), code: .misplacedLine, line: 5),
        Case(name: "second o=", lines: inserting("o=- 1 2 IN IP4 127.0.0.1", at: 4), code: .misplacedLine, line: 5),
        Case(name: "r= without t= before it", lines: inserting("r=7d 1h 0 25h", at: 5), code: .misplacedLine, line: 6),
        Case(name: "mid at session level", lines: inserting("a=mid:0", at: 4), code: .misplacedLine, line: 5),
        Case(name: "rtpmap at session level", lines: inserting("a=rtpmap:96 VP8/90000", at: 4), code: .misplacedLine, line: 5),
        Case(name: "group in a media section", lines: valid + ["a=group:BUNDLE 0"], code: .misplacedLine, line: 10),
        Case(name: "c= after a= in a media section", lines: valid + ["c=IN IP4 0.0.0.0"], code: .misplacedLine, line: 10),
        Case(name: "t= in a media section", lines: valid + ["t=0 0"], code: .misplacedLine, line: 10),
        Case(name: "bad c=", lines: replacing(6, with: "c=IN IP4"), code: .invalidConnection, line: 7),
        Case(name: "bad b=", lines: inserting("b=AS:lots", at: 7), code: .invalidBandwidth, line: 8),
        Case(name: "m= with too few fields", lines: replacing(5, with: "m=video 9"), code: .invalidMedia, line: 6),
        Case(name: "RTP m= without payload types", lines: replacing(5, with: "m=video 9 UDP/TLS/RTP/SAVPF"), code: .invalidMedia, line: 6),
        Case(name: "m= with doubled spaces", lines: replacing(5, with: "m=video  9 UDP/TLS/RTP/SAVPF 96"), code: .invalidMedia, line: 6),
        Case(name: "m= port over 65535", lines: replacing(5, with: "m=video 65536 UDP/TLS/RTP/SAVPF 96"), code: .invalidPort, line: 6),
        Case(name: "m= non-numeric port", lines: replacing(5, with: "m=video nine UDP/TLS/RTP/SAVPF 96"), code: .invalidPort, line: 6),
        Case(name: "m= bad port count", lines: replacing(5, with: "m=video 9/x UDP/TLS/RTP/SAVPF 96"), code: .invalidPort, line: 6),
        Case(name: "m= non-numeric payload type", lines: replacing(5, with: "m=video 9 UDP/TLS/RTP/SAVPF 96 vp8"), code: .invalidPayloadType, line: 6),
        Case(name: "m= payload type over 127", lines: replacing(5, with: "m=video 9 UDP/TLS/RTP/SAVPF 128"), code: .invalidPayloadType, line: 6),
        Case(name: "rtpmap non-numeric payload type", lines: replacing(8, with: "a=rtpmap:x VP8/90000"), code: .invalidPayloadType, line: 9),
        Case(name: "rtpmap without clock rate", lines: replacing(8, with: "a=rtpmap:96 VP8"), code: .invalidAttribute, line: 9),
        Case(name: "rtcp-fb bad payload type", lines: valid + ["a=rtcp-fb:200 nack"], code: .invalidPayloadType, line: 10),
        Case(name: "fmtp payload type over 127", lines: valid + ["a=fmtp:300 apt=96"], code: .invalidPayloadType, line: 10),
        Case(name: "bad fingerprint", lines: valid + ["a=fingerprint:sha-256 XYZ"], code: .invalidAttribute, line: 10),
        Case(name: "bad setup", lines: valid + ["a=setup:sideways"], code: .invalidAttribute, line: 10),
        Case(name: "empty mid", lines: replacing(7, with: "a=mid:"), code: .invalidAttribute, line: 8),
        Case(name: "bad extmap id", lines: valid + ["a=extmap:0 urn:x"], code: .invalidAttribute, line: 10),
        Case(name: "bad extmap direction", lines: valid + ["a=extmap:1/up urn:x"], code: .invalidAttribute, line: 10),
        Case(name: "bad ssrc", lines: valid + ["a=ssrc:4294967296 cname:x"], code: .invalidAttribute, line: 10),
        Case(name: "bad ssrc-group", lines: valid + ["a=ssrc-group:FID 1 two"], code: .invalidAttribute, line: 10),
        Case(name: "ice-ufrag without value", lines: valid + ["a=ice-ufrag"], code: .invalidAttribute, line: 10),
        Case(name: "candidate with too few fields", lines: valid + ["a=candidate:1 1 udp 1 127.0.0.1 9"], code: .invalidCandidate, line: 10),
        Case(name: "candidate with bad priority", lines: valid + ["a=candidate:1 1 udp x 127.0.0.1 9 typ host"], code: .invalidCandidate, line: 10),
        Case(name: "a line without =", lines: valid + ["garbage"], code: .invalidLine, line: 10),
        Case(name: "an upper-case type letter", lines: valid + ["A=rtcp-mux"], code: .invalidLine, line: 10),
        Case(name: "an empty line in the middle", lines: inserting("", at: 4), code: .invalidLine, line: 5),
        Case(name: "an attribute with an empty name", lines: valid + ["a=:value"], code: .invalidAttribute, line: 10),
        Case(name: "a NUL byte", lines: valid + ["a=x-\u{0}"], code: .invalidLine, line: 10),
    ]

    @Test("each malformed input throws the right code at the right line", arguments: cases)
    func malformed(_ testCase: Case) throws {
        let text = testCase.lines.map { $0 + "\r\n" }.joined()
        let error = try #require(throws: SDPError.self) { try SessionDescription(parsing: text) }
        #expect(error.code == testCase.code, "\(error)")
        #expect(error.line == testCase.line, "\(error)")
        if let line = testCase.line {
            #expect(error.text == testCase.lines[line - 1])
            #expect(error.description.contains("line \(line)"))
        }
    }

    @Test("the valid base description parses")
    func baseIsValid() throws {
        let text = Self.valid.map { $0 + "\r\n" }.joined()
        #expect(try SessionDescription(parsing: text).description == text)
    }

    @Test("invalid UTF-8 bytes throw invalidEncoding")
    func invalidUTF8() {
        let bytes: [UInt8] = Array("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=".utf8) + [0xFF, 0xFE] + Array("\r\nt=0 0\r\n".utf8)
        #expect {
            try SessionDescription(parsing: bytes)
        } throws: { error in
            (error as? SDPError)?.code == .invalidEncoding
        }
    }

    @Test("a stray CR inside a line is rejected")
    func strayCarriageReturn() throws {
        let text = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=a\rb\r\nt=0 0\r\n"
        let error = try #require(throws: SDPError.self) { try SessionDescription(parsing: text) }
        #expect(error.code == .invalidLine)
        #expect(error.line == 3)
    }

    @Test("every truncation of a Chromium offer parses or throws, never traps", arguments: [
        "chromium-offer-sendrecv-audio-video.sdp", "chromium-offer-datachannel.sdp",
    ])
    func truncations(name: String) throws {
        let bytes = Array(try Fixture.text(name).utf8)
        var parsedCount = 0
        for length in 0...bytes.count {
            do {
                let description = try SessionDescription(parsing: bytes[..<length])
                parsedCount += 1
                // Whatever parses must print and reparse to the same model (checked on a
                // sample of lengths to keep the debug-build run short).
                if length % 16 == 0 {
                    #expect(try SessionDescription(parsing: description.description) == description)
                }
            } catch {
                #expect(error.line != nil || [.missingLine, .invalidEncoding].contains(error.code), "\(error)")
            }
        }
        #expect(parsedCount > 0)
    }

    @Test("garbage and single-byte mutations of a Chromium offer never trap")
    func mutations() throws {
        let bytes = Array(try Fixture.text("chromium-offer-datachannel.sdp").utf8)
        var generator = SplitMix64(seed: 0x5D9)
        let alphabet = Array("0123456789abcdefxyz :=/.-\r\n\u{0}".utf8) + [0xFF, 0xC3]
        for _ in 0..<3000 {
            var mutated = bytes
            for _ in 0..<Int(generator.next() % 4 + 1) {
                let position = Int(generator.next() % UInt64(mutated.count))
                mutated[position] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
            }
            if let description = try? SessionDescription(parsing: mutated) {
                #expect(try SessionDescription(parsing: description.description) == description)
            }
        }
        for length in [1, 7, 64, 500] {
            let garbage = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            #expect(throws: SDPError.self) { try SessionDescription(parsing: garbage) }
        }
    }
}

/// A small deterministic random number generator for the mutation test.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
