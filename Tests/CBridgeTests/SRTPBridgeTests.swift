import CSRTP
import Testing

/// libsrtp2 keeps global state: `srtp_init` is called before each test (it is
/// idempotent) and `srtp_shutdown` never, since SecureTransport's suites use the
/// library in the same process. The tests of this suite run serially.
@Suite("libsrtp2 bridge", .serialized)
struct SRTPBridgeTests {
    /// The SRTP protection profiles exercised here.
    enum Profile: String, Sendable, CaseIterable, CustomTestStringConvertible {
        case aesCM128HMACSHA1_80 = "AES_CM_128_HMAC_SHA1_80"
        case aeadAES128GCM = "AEAD_AES_128_GCM"

        var testDescription: String { rawValue }

        /// Master key plus master salt length in bytes.
        var keyAndSaltLength: Int {
            switch self {
            case .aesCM128HMACSHA1_80: 30
            case .aeadAES128GCM: 28
            }
        }

        /// Bytes `srtp_protect` appends to an RTP packet.
        var tagLength: Int {
            switch self {
            case .aesCM128HMACSHA1_80: 10
            case .aeadAES128GCM: 16
            }
        }

        func apply(to policy: inout srtp_crypto_policy_t) {
            switch self {
            case .aesCM128HMACSHA1_80: srtp_crypto_policy_set_rtp_default(&policy)
            case .aeadAES128GCM: srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy)
            }
        }

