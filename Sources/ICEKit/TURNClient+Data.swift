/// Data to and from peers: permissions, channels, Send and Data
/// indications, ChannelData, and the framing of TCP and TLS streams.
extension TURNClient {
    /// What ``handle(datagram:at:)`` found in a datagram from the server.
    public enum Received: Hashable, Sendable {
        /// Nothing for the owner: a response, or a datagram that was dropped.
        case none
        /// Not TURN traffic of this client: a STUN response to a transaction
        /// it did not start (such as the owner's own Binding request to the
        /// same server for a server-reflexive address). The owner handles it.
        case unrelated
        /// ChannelData from `peer`: its data is `payload` of the datagram,
        /// which the owner can relay without a copy.
        case channelData(peer: ICETransportAddress, payload: Range<Int>)
        /// A Data indication from `peer`.
        case data(peer: ICETransportAddress, bytes: [UInt8])
    }

    /// Whether `byte` starts ChannelData (channel numbers 0x4000...0x4FFF).
    @inline(__always)
    public static func isChannelData(firstByte byte: UInt8) -> Bool { byte & 0xF0 == 0x40 }

    /// Sends `payload` to `peer` through the relay. Before the permission for
    /// the peer's IP is confirmed the payload is held (bounded); after it, a
    /// Send indication carries it and a channel is bound, whose ChannelData
    /// carries everything from then on.
    ///
    /// - Returns: false if the payload was dropped (no allocation, or a bound reached).
    @discardableResult
    public mutating func send(_ payload: [UInt8], to peer: ICETransportAddress, at now: ContinuousClock.Instant) -> Bool {
        guard state == .allocated, payload.count <= 65_535 else { return false }
        if let channel = channels[peer], channel.bound {
            push(channelData(channel.number, payload))
            return true
        }
        guard let permission = permissions[peer.ip] else {
            guard permissions.count < configuration.maxPeers else { return false }
            permissions[peer.ip] = TURNPermission()
            sendRequest(.permission(peer.ip), at: now)
            return hold(payload, for: peer)
        }
        guard permission.installed else { return hold(payload, for: peer) }
        sendIndication(payload, to: peer)
        bindChannelIfNeeded(to: peer, at: now)
        return true
    }

    private mutating func hold(_ payload: [UInt8], for peer: ICETransportAddress) -> Bool {
        guard pendingPayloads.count < configuration.maxPendingPayloads else { return false }
        pendingPayloads.append((peer, payload))
        return true
    }

    /// Sends what waited for the permission of `ip`.
    mutating func flushPending(for ip: ICEIPAddress, at now: ContinuousClock.Instant) {
        var kept: [(peer: ICETransportAddress, bytes: [UInt8])] = []
        for item in pendingPayloads {
            if item.peer.ip == ip {
                sendIndication(item.bytes, to: item.peer)
                bindChannelIfNeeded(to: item.peer, at: now)
            } else {
                kept.append(item)
            }
        }
        pendingPayloads = kept
    }

    private mutating func bindChannelIfNeeded(to peer: ICETransportAddress, at now: ContinuousClock.Instant) {
        guard channels[peer] == nil, channels.count < configuration.maxPeers, let number = freeChannelNumber() else { return }
        channels[peer] = TURNChannel(number: number)
        peersByChannel[number] = peer
        sendRequest(.channelBind(number, peer), at: now)
    }

    private mutating func freeChannelNumber() -> UInt16? {
        for _ in 0..<0x1000 {
            let candidate = nextChannelNumber
            nextChannelNumber = nextChannelNumber == 0x4FFF ? 0x4000 : nextChannelNumber + 1
            if peersByChannel[candidate] == nil { return candidate }
        }
        return nil
    }

    private mutating func sendIndication(_ payload: [UInt8], to peer: ICETransportAddress) {
        let id = STUNTransactionID.random(using: &generator)
        let message = STUNMessage(
            type: STUNMessageType(method: .send, class: .indication), transactionID: id,
            attributes: [.xorAddress(.xorPeerAddress, peer, transactionID: id), .other(.data, payload)])
        push(message.serialized(integrity: nil, fingerprint: false))
    }

