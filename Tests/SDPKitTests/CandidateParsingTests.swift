import SDPKit
import Testing

@Suite("ICE candidate strings")
struct CandidateParsingTests {
    @Test("every trickled Chromium candidate parses and prints back identically")
    func chromiumTrickledCandidates() throws {
        let lines = try Fixture.lines("chromium-candidates.txt")
        #expect(lines.count >= 6)
        for line in lines {
            let candidate = try ICECandidate(parsing: line)
            #expect(candidate.candidateString == line)
            #expect(candidate.description == line)
            #expect(candidate.ufrag != nil)
            #expect(candidate.networkCost == 50)
            #expect([.udp, .tcp].contains(candidate.transport))
        }
        let parsed = try lines.map(ICECandidate.init(parsing:))
        #expect(parsed.contains { $0.type == .host && $0.transport == .udp })
        #expect(parsed.contains { $0.type == .serverReflexive && $0.relatedPort != nil })
        #expect(parsed.contains { $0.transport == .tcp && $0.tcpType == .active && $0.port == 9 })
    }

    @Test("a trickled candidate equals the same candidate in the offer, apart from ufrag")
    func trickledMatchesSDP() throws {
        let offer = try SessionDescription(parsing: try Fixture.text("chromium-offer-sendrecv-audio-video.sdp"))
        let ufrag = try #require(offer.mediaSections[0].iceUfrag)
        let trickled = try Fixture.lines("chromium-candidates.txt").map(ICECandidate.init(parsing:))
        for var candidate in offer.mediaSections[0].candidates {
            candidate.ufrag = ufrag
            #expect(trickled.contains(candidate))
        }
    }

    @Test("the a= prefix and a trailing line ending are accepted")
    func prefixes() throws {
        let text = "candidate:3071328428 1 udp 2122260223 127.0.0.1 33635 typ host generation 0 network-id 1 network-cost 50"
        let plain = try ICECandidate(parsing: text)
        #expect(try ICECandidate(parsing: "a=" + text) == plain)
        #expect(try ICECandidate(parsing: "a=" + text + "\r\n") == plain)
        #expect(try ICECandidate(parsing: text + "\n") == plain)
        #expect(plain.attributeValue == String(text.dropFirst("candidate:".count)))
        #expect(SDPAttribute(.candidate(plain)).description == "a=" + text)
    }

