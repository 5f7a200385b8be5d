import SecureTransport
import Testing

/// Known-answer vectors from libsrtp2's own validation (test/srtp_driver.c:
/// `srtp_validate` and `srtp_validate_gcm`), SSRC 0xCAFEBABE, sequence 0x1234.
enum SRTPReferenceVectors {
    static let rtpPlaintext: [UInt8] = hexBytes("800f1234decafbadcafebabe" + String(repeating: "ab", count: 16))
    static let rtcpPlaintext: [UInt8] = hexBytes("81c8000bcafebabe" + String(repeating: "ab", count: 16))

    static let cmKey = hexBytes("e1f97a0d3e018be0d64fa32c06de4139")
    static let cmSalt = hexBytes("0ec675ad498afeebb6960b3aabe6")
    static let cm80RTP = hexBytes(
        "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb")
    static let cm32RTP = hexBytes("800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc")
    static let cm80RTCP = hexBytes(
        "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798")

    static let gcmKey = hexBytes("000102030405060708090a0b0c0d0e0f")
    static let gcmSalt = hexBytes("a0a1a2a3a4a5a6a7a8a9aaab")
    static let gcmRTP = hexBytes(
        "800f1234decafbadcafebabec5002ede04cfdd2eb91159e0880aa06ed2976826f796b201df3131a127e8a392")
    static let gcmRTCP = hexBytes(
        "81c8000bcafebabec98b8b5df0392a55852b6c21ac8e7025c52c6fbea2b3b446ea31123ba88ce61e80000001")
}

@Suite("SRTP and SRTCP sessions, over each backend")
struct SRTPSessionTests {
    typealias Vectors = SRTPReferenceVectors

    static func sessions(
        _ profile: SRTPProtectionProfile, _ backend: SRTPBackend, seed: UInt8 = 1
    ) throws -> (SRTPSession, SRTPSession) {
        let key = (0..<profile.keyLength).map { UInt8(truncatingIfNeeded: Int($0) &* 31 &+ Int(seed)) }
        let salt = (0..<profile.saltLength).map { UInt8(truncatingIfNeeded: Int($0) &* 17 &+ Int(seed) &+ 3) }
        return (
            try SRTPSession(profile: profile, key: key, salt: salt, direction: .outbound, backend: backend),
            try SRTPSession(profile: profile, key: key, salt: salt, direction: .inbound, backend: backend)
        )
    }

    @Test("AES_CM_128_HMAC_SHA1_80 reproduces libsrtp's reference SRTP and SRTCP packets", arguments: SRTPBackend.allCases)
    func referenceCM80(backend: SRTPBackend) throws {
        let sender = try SRTPSession(profile: .aes128CMHMACSHA1_80, key: Vectors.cmKey, salt: Vectors.cmSalt, direction: .outbound, backend: backend)
        var rtp = Vectors.rtpPlaintext
        try sender.protect(rtp: &rtp)
        #expect(rtp == Vectors.cm80RTP)
        var rtcp = Vectors.rtcpPlaintext
        try sender.protectRTCP(&rtcp)
        #expect(rtcp == Vectors.cm80RTCP)

        let receiver = try SRTPSession(profile: .aes128CMHMACSHA1_80, key: Vectors.cmKey, salt: Vectors.cmSalt, direction: .inbound, backend: backend)
        var srtp = Vectors.cm80RTP
        try receiver.unprotect(srtp: &srtp)
        #expect(srtp == Vectors.rtpPlaintext)
        var srtcp = Vectors.cm80RTCP
        try receiver.unprotectRTCP(&srtcp)
        #expect(srtcp == Vectors.rtcpPlaintext)
    }

