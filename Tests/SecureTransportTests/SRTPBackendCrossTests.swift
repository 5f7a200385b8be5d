import SecureTransport
import Testing

/// Randomized cross-tests of the OpenSSL transform against libsrtp2: for the same
/// keys, both backends must write the same bytes, each must accept what the other
/// protects, and both must refuse the same tampered, replayed and stale packets.
@Suite("The OpenSSL SRTP transform is bit for bit libsrtp2's")
struct SRTPBackendCrossTests {
    /// One pair of sessions per backend over the same random keys.
    struct Pairs {
        let openSSLOut: SRTPSession
        let libsrtpOut: SRTPSession
        let openSSLIn: SRTPSession
        let libsrtpIn: SRTPSession

        init(_ profile: SRTPProtectionProfile, random: inout SeededGenerator, windowSize: Int = 1024) throws {
            let key = (0..<profile.keyLength).map { _ in UInt8.random(in: 0...255, using: &random) }
            let salt = (0..<profile.saltLength).map { _ in UInt8.random(in: 0...255, using: &random) }
            func session(_ direction: SRTPSession.Direction, _ backend: SRTPBackend) throws -> SRTPSession {
                try SRTPSession(
                    profile: profile, key: key, salt: salt, direction: direction,
                    replayWindowSize: windowSize, backend: backend)
            }
            openSSLOut = try session(.outbound, .openSSL)
            libsrtpOut = try session(.outbound, .libsrtp2)
            openSSLIn = try session(.inbound, .openSSL)
            libsrtpIn = try session(.inbound, .libsrtp2)
        }
    }

    /// What an unprotect call gave: the plaintext, or the error's code.
    enum Outcome: Equatable {
        case accepted([UInt8])
        case refused(SecureTransportError.Code)
    }

    static func unprotect(_ session: SRTPSession, _ packet: [UInt8], rtcp: Bool = false) -> Outcome {
        var copy = packet
        do {
            if rtcp { try session.unprotectRTCP(&copy) } else { try session.unprotect(srtp: &copy) }
            return .accepted(copy)
        } catch let error as SecureTransportError {
            return .refused(error.code)
        } catch {
            return .refused(.srtpFailure)
        }
    }

