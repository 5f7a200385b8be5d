@testable import SecureTransport
import Testing

@Suite("DTLS-SRTP handshake between two endpoints in memory")
struct DTLSHandshakeTests {
    @Test("both sides connect with the forced profile and mirrored keys", arguments: SRTPProtectionProfile.allCases)
    func handshakePerProfile(profile: SRTPProtectionProfile) throws {
        let pair = try DTLSPair(clientProfiles: [profile], serverProfiles: SRTPProtectionProfile.allCases)
        pair.handshake()
        #expect(pair.client.state == .connected)
        #expect(pair.server.state == .connected)
        let clientKeys = try #require(pair.clientKeys)
        let serverKeys = try #require(pair.serverKeys)
        #expect(clientKeys.profile == profile)
        #expect(serverKeys.profile == profile)
        #expect(clientKeys.localKey == serverKeys.remoteKey)
        #expect(clientKeys.localSalt == serverKeys.remoteSalt)
        #expect(clientKeys.remoteKey == serverKeys.localKey)
        #expect(clientKeys.remoteSalt == serverKeys.localSalt)
        #expect(clientKeys.localKey != clientKeys.remoteKey)
        #expect(clientKeys.localKey.count == profile.keyLength)
        #expect(clientKeys.localSalt.count == profile.saltLength)
        #expect(clientKeys.remoteKey.count == profile.keyLength)
        #expect(clientKeys.remoteSalt.count == profile.saltLength)
        #expect(pair.client.keyingMaterial == clientKeys)
        #expect(pair.server.keyingMaterial == serverKeys)
        // One .connected each and nothing else.
        #expect(pair.clientEvents.count == 1)
        #expect(pair.serverEvents.count == 1)
    }

    @Test("SRTP and SRTCP protected with one side's keys unprotect with the other side's", arguments: SRTPProtectionProfile.allCases)
    func mediaFlowsWithHandshakeKeys(profile: SRTPProtectionProfile) throws {
        let pair = try DTLSPair(clientProfiles: [profile], serverProfiles: [profile])
        pair.handshake()
        let clientKeys = try #require(pair.clientKeys)
        let serverKeys = try #require(pair.serverKeys)

        for (senderKeys, receiverKeys) in [(clientKeys, serverKeys), (serverKeys, clientKeys)] {
            let sender = try SRTPSession(keyingMaterial: senderKeys, direction: .outbound)
            let receiver = try SRTPSession(keyingMaterial: receiverKeys, direction: .inbound)
            for sequence: UInt16 in 1...5 {
                let original = RTPSamples.rtp(sequence: sequence)
                var packet = original
                try sender.protect(rtp: &packet)
                #expect(packet.count == original.count + profile.rtpTrailerLength)
                #expect(packet[12...] != original[12...] + Array(repeating: 0, count: profile.rtpTrailerLength))
                try receiver.unprotect(srtp: &packet)
                #expect(packet == original)
            }
            let originalRTCP = RTPSamples.rtcp()
            var rtcp = originalRTCP
            try sender.protectRTCP(&rtcp)
            #expect(rtcp.count == originalRTCP.count + profile.rtcpTrailerLength)
            try receiver.unprotectRTCP(&rtcp)
            #expect(rtcp == originalRTCP)

            // The sender's own receive key does not open its packets.
            let wrong = try SRTPSession(keyingMaterial: senderKeys, direction: .inbound)
            var packet = RTPSamples.rtp(sequence: 9)
            try sender.protect(rtp: &packet)
            let error = #expect(throws: SecureTransportError.self) { try wrong.unprotect(srtp: &packet) }
            #expect(error?.code == .authenticationFailed)
        }
    }

    @Test("with the default offers both sides pick AEAD_AES_128_GCM")
    func defaultProfile() throws {
        let pair = try DTLSPair()
        pair.handshake()
        #expect(pair.clientKeys?.profile == .aeadAES128GCM)
        #expect(pair.serverKeys?.profile == .aeadAES128GCM)
    }

    @Test("without a common SRTP profile both sides fail and no keys come out")
    func noCommonProfile() throws {
        let pair = try DTLSPair(clientProfiles: [.aes128CMHMACSHA1_80], serverProfiles: [.aeadAES128GCM])
        pair.handshake()
        #expect(pair.clientKeys == nil)
        #expect(pair.serverKeys == nil)
        #expect(pair.client.keyingMaterial == nil)
        #expect(pair.server.keyingMaterial == nil)
        #expect(DTLSPair.failure(in: pair.clientEvents)?.code == .srtpNotNegotiated)
        #expect(DTLSPair.failure(in: pair.serverEvents)?.code == .srtpNotNegotiated)
        #expect(pair.client.state == .failed)
        #expect(pair.server.state == .failed)
        #expect(!pair.clientEvents.contains { if case .connected = $0 { true } else { false } })
        #expect(!pair.serverEvents.contains { if case .connected = $0 { true } else { false } })
    }

