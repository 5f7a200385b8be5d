public import ICEKit

/// One TURN allocation of the core: the client, and the local address its
/// messages to the server leave from.
struct RelayAllocation {
    var client: TURNClient
    /// The local socket address (UDP), or for TCP and TLS the address the
    /// driver's stream to the server is known by (see `Transmit.stream`).
    var local: ICETransportAddress
}

/// Relayed candidates: a TURN client per configured server, whose relayed
/// address is a local candidate of the ICE agent. What the agent, DTLS or
/// media send from a relayed address is wrapped by that client here; what
/// the server relays back is unwrapped and handled as if it had arrived on
/// the relayed address.
extension PeerConnectionCore {
    /// Starts an allocation on every configured TURN server, from the first
    /// local address of the server's family (UDP) or over the driver's stream.
    func startAllocations(at now: ContinuousClock.Instant) {
        for server in configuration.turnServers {
            let local: ICETransportAddress
            if server.transport.isStream {
                local = server.address
            } else {
                guard let address = localAddresses.first(where: { $0.family == server.address.family }) else {
                    logger.debug("no local address of the TURN server's family", metadata: ["server": "\(server.address)"])
                    continue
                }
                local = address
            }
            var client = TURNClient(
                server: server.address, transport: server.transport, username: server.username, password: server.credential,
                configuration: configuration.turn, logger: logger)
            client.allocate(at: now)
            relays.append(RelayAllocation(client: client, local: local))
            drainRelay(relays.count - 1, at: now)
        }
    }

    /// Whether an allocation is still being made.
    var isAllocating: Bool { relays.contains { $0.client.state == .allocating } }

    /// The allocation whose server sent a datagram to `local`, if any.
    @inline(__always)
    func relayIndex(server: ICETransportAddress, local: ICETransportAddress) -> Int? {
        guard !relays.isEmpty else { return nil }
        return relays.firstIndex { $0.client.server == server && $0.local == local && !$0.client.transport.isStream }
    }

    /// A datagram from a TURN server: answers are handled by the client,
    /// peer data goes on as if received on the relayed address.
    /// Returns false when the datagram is not the client's (the caller handles it as usual).
    func handleRelayDatagram(_ datagram: inout [UInt8], relay index: Int, at now: ContinuousClock.Instant) -> Bool {
        let received = relays[index].client.handle(datagram: datagram, at: now)
        if case .unrelated = received { return false }
        let relayed = relays[index].client.relayedAddress
        drainRelay(index, at: now)
        guard let relayed else { return true }
        switch received {
        case .none, .unrelated:
            return true
        case .channelData(let peer, let payload):
            // Strip the 4-byte header (and any padding) in place.
            datagram.removeSubrange(payload.upperBound...)
            datagram.removeSubrange(..<payload.lowerBound)
            handle(datagram: datagram, from: peer, to: relayed, at: now)
        case .data(let peer, let bytes):
            handle(datagram: bytes, from: peer, to: relayed, at: now)
        }
        return true
    }

    /// Bytes of the driver's TCP or TLS stream to the TURN server at `server`.
    public func handle(turnStream bytes: [UInt8], from server: ICETransportAddress, at now: ContinuousClock.Instant) {
        guard connectionState != .closed,
              let index = relays.firstIndex(where: { $0.client.server == server && $0.client.transport.isStream })
        else { return }
        relays[index].client.handle(stream: bytes, at: now)
        var received: [TURNPeerData] = []
        while let data = relays[index].client.pollReceived() { received.append(data) }
        let relayed = relays[index].client.relayedAddress
        drainRelay(index, at: now)
        guard let relayed else { return }
        for data in received {
            handle(datagram: data.bytes, from: data.peer, to: relayed, at: now)
        }
    }

    /// The driver's stream to the TURN server at `server` closed or could not be opened.
    public func turnStreamClosed(from server: ICETransportAddress, at now: ContinuousClock.Instant) {
        guard let index = relays.firstIndex(where: { $0.client.server == server && $0.client.transport.isStream }) else { return }
        relays[index].client.close(at: now)
        drainRelay(index, at: now)
        finishGatheringIfDone()
    }

    /// Sends what a client queued and acts on its events.
    func drainRelay(_ index: Int, at now: ContinuousClock.Instant) {
        let local = relays[index].local
        let server = relays[index].client.server
        let stream = relays[index].client.transport.isStream
        while let bytes = relays[index].client.pollTransmit() {
            transmits.append(Transmit(bytes: bytes, source: local, destination: server, stream: stream))
        }
        while let event = relays[index].client.pollEvent() {
            switch event {
            case .allocated(let relayed, let mapped, _):
                let candidate = updateNewestICE { agent -> ICEKit.ICECandidate? in
                    let candidate = try? agent.addLocalRelayedCandidate(relayed: relayed, mapped: mapped, server: server)
                    // New pairs are checked from the agent's next timeout.
                    agent.handleTimeout(at: now)
                    return candidate
                } ?? nil
                if let candidate { emitLocalCandidate(candidate) }
                drainICE(at: now)
                finishGatheringIfDone()
            case .failed(let error):
                logger.warning("TURN allocation failed", metadata: ["server": "\(server)", "error": "\(error)"])
                finishGatheringIfDone()
            }
        }
    }

    /// Runs the clients' timers.
    func handleRelayTimeouts(at now: ContinuousClock.Instant) {
        for index in relays.indices {
            guard let due = relays[index].client.nextTimeout(), due <= now else { continue }
            relays[index].client.handleTimeout(at: now)
            drainRelay(index, at: now)
        }
    }

    /// The earliest timer of the clients.
    var nextRelayTimeout: ContinuousClock.Instant? {
        relays.compactMap { $0.client.nextTimeout() }.min()
    }

    /// Carries a transmit from a relayed address through its client; returns
    /// false when `transmit` does not leave from a relayed address.
    func wrapRelayed(_ transmit: Transmit) -> Bool {
        guard let index = relays.firstIndex(where: { $0.client.relayedAddress == transmit.source }) else { return false }
        if let now = lastInput { relays[index].client.send(transmit.bytes, to: transmit.destination, at: now) }
        let local = relays[index].local
        let server = relays[index].client.server
        let stream = relays[index].client.transport.isStream
        while let bytes = relays[index].client.pollTransmit() {
            transmits.append(Transmit(bytes: bytes, source: local, destination: server, stream: stream))
        }
        return true
    }

    /// Ends every allocation (a Refresh with lifetime 0 each, sent if the driver still polls).
    func closeAllocations(at now: ContinuousClock.Instant) {
        for index in relays.indices {
            relays[index].client.close(at: now)
            drainRelay(index, at: now)
        }
    }
}