    /// An RTP packet with a random header shape (CSRCs, a header extension, the
    /// marker and payload type) and `payloadLength` random bytes.
    static func randomRTP(
        sequence: UInt16, ssrc: UInt32, payloadLength: Int, random: inout SeededGenerator
    ) -> [UInt8] {
        let csrcCount = Int.random(in: 0...3, using: &random)
        let hasExtension = Bool.random(using: &random)
        var packet: [UInt8] = [
            0x80 | (hasExtension ? 0x10 : 0) | UInt8(csrcCount),
            UInt8.random(in: 0...255, using: &random),
            UInt8(sequence >> 8), UInt8(sequence & 0xFF),
        ]
        packet += (0..<4).map { _ in UInt8.random(in: 0...255, using: &random) }
        packet += withUnsafeBytes(of: ssrc.bigEndian, Array.init)
        packet += (0..<(4 * csrcCount)).map { _ in UInt8.random(in: 0...255, using: &random) }
        if hasExtension {
            let words = Int.random(in: 0...3, using: &random)
            packet += [0xBE, 0xDE, 0, UInt8(words)]
            packet += (0..<(4 * words)).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
        packet += (0..<payloadLength).map { _ in UInt8.random(in: 0...255, using: &random) }
        return packet
    }

    /// An RTCP packet of the sender `ssrc` with `bodyLength` random bytes after it.
    static func randomRTCP(ssrc: UInt32, bodyLength: Int, random: inout SeededGenerator) -> [UInt8] {
        let words = (8 + bodyLength) / 4 - 1
        var packet: [UInt8] = [0x80, 200 + UInt8.random(in: 0...6, using: &random), UInt8(words >> 8), UInt8(words & 0xFF)]
        packet += withUnsafeBytes(of: ssrc.bigEndian, Array.init)
        packet += (0..<bodyLength).map { _ in UInt8.random(in: 0...255, using: &random) }
        return packet
    }

    @Test(
        "every payload size from 0 to 1400 bytes: both backends write the same SRTP, and each unprotects the other's",
        arguments: SRTPProtectionProfile.allCases)
    func everyPayloadSize(profile: SRTPProtectionProfile) throws {
        var random = SeededGenerator(seed: 0x5EED_0000 + UInt64(profile.rawValue))
        let sessions = try Pairs(profile, random: &random)
        var sequence = UInt16.random(in: 0...UInt16.max, using: &random)
        for payloadLength in 0...1400 {
            sequence &+= 1
            let plain = Self.randomRTP(sequence: sequence, ssrc: 0x0102_0304, payloadLength: payloadLength, random: &random)
            var viaOpenSSL = plain
            var viaLibsrtp = plain
            try sessions.openSSLOut.protect(rtp: &viaOpenSSL)
            try sessions.libsrtpOut.protect(rtp: &viaLibsrtp)
            #expect(viaOpenSSL == viaLibsrtp, "payload of \(payloadLength) bytes")
            #expect(Self.unprotect(sessions.libsrtpIn, viaOpenSSL) == .accepted(plain))
            #expect(Self.unprotect(sessions.openSSLIn, viaLibsrtp) == .accepted(plain))
        }
    }

    @Test(
        "SRTCP of every size and a run of indices: the same bytes from both, each unprotects the other's",
        arguments: SRTPProtectionProfile.allCases)
    func srtcpIndices(profile: SRTPProtectionProfile) throws {
        var random = SeededGenerator(seed: 0xC0DE_0000 + UInt64(profile.rawValue))
        let sessions = try Pairs(profile, random: &random)
        for round in 0..<700 {
            let ssrc: UInt32 = round % 3 == 0 ? 0xAAAA_0001 : 0xBBBB_0002
            let plain = Self.randomRTCP(ssrc: ssrc, bodyLength: 4 * (round % 350), random: &random)
            var viaOpenSSL = plain
            var viaLibsrtp = plain
            try sessions.openSSLOut.protectRTCP(&viaOpenSSL)
            try sessions.libsrtpOut.protectRTCP(&viaLibsrtp)
            #expect(viaOpenSSL == viaLibsrtp, "round \(round)")
            // Alternate which backend receives first, so both inbound windows see every index.
            #expect(Self.unprotect(sessions.libsrtpIn, viaOpenSSL, rtcp: true) == .accepted(plain))
            #expect(Self.unprotect(sessions.openSSLIn, viaLibsrtp, rtcp: true) == .accepted(plain))
        }
    }

    @Test(
        "sequence numbers that wrap several times, with jumps, reordering, duplicates and stale packets: the same verdicts and bytes",
        arguments: SRTPProtectionProfile.allCases)
    func wrapReorderAndReplay(profile: SRTPProtectionProfile) throws {
        var random = SeededGenerator(seed: 0xF00D_0000 + UInt64(profile.rawValue))
        let sessions = try Pairs(profile, random: &random, windowSize: 128)
        var sequence: UInt16 = 65_000
        var sent: [[UInt8]] = []
        var outcomes: [Outcome: Int] = [:]
        for _ in 0..<6000 {
            // Mostly the next number, sometimes a jump forward (never past half the space).
            sequence &+= Bool.random(using: &random) || Int.random(in: 0..<10, using: &random) > 0
                ? 1 : UInt16.random(in: 2...3000, using: &random)
            let plain = Self.randomRTP(
                sequence: sequence, ssrc: 0xCAFE_0001, payloadLength: Int.random(in: 0...200, using: &random),
                random: &random)
            var viaOpenSSL = plain
            var viaLibsrtp = plain
            try sessions.openSSLOut.protect(rtp: &viaOpenSSL)
            try sessions.libsrtpOut.protect(rtp: &viaLibsrtp)
            #expect(viaOpenSSL == viaLibsrtp)
            sent.append(viaOpenSSL)

            // Deliver the new packet or, now and then, one sent earlier (a duplicate, a
            // late one inside the window, or one too old for it).
            let delivered: [UInt8]
            switch Int.random(in: 0..<10, using: &random) {
            case 0: delivered = sent[max(0, sent.count - Int.random(in: 1...300, using: &random))]
            case 1: delivered = sent[sent.count - 1]
            default: delivered = viaOpenSSL
            }
            let fromOpenSSL = Self.unprotect(sessions.openSSLIn, delivered)
            let fromLibsrtp = Self.unprotect(sessions.libsrtpIn, delivered)
            #expect(fromOpenSSL == fromLibsrtp)
            outcomes[fromLibsrtp.verdict, default: 0] += 1
        }
        // The run reached every verdict, so the comparison covered each.
        #expect(outcomes[.accepted([])] ?? 0 > 3000)
        #expect(outcomes[.refused(.replay)] ?? 0 > 100)
    }

    @Test(
        "tampered SRTP and SRTCP: both backends refuse every changed packet with the same code",
        arguments: SRTPProtectionProfile.allCases)
    func tampering(profile: SRTPProtectionProfile) throws {
        var random = SeededGenerator(seed: 0xBAD0_0000 + UInt64(profile.rawValue))
        let sessions = try Pairs(profile, random: &random)
        for round in 0..<400 {
            let plain = Self.randomRTP(
                sequence: UInt16(round), ssrc: 0x7777_0000, payloadLength: Int.random(in: 0...300, using: &random),
                random: &random)
            var protected = plain
            try sessions.openSSLOut.protect(rtp: &protected)
            var tampered = protected
            let position = Int.random(in: 0..<tampered.count, using: &random)
            tampered[position] ^= UInt8.random(in: 1...255, using: &random)
            let fromOpenSSL = Self.unprotect(sessions.openSSLIn, tampered)
            let fromLibsrtp = Self.unprotect(sessions.libsrtpIn, tampered)
            #expect(fromOpenSSL == fromLibsrtp, "byte \(position) of \(tampered.count)")
            if case .accepted = fromOpenSSL { Issue.record("a tampered packet was accepted (byte \(position))") }

            let rtcpPlain = Self.randomRTCP(ssrc: 0x7777_0000, bodyLength: 4 * Int.random(in: 0...40, using: &random), random: &random)
            var rtcp = rtcpPlain
            try sessions.openSSLOut.protectRTCP(&rtcp)
            let rtcpPosition = Int.random(in: 0..<rtcp.count, using: &random)
            rtcp[rtcpPosition] ^= UInt8.random(in: 1...255, using: &random)
            let rtcpOpenSSL = Self.unprotect(sessions.openSSLIn, rtcp, rtcp: true)
            let rtcpLibsrtp = Self.unprotect(sessions.libsrtpIn, rtcp, rtcp: true)
            #expect(rtcpOpenSSL == rtcpLibsrtp, "SRTCP byte \(rtcpPosition) of \(rtcp.count)")
            if case .accepted = rtcpOpenSSL { Issue.record("a tampered SRTCP packet was accepted") }
        }
    }

    @Test("SRTCP replays and packets older than the 128-index window: the same verdicts from both")
    func srtcpReplay() throws {
        var random = SeededGenerator(seed: 0xAB_CDEF)
        let sessions = try Pairs(.aes128CMHMACSHA1_80, random: &random)
        var sent: [[UInt8]] = []
        var refusals = 0
        for _ in 0..<1000 {
            var packet = Self.randomRTCP(ssrc: 0x1234_5678, bodyLength: 20, random: &random)
            try sessions.openSSLOut.protectRTCP(&packet)
            sent.append(packet)
            // Skip some packets now so that they arrive late, or never.
            guard Int.random(in: 0..<4, using: &random) > 0 else { continue }
            let delivered = Bool.random(using: &random) ? packet : sent[max(0, sent.count - Int.random(in: 1...200, using: &random))]
            let fromOpenSSL = Self.unprotect(sessions.openSSLIn, delivered, rtcp: true)
            let fromLibsrtp = Self.unprotect(sessions.libsrtpIn, delivered, rtcp: true)
            #expect(fromOpenSSL == fromLibsrtp)
            if fromLibsrtp == .refused(.replay) { refusals += 1 }
        }
        #expect(refusals > 50)
    }
}

extension SRTPBackendCrossTests.Outcome: Hashable {
    /// The outcome without its bytes, for counting.
    var verdict: Self {
        switch self {
        case .accepted: .accepted([])
        case .refused: self
        }
    }
}