    @Test("every datagram stays within the MTU, also with a small MTU and an RSA certificate", arguments: [1200, 300])
    func datagramsWithinMTU(mtu: Int) throws {
        let pair = try DTLSPair(serverCertificate: try DTLSCertificate(keyAlgorithm: .rsa2048), mtu: mtu)
        pair.handshake()
        #expect(pair.client.state == .connected)
        #expect(pair.server.state == .connected)
        let all = pair.sentByClient + pair.sentByServer
        #expect(!all.isEmpty)
        #expect(all.allSatisfy { $0.count <= mtu })
        #expect(all.allSatisfy { (20...63).contains($0[0]) })  // RFC 7983 demultiplexing range
        if mtu == 300 {
            #expect(pair.sentByServer.count > 4)  // the RSA certificate alone needs several datagrams
        }
    }

    @Test("with ECDSA certificates each flight fits in one datagram: two each way")
    func flightsPackedIntoDatagrams() throws {
        let pair = try DTLSPair()
        pair.handshake()
        #expect(pair.client.state == .connected)
        // ClientHello; Certificate..Finished. ServerHello..ServerHelloDone; ChangeCipherSpec, Finished.
        #expect(pair.sentByClient.count == 2)
        #expect(pair.sentByServer.count == 2)
        // The second client datagram holds several records (Certificate ... Finished).
        let second = pair.sentByClient[1]
        var records = 0
        var offset = 0
        while offset + 13 <= second.count {
            offset += 13 + (Int(second[offset + 11]) << 8 | Int(second[offset + 12]))
            records += 1
        }
        #expect(offset == second.count)
        #expect(records >= 5)
    }

    @Test("application data flows both ways after the handshake, and close_notify closes both sides")
    func applicationDataAndClose() throws {
        let pair = try DTLSPair()
        pair.handshake()
        try #require(pair.client.state == .connected)
        let message: [UInt8] = Array("hello over DTLS".utf8)
        try pair.client.send(applicationData: message)
        try pair.server.send(applicationData: message.reversed())
        pair.exchange(at: .now)
        #expect(pair.serverEvents.contains(.applicationData(message)))
        #expect(pair.clientEvents.contains(.applicationData(message.reversed())))

        let tooLarge = #expect(throws: SecureTransportError.self) {
            try pair.client.send(applicationData: [UInt8](repeating: 1, count: pair.client.maximumApplicationDataSize + 1))
        }
        #expect(tooLarge?.code == .applicationDataTooLarge)
        try pair.client.send(applicationData: [UInt8](repeating: 7, count: pair.client.maximumApplicationDataSize))
        pair.exchange(at: .now)
        #expect(pair.sentByClient.allSatisfy { $0.count <= 1200 })
        #expect(pair.serverEvents.contains(.applicationData([UInt8](repeating: 7, count: pair.client.maximumApplicationDataSize))))

        pair.client.close()
        pair.exchange(at: .now)
        #expect(pair.client.state == .closed)
        #expect(pair.server.state == .closed)
        #expect(pair.clientEvents.last == .closed)
        #expect(pair.serverEvents.last == .closed)
        let afterClose = #expect(throws: SecureTransportError.self) { try pair.client.send(applicationData: message) }
        #expect(afterClose?.code == .invalidState)
    }

    @Test("sending before the handshake finished is refused")
    func sendBeforeConnected() throws {
        let pair = try DTLSPair()
        let error = #expect(throws: SecureTransportError.self) { try pair.client.send(applicationData: [1, 2, 3]) }
        #expect(error?.code == .invalidState)
    }

    @Test("a server handed a ClientHello before start() starts by itself and connects")
    func serverStartsOnFirstDatagram() throws {
        let pair = try DTLSPair()
        let now = ContinuousClock.now
        pair.client.start(at: now)
        pair.exchange(at: now)
        #expect(pair.client.state == .connected)
        #expect(pair.server.state == .connected)
    }

    @Test("invalid endpoint settings are refused")
    func invalidConfiguration() throws {
        let certificate = try DTLSCertificate()
        for (profiles, mtu, timeout) in [
            ([SRTPProtectionProfile](), 1200, Duration.seconds(1)),
            (DTLSEndpoint.defaultSRTPProfiles, 100, .seconds(1)),
            (DTLSEndpoint.defaultSRTPProfiles, 70_000, .seconds(1)),
            (DTLSEndpoint.defaultSRTPProfiles, 1200, .zero),
            (DTLSEndpoint.defaultSRTPProfiles, 1200, .seconds(61)),
        ] {
            let error = #expect(throws: SecureTransportError.self) {
                try DTLSEndpoint(
                    role: .client, certificate: certificate, remoteFingerprint: certificate.fingerprint,
                    srtpProfiles: profiles, mtu: mtu, initialRetransmitTimeout: timeout)
            }
            #expect(error?.code == .invalidConfiguration)
        }
    }
}