    @Test("AES_CM_128_HMAC_SHA1_32 truncates the tag to 4 bytes, as libsrtp's reference", arguments: SRTPBackend.allCases)
    func referenceCM32(backend: SRTPBackend) throws {
        let sender = try SRTPSession(profile: .aes128CMHMACSHA1_32, key: Vectors.cmKey, salt: Vectors.cmSalt, direction: .outbound, backend: backend)
        var rtp = Vectors.rtpPlaintext
        try sender.protect(rtp: &rtp)
        #expect(rtp == Vectors.cm32RTP)
        // SRTCP keeps the 80-bit tag under this profile.
        var rtcp = Vectors.rtcpPlaintext
        try sender.protectRTCP(&rtcp)
        #expect(rtcp == Vectors.cm80RTCP)
    }

    @Test("AEAD_AES_128_GCM reproduces libsrtp's reference SRTP and SRTCP packets", arguments: SRTPBackend.allCases)
    func referenceGCM(backend: SRTPBackend) throws {
        let sender = try SRTPSession(profile: .aeadAES128GCM, key: Vectors.gcmKey, salt: Vectors.gcmSalt, direction: .outbound, backend: backend)
        var rtp = Vectors.rtpPlaintext
        try sender.protect(rtp: &rtp)
        #expect(rtp == Vectors.gcmRTP)
        var rtcp = Vectors.rtcpPlaintext
        try sender.protectRTCP(&rtcp)
        #expect(rtcp == Vectors.gcmRTCP)

        let receiver = try SRTPSession(profile: .aeadAES128GCM, key: Vectors.gcmKey, salt: Vectors.gcmSalt, direction: .inbound, backend: backend)
        var srtp = Vectors.gcmRTP
        try receiver.unprotect(srtp: &srtp)
        #expect(srtp == Vectors.rtpPlaintext)
        var srtcp = Vectors.gcmRTCP
        try receiver.unprotectRTCP(&srtcp)
        #expect(srtcp == Vectors.rtcpPlaintext)
    }

    @Test("packets of several SSRCs round-trip; the trailer has the profile's length", arguments: SRTPProtectionProfile.allCases, SRTPBackend.allCases)
    func roundTrip(profile: SRTPProtectionProfile, backend: SRTPBackend) throws {
        let (sender, receiver) = try Self.sessions(profile, backend)
        for ssrc: UInt32 in [1, 0xDEAD_BEEF, 42] {
            for sequence: UInt16 in [65_530, 65_531, 65_535, 0, 1, 2] {  // across the rollover
                let original = RTPSamples.rtp(sequence: sequence, ssrc: ssrc)
                var packet = original
                packet.reserveCapacity(original.count + SRTPSession.maximumTrailerLength)
                try sender.protect(rtp: &packet)
                #expect(packet.count == original.count + profile.rtpTrailerLength)
                #expect(packet.prefix(12) == original.prefix(12))
                #expect(packet[12..<original.count] != original[12...])
                try receiver.unprotect(srtp: &packet)
                #expect(packet == original)
            }
            let originalRTCP = RTPSamples.rtcp(ssrc: ssrc)
            var rtcp = originalRTCP
            try sender.protectRTCP(&rtcp)
            #expect(rtcp.count == originalRTCP.count + profile.rtcpTrailerLength)
            try receiver.unprotectRTCP(&rtcp)
            #expect(rtcp == originalRTCP)
        }
    }

    @Test("a packet with CSRCs and a header extension keeps its header in the clear", arguments: SRTPBackend.allCases)
    func headerWithExtension(backend: SRTPBackend) throws {
        let (sender, receiver) = try Self.sessions(.aeadAES128GCM, backend)
        // V=2, X=1, CC=2; two CSRCs; one-byte extension header (0xBEDE) of 1 word.
        var original: [UInt8] = [0x92, 96, 0, 7, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0, 2, 0, 0, 0, 3, 0xBE, 0xDE, 0, 1, 0x10, 0xAA, 0, 0]
        original += [UInt8](repeating: 0x5A, count: 40)
        var packet = original
        try sender.protect(rtp: &packet)
        #expect(packet.prefix(28) == original.prefix(28))
        try receiver.unprotect(srtp: &packet)
        #expect(packet == original)
    }