    @Test("mDNS, IPv6, relay, passive TCP, upper-case transports and extensions")
    func handwrittenCandidates() throws {
        let lines = try Fixture.lines("handwritten-candidates.txt")
        let candidates = try lines.map(ICECandidate.init(parsing:))
        for (line, candidate) in zip(lines, candidates) { #expect(candidate.candidateString == line) }

        let mdns = candidates[0]
        #expect(mdns.address == "3a0c7a42-2f55-4c5a-9a1f-7a9d5b6c1e2f.local")
        #expect(mdns.addressType == .hostname)
        #expect(mdns.isMDNS)
        #expect(mdns.networkCost == 999)
        #expect(mdns.networkID == nil)

        #expect(candidates[1].addressType == .ipv6)
        #expect(!candidates[1].isMDNS)
        #expect(candidates[2].relatedAddress == "0.0.0.0")
        #expect(candidates[2].relatedPort == 0)
        #expect(candidates[3].type == .relay)
        #expect(candidates[3].priority == 41_885_439)
        #expect(candidates[4].tcpType == .passive)
        #expect(candidates[4].generation == 0)

        #expect(candidates[5].transport == .udp)
        #expect(candidates[5].transport.rawValue == "UDP")
        #expect(candidates[5].foundation == "0")
        #expect(candidates[5].generation == nil)
        #expect(candidates[6].transport == .tcp)
        #expect(candidates[6].tcpType == .active)

        #expect(candidates[7].type == .peerReflexive)
        #expect(candidates[7].extensions == [
            ICECandidate.Extension(name: "x-vendor-flag", value: "1"), ICECandidate.Extension(name: "x-other", value: "abc"),
        ])
    }

    @Test("a built candidate prints in Chromium's field order")
    func builtCandidate() throws {
        let candidate = ICECandidate(
            foundation: "1", priority: 1_686_052_607, address: "203.0.113.7", port: 40000, type: .serverReflexive,
            relatedAddress: "192.0.2.1", relatedPort: 50000, generation: 0, ufrag: "abcd", networkID: 1, networkCost: 10)
        #expect(candidate.candidateString
            == "candidate:1 1 udp 1686052607 203.0.113.7 40000 typ srflx raddr 192.0.2.1 rport 50000 generation 0 ufrag abcd network-id 1 network-cost 10")
        #expect(try ICECandidate(parsing: candidate.candidateString) == candidate)
    }

    @Test("malformed candidates throw invalidCandidate", arguments: [
        "candidate:1 1 udp 2122260223 127.0.0.1 33635 typ",  // too few fields
        "candidate:1 1 udp 2122260223 127.0.0.1",  // too few fields
        "candidate:1 1 udp 2122260223 127.0.0.1 70000 typ host",  // port over 65535
        "candidate:1 1 udp 2122260223 127.0.0.1 -1 typ host",  // negative port
        "candidate:1 1 udp 2122260223 127.0.0.1 port typ host",  // non-numeric port
        "candidate:1 1 udp 4294967296 127.0.0.1 5000 typ host",  // priority over 32 bits
        "candidate:1 1 udp high 127.0.0.1 5000 typ host",  // non-numeric priority
        "candidate:1 0 udp 1 127.0.0.1 5000 typ host",  // component 0
        "candidate:1 x udp 1 127.0.0.1 5000 typ host",  // non-numeric component
        "candidate:1 1 udp 1 127.0.0.1 5000 type host",  // "type" instead of "typ"
        "candidate:1 1 udp 1 127.0.0.1 5000 typ host generation",  // dangling extension name
        "candidate:1 1 udp 1 127.0.0.1 5000 typ srflx raddr 10.0.0.1 rport 99999",  // bad rport
        "candidate:1 1 udp 1 127.0.0.1 5000 typ srflx raddr bad!addr rport 1",  // bad raddr
        "candidate:1 1 tcp 1 127.0.0.1 9 typ host tcptype sideways",  // bad tcptype
        "candidate:1 1 udp 1 127.0.0.1 5000 typ host generation g",  // bad generation
        "candidate:1 1 udp 1 127.0.0.1 5000 typ host network-cost -5",  // bad network-cost
        "candidate:1 1 udp 1 1:2:3:4:5:6:7:8:9 5000 typ host",  // bad IPv6
        "candidate:1 1 udp 1 host_with spaces?.local 5000 typ host",  // bad address
        "1 1 udp 1 127.0.0.1 5000 typ host",  // no "candidate:" prefix
        "",
    ])
    func malformed(text: String) {
        #expect {
            try ICECandidate(parsing: text)
        } throws: { error in
            (error as? SDPError)?.code == .invalidCandidate
        }
    }

    @Test("every truncation of a candidate parses or throws invalidCandidate")
    func truncations() throws {
        let line = try #require(try Fixture.lines("chromium-candidates.txt").first { $0.contains("srflx") })
        let characters = Array(line)
        for length in 0..<characters.count {
            let prefix = String(characters[..<length])
            do {
                let candidate = try ICECandidate(parsing: prefix)
                // A cut that still parses must print back to a prefix-compatible form.
                #expect(try ICECandidate(parsing: candidate.candidateString) == candidate)
            } catch {
                #expect(error.code == .invalidCandidate)
            }
        }
    }

    @Test("a malformed candidate line in an SDP reports its line number")
    func malformedInSDP() throws {
        var lines = try Fixture.text("chromium-offer-datachannel.sdp").split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let index = try #require(lines.firstIndex { $0.hasPrefix("a=candidate:") })
        lines[index] = "a=candidate:1 1 udp 2122260223 127.0.0.1 99999 typ host"
        let error = try #require(throws: SDPError.self) { try SessionDescription(parsing: lines.joined(separator: "\r\n")) }
        #expect(error.code == .invalidCandidate)
        #expect(error.line == index + 1)
        #expect(error.text == lines[index])
    }
}
