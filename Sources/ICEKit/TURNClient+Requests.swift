/// An outstanding request of a ``TURNClient``.
struct TURNTransaction {
    enum Purpose: CustomStringConvertible {
        case allocate
        case refresh(lifetime: UInt32)
        case permission(ICEIPAddress)
        case channelBind(UInt16, ICETransportAddress)

        var method: STUNMethod {
            switch self {
            case .allocate: .allocate
            case .refresh: .refresh
            case .permission: .createPermission
            case .channelBind: .channelBind
            }
        }

        var description: String {
            switch self {
            case .allocate: "Allocate"
            case .refresh(let lifetime): "Refresh (lifetime \(lifetime) s)"
            case .permission(let ip): "CreatePermission for \(ip)"
            case .channelBind(let number, let peer): "ChannelBind 0x\(String(number, radix: 16)) to \(peer)"
            }
        }
    }

    var purpose: Purpose
    var bytes: [UInt8]
    var transmissions: Int
    var retransmissionTimeout: Duration
    var deadline: ContinuousClock.Instant
    /// How many times this request was sent again with a new nonce (401, 438).
    var authenticationRetries: Int
}

/// Building, sending and answering requests.
extension TURNClient {
    /// Sends a new request for `purpose`, authenticated once the realm and nonce are known.
    mutating func sendRequest(_ purpose: TURNTransaction.Purpose, authenticationRetries: Int = 0, at now: ContinuousClock.Instant) {
        guard transactions.count < 2 * configuration.maxPeers + 4 else {
            statistics.droppedOutput += 1
            return
        }
        let id = STUNTransactionID.random(using: &generator)
        var attributes: [STUNAttribute] = []
        switch purpose {
        case .allocate:
            attributes.append(.requestedTransportUDP)
            if server.family == .ipv6 { attributes.append(.requestedAddressFamily(.ipv6)) }
            attributes.append(.uint32(.lifetime, UInt32(configuration.requestedLifetime.components.seconds)))
        case .refresh(let lifetime):
            attributes.append(.uint32(.lifetime, lifetime))
        case .permission(let ip):
            attributes.append(.xorAddress(.xorPeerAddress, ICETransportAddress(ip: ip, port: 0), transactionID: id))
        case .channelBind(let number, let peer):
            attributes.append(.channelNumber(number))
            attributes.append(.xorAddress(.xorPeerAddress, peer, transactionID: id))
        }
        let authenticated = integrity != nil && realm != nil && nonce != nil
        if authenticated, let realm, let nonce {
            attributes.append(.username(username))
            attributes.append(.other(.realm, Array(realm.utf8)))
            attributes.append(.other(.nonce, Array(nonce.utf8)))
        }
        if let software = configuration.software { attributes.append(.software(String(software.prefix(127)))) }
        let bytes = STUNMessage(type: STUNMessageType(method: purpose.method, class: .request), transactionID: id, attributes: attributes)
            .serialized(integrity: authenticated ? integrity : nil, fingerprint: false)
        start(id, purpose, bytes, authenticationRetries, at: now)
    }

    private mutating func start(_ id: STUNTransactionID, _ purpose: TURNTransaction.Purpose, _ bytes: [UInt8], _ retries: Int, at now: ContinuousClock.Instant) {
        let timeout = transport.isStream ? configuration.streamTransactionTimeout : configuration.initialRetransmissionTimeout
        transactions[id] = TURNTransaction(
            purpose: purpose, bytes: bytes, transmissions: 1, retransmissionTimeout: timeout,
            deadline: now + timeout, authenticationRetries: retries)
        // Over TCP and TLS too a STUN message goes as it is: its header has its length.
        push(bytes)
    }

