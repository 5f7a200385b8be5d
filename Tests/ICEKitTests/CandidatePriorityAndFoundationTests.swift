import ICEKit
import Testing

@Suite("Candidates: priority, foundation, pair priority, credentials")
struct CandidatePriorityAndFoundationTests {
    @Test("candidate priority follows RFC 8445 5.1.2.1")
    func candidatePriority() {
        #expect(ICECandidate.priority(type: .host) == 2_130_706_431)
        #expect(ICECandidate.priority(type: .host, localPreference: 65535, component: 2) == 2_130_706_430)
        #expect(ICECandidate.priority(type: .peerReflexive, localPreference: 65535) == (110 << 24) + (65535 << 8) + 255)
        #expect(ICECandidate.priority(type: .serverReflexive, localPreference: 0) == (100 << 24) + 255)
        #expect(ICECandidate.priority(type: .relay, localPreference: 10, component: 1) == (10 << 8) + 255)
        // Ordering: host > prflx > srflx > relay for the same local preference.
        let ordered = [ICECandidateType.host, .peerReflexive, .serverReflexive, .relay].map { ICECandidate.priority(type: $0) }
        #expect(ordered == ordered.sorted(by: >))
    }

    @Test("pair priority follows RFC 8445 6.1.2.3 and favours the controlling side on ties")
    func pairPriority() {
        let g: UInt32 = 2_130_706_431
        let d: UInt32 = 1_845_501_695
        #expect(ICECandidatePair.priority(controlling: g, controlled: d) == (UInt64(d) << 32) + 2 * UInt64(g) + 1)
        #expect(ICECandidatePair.priority(controlling: d, controlled: g) == (UInt64(d) << 32) + 2 * UInt64(g))
        #expect(ICECandidatePair.priority(controlling: 5, controlled: 5) == (5 << 32) + 10)
        // Out-of-spec priorities do not trap.
        _ = ICECandidatePair.priority(controlling: .max, controlled: .max)
    }

    @Test("foundations are equal for equal type, base, server and transport, and differ otherwise")
    func foundations() throws {
        let base = try #require(ICEIPAddress("192.168.1.10"))
        let other = try #require(ICEIPAddress("192.168.1.11"))
        let server = try #require(ICEIPAddress("203.0.113.1"))
        let host = ICECandidate.foundation(type: .host, baseAddress: base)
        #expect(host == ICECandidate.foundation(type: .host, baseAddress: base))
        let variants = [
            ICECandidate.foundation(type: .host, baseAddress: other),
            ICECandidate.foundation(type: .serverReflexive, baseAddress: base, serverAddress: server),
            ICECandidate.foundation(type: .relay, baseAddress: base, serverAddress: server),
            ICECandidate.foundation(type: .host, baseAddress: base, transport: .tcp),
        ]
        #expect(Set(variants + [host]).count == 5)
        for foundation in variants + [host] {
            #expect((1...32).contains(foundation.count))
            #expect(foundation.allSatisfy { ICECredentials.iceCharacters.contains($0) })
        }
    }

    @Test("candidate addresses: IP literals resolve, names stay names")
    func candidateAddress() {
        #expect(ICECandidate.Address(host: "10.0.0.1", port: 9) == .ip(ICETransportAddress(host: "10.0.0.1", port: 9)!))
        let name = ICECandidate.Address(host: "4ad0c2a8-1b0e-4c0c-9d7e-9b1f2f7e1c11.local", port: 50000)
        #expect(name == .hostname("4ad0c2a8-1b0e-4c0c-9d7e-9b1f2f7e1c11.local", port: 50000))
        #expect(name.transportAddress == nil)
        #expect(name.port == 50000)
        #expect(ICETransportProtocol(rawValue: "UDP") == .udp)
    }

    @Test("generated credentials have the required lengths, use ice-chars only, and differ")
    func credentials() {
        var seen = Set<String>()
        for _ in 0..<50 {
            let credentials = ICECredentials.random()
            #expect(credentials.ufrag.count >= 4)
            #expect(credentials.pwd.count >= 22)
            #expect((credentials.ufrag + credentials.pwd).allSatisfy { ICECredentials.iceCharacters.contains($0) })
            seen.insert(credentials.ufrag + credentials.pwd)
        }
        #expect(seen.count == 50)
        var generator = SplitMix64(seed: 7)
        var again = SplitMix64(seed: 7)
        #expect(ICECredentials.random(using: &generator) == ICECredentials.random(using: &again))
    }
}