    @Test("any changed byte fails authentication (or the header check) and leaves the length alone", arguments: SRTPProtectionProfile.allCases, SRTPBackend.allCases)
    func tampered(profile: SRTPProtectionProfile, backend: SRTPBackend) throws {
        let (sender, receiver) = try Self.sessions(profile, backend)
        var protected = RTPSamples.rtp(sequence: 100, payloadLength: 40)
        try sender.protect(rtp: &protected)
        for index in protected.indices {
            var tampered = protected
            tampered[index] ^= 0x01
            let error = #expect(throws: SecureTransportError.self) { try receiver.unprotect(srtp: &tampered) }
            if index == 0 {
                // Flipping the low bit of byte 0 claims a CSRC the packet does not hold room for,
                // or shifts the authenticated header.
                #expect(error?.code == .authenticationFailed || error?.code == .invalidPacket)
            } else {
                #expect(error?.code == .authenticationFailed)
            }
            #expect(tampered.count == protected.count)
        }
        // The untouched packet still verifies: failures left no trace in the replay window.
        try receiver.unprotect(srtp: &protected)

        var rtcp = RTPSamples.rtcp()
        try sender.protectRTCP(&rtcp)
        for index in 1..<rtcp.count {
            var tampered = rtcp
            tampered[index] ^= 0x80
            let error = #expect(throws: SecureTransportError.self) { try receiver.unprotectRTCP(&tampered) }
            #expect(error?.code == .authenticationFailed, "byte \(index): \(String(describing: error))")
        }
    }

    @Test("a replayed packet is refused, and one older than the window too", arguments: [SRTPProtectionProfile.aes128CMHMACSHA1_80, .aeadAES128GCM], SRTPBackend.allCases)
    func replay(profile: SRTPProtectionProfile, backend: SRTPBackend) throws {
        let (sender, receiver) = try Self.sessions(profile, backend)
        var first = RTPSamples.rtp(sequence: 10)
        try sender.protect(rtp: &first)
        let copy = first
        try receiver.unprotect(srtp: &first)
        var again = copy
        let error = #expect(throws: SecureTransportError.self) { try receiver.unprotect(srtp: &again) }
        #expect(error?.code == .replay)
        #expect(again == copy)

        // Sequence 11 is protected now, delivered after 2000 newer packets: outside a 1024 window.
        var late = RTPSamples.rtp(sequence: 11)
        try sender.protect(rtp: &late)
        for sequence: UInt16 in 12...2012 {
            var packet = RTPSamples.rtp(sequence: sequence, payloadLength: 20)
            try sender.protect(rtp: &packet)
            try receiver.unprotect(srtp: &packet)
        }
        let old = #expect(throws: SecureTransportError.self) { try receiver.unprotect(srtp: &late) }
        #expect(old?.code == .replay)

        // A late packet inside the window is still accepted.
        var inWindow = RTPSamples.rtp(sequence: 2013)
        try sender.protect(rtp: &inWindow)
        for sequence: UInt16 in 2014...2100 {
            var packet = RTPSamples.rtp(sequence: sequence, payloadLength: 20)
            try sender.protect(rtp: &packet)
            try receiver.unprotect(srtp: &packet)
        }
        try receiver.unprotect(srtp: &inWindow)

        var rtcp = RTPSamples.rtcp()
        try sender.protectRTCP(&rtcp)
        let rtcpCopy = rtcp
        try receiver.unprotectRTCP(&rtcp)
        var rtcpAgain = rtcpCopy
        let rtcpError = #expect(throws: SecureTransportError.self) { try receiver.unprotectRTCP(&rtcpAgain) }
        #expect(rtcpError?.code == .replay)
    }