    /// A response to one of our requests.
    mutating func handleResponse(_ response: STUNMessage, bytes: UnsafeBufferPointer<UInt8>, at now: ContinuousClock.Instant) {
        guard let transaction = transactions[response.transactionID] else {
            statistics.droppedInput += 1
            return
        }
        if response.type.class == .errorResponse {
            transactions[response.transactionID] = nil
            handleError(response, transaction: transaction, at: now)
            return
        }
        // A success must carry our long-term integrity once we use it.
        if let integrity, !STUNMessage.verifyIntegrity(of: bytes, using: integrity) {
            statistics.droppedInput += 1
            logger.debug("dropping a TURN \(transaction.purpose) success that fails MESSAGE-INTEGRITY")
            return
        }
        transactions[response.transactionID] = nil
        switch transaction.purpose {
        case .allocate:
            guard let relayed = response.xorAddress(.xorRelayedAddress) else {
                fail(TURNClientError("the Allocate success has no XOR-RELAYED-ADDRESS"))
                return
            }
            let lifetime = Duration.seconds(Int64(response.lifetime ?? UInt32(configuration.requestedLifetime.components.seconds)))
            relayedAddress = relayed
            mappedAddress = response.xorMappedAddress
            state = .allocated
            allocationRefreshAt = now + configuration.refreshDelay(for: lifetime)
            logger.debug("TURN allocation on \(server): relayed \(relayed), lifetime \(lifetime)")
            events.push(.allocated(relayed: relayed, mapped: mappedAddress, lifetime: lifetime))
        case .refresh(let asked):
            guard asked > 0 else { return }
            let lifetime = Duration.seconds(Int64(response.lifetime ?? asked))
            guard lifetime > .zero else {
                fail(TURNClientError("the server ended the allocation"))
                return
            }
            allocationRefreshAt = now + configuration.refreshDelay(for: lifetime)
            statistics.allocationRefreshes += 1
        case .permission(let ip):
            guard let permission = permissions[ip] else { return }
            if permission.installed { statistics.permissionRefreshes += 1 }
            permissions[ip]?.installed = true
            let renewAt = now + configuration.refreshDelay(for: configuration.permissionLifetime)
            permissions[ip]?.refreshAt = renewAt
            flushPending(for: ip, at: now)
        case .channelBind(let number, let peer):
            guard let channel = channels[peer], channel.number == number else { return }
            if channel.bound { statistics.channelRefreshes += 1 }
            channels[peer]?.bound = true
            let renewAt = now + configuration.refreshDelay(for: configuration.channelBindingLifetime)
            channels[peer]?.refreshAt = renewAt
            // A binding also installs (and refreshes) the permission.
            if permissions[peer.ip] != nil { permissions[peer.ip]?.installed = true }
        }
    }

    private mutating func handleError(_ response: STUNMessage, transaction: TURNTransaction, at now: ContinuousClock.Instant) {
        let code = response.errorCode
        switch code?.code {
        case 401, 438:
            // 401: the realm and nonce to authenticate with (again: a nonce
            // expired on a server that says 401). 438: a new nonce.
            let newNonce = response.text(.nonce)
            guard let newNonce, transaction.authenticationRetries < 2 else {
                requestFailed(transaction.purpose, TURNClientError(errorCode: code, "\(transaction.purpose) was refused: check the TURN username and credential"), at: now)
                return
            }
            if let newRealm = response.text(.realm) { realm = newRealm }
            guard let realm else {
                requestFailed(transaction.purpose, TURNClientError(errorCode: code, "the server sent no REALM"), at: now)
                return
            }
            nonce = newNonce
            if code?.code == 438 { statistics.staleNonces += 1 }
            if integrity == nil || code?.code == 401 {
                integrity = .longTerm(username: username, realm: realm, password: password)
            }
            sendRequest(transaction.purpose, authenticationRetries: transaction.authenticationRetries + 1, at: now)
        default:
            requestFailed(transaction.purpose, TURNClientError(errorCode: code, "\(transaction.purpose) was refused"), at: now)
        }
    }

    /// A request that was refused or got no answer.
    mutating func requestFailed(_ purpose: TURNTransaction.Purpose, _ error: TURNClientError, at now: ContinuousClock.Instant) {
        switch purpose {
        case .allocate:
            fail(error)
        case .refresh(let lifetime):
            if lifetime > 0 { fail(error) }
        case .permission(let ip):
            logger.debug("TURN permission failed: \(error)")
            permissions[ip] = nil
            pendingPayloads.removeAll { $0.peer.ip == ip }
        case .channelBind(let number, let peer):
            logger.debug("TURN channel binding failed: \(error)")
            if channels[peer]?.number == number {
                channels[peer] = nil
                peersByChannel[number] = nil
            }
        }
    }
}