    /// ChannelData: number, length, data, and over a stream padding to four bytes.
    private func channelData(_ number: UInt16, _ payload: [UInt8]) -> [UInt8] {
        let padding = transport.isStream ? (4 - payload.count % 4) % 4 : 0
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 + payload.count + padding)
        bytes.appendBigEndian(number)
        bytes.appendBigEndian(UInt16(payload.count))
        bytes.append(contentsOf: payload)
        if padding > 0 { bytes.append(contentsOf: repeatElement(0, count: padding)) }
        return bytes
    }

    // MARK: Input

    /// One datagram from the server (UDP). ChannelData comes back as a range
    /// of the datagram, a Data indication as bytes; responses are handled here.
    public mutating func handle(datagram: [UInt8], at now: ContinuousClock.Instant) -> Received {
        guard state == .allocating || state == .allocated else { return .none }
        return datagram.withUnsafeBufferPointer { bytes in
            guard let first = bytes.first else { return .none }
            if Self.isChannelData(firstByte: first) {
                guard bytes.count >= 4 else {
                    statistics.droppedInput += 1
                    return .none
                }
                let number: UInt16 = bytes.readBigEndian(at: 0)
                let length = Int(bytes.readBigEndian(at: 2, as: UInt16.self))
                guard 4 + length <= bytes.count, let peer = peersByChannel[number] else {
                    statistics.droppedInput += 1
                    return .none
                }
                return .channelData(peer: peer, payload: 4..<(4 + length))
            }
            return handleMessage(bytes, at: now)
        }
    }

    /// Bytes of the TCP or TLS stream from the server, in order. Complete
    /// messages are handled; peer data is queued for ``pollReceived()``.
    /// A stream that stops making sense (or holds too much without a
    /// complete message) fails the client.
    public mutating func handle(stream bytes: some Collection<UInt8>, at now: ContinuousClock.Instant) {
        guard state == .allocating || state == .allocated else { return }
        guard streamBuffer.count + bytes.count <= configuration.maxStreamBuffer else {
            fail(TURNClientError("the TURN server's stream holds more than \(configuration.maxStreamBuffer) bytes without a complete message"))
            return
        }
        streamBuffer.append(contentsOf: bytes)
        var offset = 0
        while streamBuffer.count - offset >= 4, state == .allocating || state == .allocated {
            let first = streamBuffer[offset]
            let length = Int(streamBuffer[offset + 2]) << 8 | Int(streamBuffer[offset + 3])
            let size: Int
            if Self.isChannelData(firstByte: first) {
                size = 4 + ((length + 3) & ~3)
            } else if first & 0xC0 == 0 {
                size = STUNMessage.headerSize + length
            } else {
                fail(TURNClientError("the TURN server's stream is out of step (byte 0x\(String(first, radix: 16)))"))
                return
            }
            guard streamBuffer.count - offset >= size else { break }
            let frame = streamBuffer[offset..<(offset + size)]
            offset += size
            frame.withUnsafeBufferPointer { frame in
                if Self.isChannelData(firstByte: first) {
                    let number: UInt16 = frame.readBigEndian(at: 0)
                    guard let peer = peersByChannel[number] else {
                        statistics.droppedInput += 1
                        return
                    }
                    queue(TURNPeerData(peer: peer, bytes: Array(frame[4..<(4 + length)])))
                } else if case .data(let peer, let data) = handleMessage(frame, at: now) {
                    queue(TURNPeerData(peer: peer, bytes: data))
                }
            }
        }
        if offset > 0, state == .allocating || state == .allocated { streamBuffer.removeFirst(offset) }
    }

    private mutating func queue(_ data: TURNPeerData) {
        if !received.push(data) { statistics.droppedInput += 1 }
    }

    /// A STUN message from the server: a response, or a Data indication.
    private mutating func handleMessage(_ bytes: UnsafeBufferPointer<UInt8>, at now: ContinuousClock.Instant) -> Received {
        guard let message = try? STUNMessage(parsing: bytes) else {
            statistics.droppedInput += 1
            return .none
        }
        switch message.type.class {
        case .successResponse, .errorResponse:
            guard transactions[message.transactionID] != nil else { return .unrelated }
            handleResponse(message, bytes: bytes, at: now)
            return .none
        case .indication where message.type.method == .data:
            guard state == .allocated, let peer = message.xorAddress(.xorPeerAddress), let data = message.data else {
                statistics.droppedInput += 1
                return .none
            }
            return .data(peer: peer, bytes: data)
        default:
            statistics.droppedInput += 1
            return .none
        }
    }
}