    @Test("protecting the same sequence number twice: allowed by default (identical bytes), refused when disallowed", arguments: SRTPBackend.allCases)
    func repeatTransmission(backend: SRTPBackend) throws {
        let (sender, _) = try Self.sessions(.aeadAES128GCM, backend)
        var first = RTPSamples.rtp(sequence: 5)
        var second = RTPSamples.rtp(sequence: 5)
        try sender.protect(rtp: &first)
        try sender.protect(rtp: &second)
        #expect(first == second)

        let strict = try SRTPSession(
            profile: .aeadAES128GCM, key: Array(repeating: 1, count: 16), salt: Array(repeating: 2, count: 12),
            direction: .outbound, allowRepeatTransmission: false, backend: backend)
        var packet = RTPSamples.rtp(sequence: 5)
        try strict.protect(rtp: &packet)
        var repeated = RTPSamples.rtp(sequence: 5)
        let error = #expect(throws: SecureTransportError.self) { try strict.protect(rtp: &repeated) }
        #expect(error?.code == .replay)
        #expect(repeated == RTPSamples.rtp(sequence: 5))
    }

    @Test("every too-short packet is refused with invalidPacket", arguments: SRTPProtectionProfile.allCases, SRTPBackend.allCases)
    func tooShort(profile: SRTPProtectionProfile, backend: SRTPBackend) throws {
        let (sender, receiver) = try Self.sessions(profile, backend)
        var protected = RTPSamples.rtp(sequence: 1, payloadLength: 0)
        try sender.protect(rtp: &protected)
        for length in 0..<(12 + profile.rtpTrailerLength) {
            var short = Array(protected.prefix(length))
            let error = #expect(throws: SecureTransportError.self) { try receiver.unprotect(srtp: &short) }
            #expect(error?.code == .invalidPacket)
            #expect(short.count == length)
        }
        for length in 0..<12 {
            var short = Array(RTPSamples.rtp(sequence: 2).prefix(length))
            let error = #expect(throws: SecureTransportError.self) { try sender.protect(rtp: &short) }
            #expect(error?.code == .invalidPacket)
            #expect(short.count == length)
        }
        var rtcp = RTPSamples.rtcp()
        try sender.protectRTCP(&rtcp)
        for length in 0..<(8 + profile.rtcpTrailerLength) {
            var short = Array(rtcp.prefix(length))
            let error = #expect(throws: SecureTransportError.self) { try receiver.unprotectRTCP(&short) }
            #expect(error?.code == .invalidPacket)
        }
        for length in 0..<8 {
            var short = Array(RTPSamples.rtcp().prefix(length))
            let error = #expect(throws: SecureTransportError.self) { try sender.protectRTCP(&short) }
            #expect(error?.code == .invalidPacket)
        }
    }

    @Test("malformed headers are refused: version, CSRC count and extension beyond the packet", arguments: SRTPBackend.allCases)
    func malformedHeaders(backend: SRTPBackend) throws {
        let (sender, receiver) = try Self.sessions(.aes128CMHMACSHA1_80, backend)
        var version1 = RTPSamples.rtp(sequence: 1)
        version1[0] = 0x40
        #expect((try? sender.protect(rtp: &version1)) == nil)
        var tooManyCSRCs = RTPSamples.rtp(sequence: 1, payloadLength: 20)
        tooManyCSRCs[0] = 0x8F  // 15 CSRCs = 60 bytes
        let csrcError = #expect(throws: SecureTransportError.self) { try sender.protect(rtp: &tooManyCSRCs) }
        #expect(csrcError?.code == .invalidPacket)
        var longExtension = RTPSamples.rtp(sequence: 1, payloadLength: 8)
        longExtension[0] = 0x90
        longExtension[14] = 0xFF  // extension length 0xFF.. words
        let extensionError = #expect(throws: SecureTransportError.self) { try sender.protect(rtp: &longExtension) }
        #expect(extensionError?.code == .invalidPacket)
        var garbage = [UInt8](repeating: 0xFF, count: 64)
        let garbageError = #expect(throws: SecureTransportError.self) { try receiver.unprotect(srtp: &garbage) }
        #expect(garbageError?.code == .invalidPacket)
        var rtcpVersion = RTPSamples.rtcp()
        rtcpVersion[0] = 0x01
        let rtcpError = #expect(throws: SecureTransportError.self) { try sender.protectRTCP(&rtcpVersion) }
        #expect(rtcpError?.code == .invalidPacket)
    }

