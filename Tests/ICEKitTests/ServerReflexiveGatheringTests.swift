import ICEKit
import Testing

/// Server-reflexive gathering against a STUN server played by the test: it
/// answers Binding requests with the address a NAT would have given.
@Suite("ICE agent: server-reflexive candidates from a STUN server")
struct ServerReflexiveGatheringTests {
    static let host = ICETransportAddress("10.0.0.1:5000")!
    static let server = ICETransportAddress("198.51.100.1:3478")!
    static let mapped = ICETransportAddress("203.0.113.7:41000")!

    /// A STUN server's success response to `request`, naming `mapped`.
    static func response(to request: ICETransmit, mapped: ICETransportAddress) throws -> [UInt8] {
        let message = try STUNMessage(parsing: request.bytes)
        return STUNMessage(type: .bindingSuccess, transactionID: message.transactionID, attributes: [.xorMappedAddress(mapped)])
            .serialized(integrity: nil, fingerprint: true)
    }

    static func events(_ agent: inout ICEAgent) -> [ICEEvent] {
        var events: [ICEEvent] = []
        while let event = agent.pollEvent() { events.append(event) }
        return events
    }

    @Test("the server's XOR-MAPPED-ADDRESS becomes a server-reflexive candidate related to its host base, then gathering is complete")
    func gathersOne() throws {
        var agent = ICEAgent(role: .controlling)
        try agent.addLocalHostCandidate(address: Self.host)
        let now = ContinuousClock.now
        #expect(agent.gatherServerReflexive(from: Self.server, at: now) == 1)
        let transmitted = agent.pollTransmit()
        let request = try #require(transmitted)
        #expect(request.source == Self.host && request.destination == Self.server)
        #expect(try STUNMessage(parsing: request.bytes).type == .bindingRequest)
        #expect(agent.isGathering)

        agent.handle(datagram: try Self.response(to: request, mapped: Self.mapped), from: Self.server, to: Self.host, at: now + .milliseconds(20))
        let events = Self.events(&agent)
        guard case .localCandidateGathered(let candidate) = events.first else {
            Issue.record("expected a gathered candidate, got \(events)")
            return
        }
        #expect(candidate.type == .serverReflexive)
        #expect(candidate.transportAddress == Self.mapped)
        #expect(candidate.relatedAddress?.description == Self.host.description)
        // RFC 8445 5.1.2.1: type preference 100 for server-reflexive.
        #expect(candidate.priority >> 24 == 100)
        #expect(events.last == .gatheringComplete)
        #expect(!agent.isGathering)
        #expect(agent.localCandidates.map(\.type) == [.host, .serverReflexive])
    }

    @Test("a mapped address equal to the host's (no NAT) adds no candidate; gathering still completes")
    func redundantCandidateLeftOut() throws {
        var agent = ICEAgent(role: .controlling)
        try agent.addLocalHostCandidate(address: Self.host)
        let now = ContinuousClock.now
        agent.gatherServerReflexive(from: Self.server, at: now)
        let transmitted = agent.pollTransmit()
        let request = try #require(transmitted)
        agent.handle(datagram: try Self.response(to: request, mapped: Self.host), from: Self.server, to: Self.host, at: now)
        #expect(Self.events(&agent) == [.gatheringComplete])
        #expect(agent.localCandidates.count == 1)
    }

    @Test("a lost request is sent again with the same transaction; a silent server is given up after 7 sends")
    func retransmittedThenGivenUp() throws {
        var agent = ICEAgent(role: .controlling)
        try agent.addLocalHostCandidate(address: Self.host)
        let start = ContinuousClock.now
        agent.gatherServerReflexive(from: Self.server, at: start)
        var sends: [(Duration, STUNTransactionID)] = []
        var now = start
        for _ in 0..<100 {
            while let transmit = agent.pollTransmit() { sends.append((now - start, try STUNMessage(parsing: transmit.bytes).transactionID)) }
            guard let next = agent.nextTimeout() else { break }
            now = max(now, next)
            agent.handleTimeout(at: now)
        }
        #expect(sends.map(\.0) == [0, 250, 750, 1750, 3750, 6750, 9750].map { Duration.milliseconds($0) })
        #expect(Set(sends.map(\.1)).count == 1, "one transaction, sent again")
        #expect(Self.events(&agent) == [.gatheringComplete])
        #expect(agent.localCandidates.count == 1)
    }

    @Test("an answer from another address, or without a mapped address, gives no candidate")
    func badAnswersIgnored() throws {
        var agent = ICEAgent(role: .controlling)
        try agent.addLocalHostCandidate(address: Self.host)
        let now = ContinuousClock.now
        agent.gatherServerReflexive(from: Self.server, at: now)
        let transmitted = agent.pollTransmit()
        let request = try #require(transmitted)
        let stranger = ICETransportAddress("192.0.2.66:3478")!
        agent.handle(datagram: try Self.response(to: request, mapped: Self.mapped), from: stranger, to: Self.host, at: now)
        #expect(Self.events(&agent).isEmpty, "an answer from another address is not the server's")
        #expect(agent.isGathering)
        let message = try STUNMessage(parsing: request.bytes)
        let empty = STUNMessage(type: .bindingSuccess, transactionID: message.transactionID).serialized(integrity: nil, fingerprint: true)
        agent.handle(datagram: empty, from: Self.server, to: Self.host, at: now)
        #expect(Self.events(&agent) == [.gatheringComplete])
        #expect(agent.localCandidates.count == 1)
    }

    @Test("a server-reflexive candidate forms no pair of its own: checks leave from the host base")
    func notPaired() throws {
        var agent = ICEAgent(role: .controlling)
        try agent.addLocalHostCandidate(address: Self.host)
        let now = ContinuousClock.now
        agent.gatherServerReflexive(from: Self.server, at: now)
        let transmitted = agent.pollTransmit()
        let request = try #require(transmitted)
        agent.handle(datagram: try Self.response(to: request, mapped: Self.mapped), from: Self.server, to: Self.host, at: now)
        try agent.setRemoteCredentials(ufrag: "RRRR", pwd: "abcdefghijklmnopqrstuvwx")
        agent.addRemoteCandidate(ICECandidate(
            foundation: "1", priority: 2_130_706_431, address: .ip(ICETransportAddress("10.0.0.2:6000")!), type: .host))
        #expect(agent.candidatePairs.count == 1)
        #expect(agent.candidatePairs.first?.pair.local.type == .host)
    }
}