        /// A fixed, recognisable master key and salt of the right length.
        var masterKeyAndSalt: [UInt8] {
            (0..<keyAndSaltLength).map { UInt8(truncatingIfNeeded: 0xA0 &+ $0 &* 13) }
        }
    }

    static let rtpHeaderLength = 12
    static let payloadLength = 160
    static let ssrc: UInt32 = 0x1122_3344
    static let trailerSpace = Int(SRTP_MAX_TRAILER_LEN)

    /// A 12-byte RTP header (V=2, no padding/extension/CSRC, marker 0, PT 96) plus a
    /// 160-byte payload pattern.
    static func makeRTPPacket(sequence: UInt16, timestamp: UInt32) -> [UInt8] {
        var packet: [UInt8] = [
            0x80, 96,
            UInt8(sequence >> 8), UInt8(sequence & 0xFF),
            UInt8(timestamp >> 24), UInt8((timestamp >> 16) & 0xFF),
            UInt8((timestamp >> 8) & 0xFF), UInt8(timestamp & 0xFF),
            UInt8(ssrc >> 24), UInt8((ssrc >> 16) & 0xFF),
            UInt8((ssrc >> 8) & 0xFF), UInt8(ssrc & 0xFF),
        ]
        packet += (0..<payloadLength).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        return packet
    }

    /// Creates a session whose single policy uses a wildcard SSRC.
    static func makeSession(profile: Profile, ssrcType: srtp_ssrc_type_t) throws -> srtp_t {
        var policy = srtp_policy_t()
        profile.apply(to: &policy.rtp)
        profile.apply(to: &policy.rtcp)
        policy.ssrc.type = ssrcType
        policy.ssrc.value = 0
        policy.window_size = 128
        policy.allow_repeat_tx = 0
        policy.next = nil
        var keyMaterial = profile.masterKeyAndSalt
        var session: srtp_t?
        let status = keyMaterial.withUnsafeMutableBufferPointer { key in
            policy.key = key.baseAddress
            defer { policy.key = nil }
            return srtp_create(&session, &policy)
        }
        #expect(status == srtp_err_status_ok, "srtp_create(\(profile.rawValue)) returned \(status.rawValue)")
        return try #require(session)
    }

    /// Protects `packet` in a copy with room for the SRTP trailer; returns the protected bytes.
    static func protect(_ packet: [UInt8], with session: srtp_t) throws -> [UInt8] {
        var buffer = packet + [UInt8](repeating: 0, count: trailerSpace)
        var length = Int32(packet.count)
        let status = buffer.withUnsafeMutableBytes { bytes in
            srtp_protect(session, bytes.baseAddress, &length)
        }
        try #require(status == srtp_err_status_ok, "srtp_protect returned \(status.rawValue)")
        return Array(buffer.prefix(Int(length)))
    }

    /// Unprotects a copy of `packet`; returns the status and the resulting bytes.
    static func unprotect(_ packet: [UInt8], with session: srtp_t) -> (status: srtp_err_status_t, packet: [UInt8]) {
        var buffer = packet
        var length = Int32(packet.count)
        let status = buffer.withUnsafeMutableBytes { bytes in
            srtp_unprotect(session, bytes.baseAddress, &length)
        }
        return (status, Array(buffer.prefix(Int(max(0, length)))))
    }

    /// Runs `body` after `srtp_init` with a sender and a receiver
    /// session sharing the same master key and salt.
    static func withSessions(
        profile: Profile,
        _ body: (_ sender: srtp_t, _ receiver: srtp_t) throws -> Void
    ) throws {
        try #require(libsrtpInitialized, "srtp_init failed")
        let sender = try makeSession(profile: profile, ssrcType: ssrc_any_outbound)
        defer { #expect(srtp_dealloc(sender) == srtp_err_status_ok) }
        let receiver = try makeSession(profile: profile, ssrcType: ssrc_any_inbound)
        defer { #expect(srtp_dealloc(receiver) == srtp_err_status_ok) }
        try body(sender, receiver)
    }

    @Test("library reports a 2.x version")
    func libraryVersion() throws {
        let version = try #require(srtp_get_version_string())
        #expect(String(cString: version).contains("2."))
        #expect(srtp_get_version() >> 24 == 2)
    }

    @Test("protect then unprotect restores the RTP packet", arguments: Profile.allCases)
    func roundTrip(profile: Profile) throws {
        try Self.withSessions(profile: profile) { sender, receiver in
            let original = Self.makeRTPPacket(sequence: 1, timestamp: 3000)
            let protected = try Self.protect(original, with: sender)

            #expect(protected.count == original.count + profile.tagLength)
            // The RTP header travels in the clear; the payload must not.
            #expect(protected.prefix(Self.rtpHeaderLength) == original.prefix(Self.rtpHeaderLength))
            let headerEnd = Self.rtpHeaderLength
            let payloadEnd = headerEnd + Self.payloadLength
            let plainPayload = original[headerEnd..<payloadEnd]
            let cipherPayload = protected[headerEnd..<payloadEnd]
            #expect(plainPayload != cipherPayload)
            let unchangedBytes = zip(plainPayload, cipherPayload).filter { $0 == $1 }.count
            #expect(unchangedBytes < Self.payloadLength / 8)

            let (status, restored) = Self.unprotect(protected, with: receiver)
            #expect(status == srtp_err_status_ok)
            #expect(restored == original)
        }
    }

    @Test("a flipped payload byte fails authentication", arguments: Profile.allCases)
    func tamperedPacketFailsAuthentication(profile: Profile) throws {
        try Self.withSessions(profile: profile) { sender, receiver in
            let original = Self.makeRTPPacket(sequence: 1, timestamp: 3000)
            let protected = try Self.protect(original, with: sender)
            var tampered = protected
            tampered[Self.rtpHeaderLength + 50] ^= 0x01

            let rejected = Self.unprotect(tampered, with: receiver)
            #expect(rejected.status == srtp_err_status_auth_fail)

            // The failed attempt must not poison the replay window for the genuine packet.
            let accepted = Self.unprotect(protected, with: receiver)
            #expect(accepted.status == srtp_err_status_ok)
            #expect(accepted.packet == original)
        }
    }

    @Test("unprotecting the same packet twice is a replay", arguments: Profile.allCases)
    func replayedPacketIsRejected(profile: Profile) throws {
        try Self.withSessions(profile: profile) { sender, receiver in
            let original = Self.makeRTPPacket(sequence: 1, timestamp: 3000)
            let protected = try Self.protect(original, with: sender)

            let first = Self.unprotect(protected, with: receiver)
            #expect(first.status == srtp_err_status_ok)
            #expect(first.packet == original)

            let second = Self.unprotect(protected, with: receiver)
            #expect(second.status == srtp_err_status_replay_fail)

            // A later packet in the same stream is still accepted.
            let next = Self.makeRTPPacket(sequence: 2, timestamp: 3960)
            let third = Self.unprotect(try Self.protect(next, with: sender), with: receiver)
            #expect(third.status == srtp_err_status_ok)
            #expect(third.packet == next)
        }
    }
}

/// libsrtp2 is initialised once per test process and never shut down, because
/// other suites (SecureTransport) use the library in the same process. When
/// another suite initialised it first, `srtp_init` re-runs the self-tests and
/// then fails to register its debug module a second time with `bad_param`:
/// the library is ready all the same.
private let libsrtpInitialized: Bool = {
    let status = srtp_init()
    return status == srtp_err_status_ok || status == srtp_err_status_bad_param
}()