    @Test("random garbage never crashes unprotect", arguments: SRTPBackend.allCases)
    func randomGarbage(backend: SRTPBackend) throws {
        var random = SeededGenerator(seed: 99)
        for profile in SRTPProtectionProfile.allCases {
            let (_, receiver) = try Self.sessions(profile, backend)
            for _ in 0..<300 {
                var packet = (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                if !packet.isEmpty { packet[0] = 0x80 | (packet[0] & 0x3F) }
                #expect(throws: SecureTransportError.self) { try receiver.unprotect(srtp: &packet) }
                #expect(throws: SecureTransportError.self) { try receiver.unprotectRTCP(&packet) }
            }
        }
    }

    @Test("a session used in the wrong direction refuses", arguments: SRTPBackend.allCases)
    func wrongDirection(backend: SRTPBackend) throws {
        let (sender, receiver) = try Self.sessions(.aeadAES128GCM, backend)
        var packet = RTPSamples.rtp(sequence: 1)
        let protectError = #expect(throws: SecureTransportError.self) { try receiver.protect(rtp: &packet) }
        #expect(protectError?.code == .invalidState)
        let unprotectError = #expect(throws: SecureTransportError.self) { try sender.unprotect(srtp: &packet) }
        #expect(unprotectError?.code == .invalidState)
        var rtcp = RTPSamples.rtcp()
        #expect(throws: SecureTransportError.self) { try receiver.protectRTCP(&rtcp) }
        #expect(throws: SecureTransportError.self) { try sender.unprotectRTCP(&rtcp) }
        #expect(packet == RTPSamples.rtp(sequence: 1))
    }

    @Test("keys and salts of the wrong length, and windows out of range, are refused")
    func invalidKeys() {
        for profile in SRTPProtectionProfile.allCases {
            let shortKey = #expect(throws: SecureTransportError.self) {
                try SRTPSession(
                    profile: profile, key: Array(repeating: 0, count: profile.keyLength - 1),
                    salt: Array(repeating: 0, count: profile.saltLength), direction: .outbound)
            }
            #expect(shortKey?.code == .invalidKey)
            let longSalt = #expect(throws: SecureTransportError.self) {
                try SRTPSession(
                    profile: profile, key: Array(repeating: 0, count: profile.keyLength),
                    salt: Array(repeating: 0, count: profile.saltLength + 1), direction: .inbound)
            }
            #expect(longSalt?.code == .invalidKey)
        }
        let window = #expect(throws: SecureTransportError.self) {
            try SRTPSession(
                profile: .aeadAES128GCM, key: Array(repeating: 0, count: 16), salt: Array(repeating: 0, count: 12),
                direction: .inbound, replayWindowSize: 32)
        }
        #expect(window?.code == .invalidConfiguration)
    }

    @Test("the buffer API protects in place within a caller's buffer and checks the spare room", arguments: SRTPBackend.allCases)
    func bufferAPI(backend: SRTPBackend) throws {
        let (sender, receiver) = try Self.sessions(.aes128CMHMACSHA1_80, backend)
        let original = RTPSamples.rtp(sequence: 3)
        var storage = original + [UInt8](repeating: 0, count: SRTPSession.maximumTrailerLength)
        let protectedLength = try storage.withUnsafeMutableBytes { try sender.protect(rtp: $0, count: original.count) }
        #expect(protectedLength == original.count + 10)
        let plainLength = try storage.withUnsafeMutableBytes { try receiver.unprotect(srtp: $0, count: protectedLength) }
        #expect(Array(storage.prefix(plainLength)) == original)

        var cramped = original + [UInt8](repeating: 0, count: 4)
        let error = #expect(throws: SecureTransportError.self) {
            try cramped.withUnsafeMutableBytes { try sender.protect(rtp: $0, count: original.count) }
        }
        #expect(error?.code == .invalidPacket)
        let beyondEnd = cramped.count + 1
        let overrun = #expect(throws: SecureTransportError.self) {
            try cramped.withUnsafeMutableBytes { try receiver.unprotect(srtp: $0, count: beyondEnd) }
        }
        #expect(overrun?.code == .invalidPacket)
    }
}

