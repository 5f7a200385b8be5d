import CSRTP

/// An SRTP and SRTCP context for one direction of a DTLS-SRTP association, over
/// libsrtp2 (RFC 3711, RFC 7714).
///
/// An outbound session protects every SSRC this endpoint sends, an inbound one
/// unprotects every SSRC the peer sends (libsrtp2's `ssrc_any_outbound` and
/// `ssrc_any_inbound` templates), so new streams need no set-up. Replay
/// protection is on for received packets (a window of `replayWindowSize` RTP
/// packets; SRTCP's window is libsrtp2's 128).
///
/// Packets are processed in place: `protect` grows the array by the trailer,
/// `unprotect` shrinks it. Give the arrays spare capacity
/// (`SRTPSession.maximumTrailerLength`) to avoid reallocations. When an
/// operation throws, the packet keeps its length but its bytes may have been
/// changed (libsrtp2 decrypts in place and may clear a payload whose tag failed):
/// drop it.
///
/// Not `Sendable`: libsrtp2 contexts are not thread-safe, so one owner (the
/// driver of the media path) uses a session at a time.
public final class SRTPSession {
    /// Which packets the session handles.
    public enum Direction: Sendable, Hashable {
        /// Protects this endpoint's outgoing packets (with the local key).
        case outbound
        /// Unprotects the peer's incoming packets (with the remote key).
        case inbound
    }

    /// The spare bytes libsrtp2 may write after a packet while protecting it
    /// (`SRTP_MAX_TRAILER_LEN` plus the 4-byte SRTCP index).
    public static let maximumTrailerLength = Int(SRTP_MAX_TRAILER_LEN) + 4

    /// The protection profile.
    public let profile: SRTPProtectionProfile
    /// Whether this session protects or unprotects.
    public let direction: Direction

    private let session: srtp_t

    /// Creates a session from a master key and salt.
    ///
    /// - Parameters:
    ///   - replayWindowSize: how many RTP packets back a late packet may still be
    ///     accepted (64...32767).
    ///   - allowRepeatTransmission: for an outbound session, whether protecting the
    ///     same RTP sequence number twice is allowed (a retransmission of the same
    ///     packet, as libwebrtc allows for NACK without RTX). Never reuse a sequence
    ///     number for different content with GCM.
    /// - Throws: `.invalidKey` when the key or salt length does not fit the profile,
    ///   `.invalidConfiguration` for a window out of range, `.srtpFailure` if libsrtp2
    ///   refuses.
    public init(
        profile: SRTPProtectionProfile,
        key: [UInt8],
        salt: [UInt8],
        direction: Direction,
        replayWindowSize: Int = 1024,
        allowRepeatTransmission: Bool = true
    ) throws {
        guard key.count == profile.keyLength, salt.count == profile.saltLength else {
            throw SecureTransportError(
                .invalidKey,
                "\(profile.name) needs a \(profile.keyLength)-byte key and a \(profile.saltLength)-byte salt, "
                    + "got \(key.count) and \(salt.count)")
        }
        guard (64...0x7FFF).contains(replayWindowSize) else {
            throw SecureTransportError(.invalidConfiguration, "replay window \(replayWindowSize) is outside 64...32767")
        }

        var policy = srtp_policy_t()
        switch profile {
        case .aes128CMHMACSHA1_80:
            srtp_crypto_policy_set_rtp_default(&policy.rtp)
            srtp_crypto_policy_set_rtp_default(&policy.rtcp)
        case .aes128CMHMACSHA1_32:
            srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp)
            srtp_crypto_policy_set_rtp_default(&policy.rtcp)  // SRTCP keeps the 80-bit tag
        case .aeadAES128GCM:
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp)
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp)
        case .aeadAES256GCM:
            srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtp)
            srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtcp)
        }
        policy.ssrc.type = direction == .outbound ? ssrc_any_outbound : ssrc_any_inbound
        policy.ssrc.value = 0
        policy.window_size = UInt(replayWindowSize)
        policy.allow_repeat_tx = allowRepeatTransmission ? 1 : 0
        policy.next = nil

        var keyAndSalt = key + salt
        defer { for index in keyAndSalt.indices { keyAndSalt[index] = 0 } }
        var created: srtp_t?
        func create() -> srtp_err_status_t {
            keyAndSalt.withUnsafeMutableBufferPointer { buffer in
                policy.key = buffer.baseAddress
                defer { policy.key = nil }
                return srtp_create(&created, &policy)
            }
        }
        let status = try SRTPLibrary.create(create)
        guard status == srtp_err_status_ok, let created else {
            throw SRTPLibrary.error(for: status, operation: "srtp_create")
        }
        self.session = created
        self.profile = profile
        self.direction = direction
    }

    /// Creates the outbound (local key) or inbound (remote key) session for keys a
    /// DTLS handshake exported.
    public convenience init(
        keyingMaterial: SRTPKeyingMaterial,
        direction: Direction,
        replayWindowSize: Int = 1024
    ) throws {
        switch direction {
        case .outbound:
            try self.init(
                profile: keyingMaterial.profile, key: keyingMaterial.localKey, salt: keyingMaterial.localSalt,
                direction: .outbound, replayWindowSize: replayWindowSize)
        case .inbound:
            try self.init(
                profile: keyingMaterial.profile, key: keyingMaterial.remoteKey, salt: keyingMaterial.remoteSalt,
                direction: .inbound, replayWindowSize: replayWindowSize)
        }
    }

    deinit {
        srtp_dealloc(session)
    }

    // MARK: Arrays

    /// Encrypts and authenticates an RTP packet in place, appending the tag.
    ///
    /// - Throws: `.invalidState` on an inbound session, `.invalidPacket` for a
    ///   malformed RTP header, `.replay` for a repeated sequence number when repeats
    ///   are not allowed.
    public func protect(rtp packet: inout [UInt8]) throws {
        try process(&packet, growBy: Self.maximumTrailerLength) { try protect(rtp: $0, count: $1) }
    }

    /// Verifies and decrypts an SRTP packet in place, removing the tag.
    ///
    /// - Throws: `.invalidState` on an outbound session, `.invalidPacket` when it is
    ///   too short or its header is malformed, `.authenticationFailed` for a wrong tag,
    ///   `.replay` for a packet already seen or too old.
    public func unprotect(srtp packet: inout [UInt8]) throws {
        try process(&packet, growBy: 0) { try unprotect(srtp: $0, count: $1) }
    }

    /// Encrypts and authenticates an RTCP compound packet in place, appending the
    /// SRTCP index and tag.
    ///
    /// - Throws: `.invalidState` on an inbound session, `.invalidPacket` for a
    ///   malformed RTCP header.
    public func protectRTCP(_ packet: inout [UInt8]) throws {
        try process(&packet, growBy: Self.maximumTrailerLength) { try protectRTCP($0, count: $1) }
    }

    /// Verifies and decrypts an SRTCP packet in place, removing the index and tag.
    ///
    /// - Throws: as `unprotect(srtp:)`.
    public func unprotectRTCP(_ packet: inout [UInt8]) throws {
        try process(&packet, growBy: 0) { try unprotectRTCP($0, count: $1) }
    }

    // MARK: Buffers

    /// Protects the RTP packet in the first `count` bytes of `buffer`, which must
    /// have `maximumTrailerLength` writable bytes after the packet and start
    /// 4-byte aligned. Returns the SRTP packet's length.
    public func protect(rtp buffer: UnsafeMutableRawBufferPointer, count: Int) throws -> Int {
        try require(.outbound, "protect")
        try Self.validateRTP(buffer, count: count, minimumTrailer: 0)
        try requireRoom(buffer, count: count)
        return try call(buffer, count: count, operation: "srtp_protect") { srtp_protect(session, $0, $1) }
    }

    /// Unprotects the SRTP packet in the first `count` bytes of `buffer`. Returns the
    /// RTP packet's length.
    public func unprotect(srtp buffer: UnsafeMutableRawBufferPointer, count: Int) throws -> Int {
        try require(.inbound, "unprotect")
        try Self.validateRTP(buffer, count: count, minimumTrailer: profile.rtpTrailerLength)
        return try call(buffer, count: count, operation: "srtp_unprotect") { srtp_unprotect(session, $0, $1) }
    }

    /// Protects the RTCP packet in the first `count` bytes of `buffer` (same room
    /// and alignment as `protect(rtp:count:)`). Returns the SRTCP packet's length.
    public func protectRTCP(_ buffer: UnsafeMutableRawBufferPointer, count: Int) throws -> Int {
        try require(.outbound, "protectRTCP")
        try Self.validateRTCP(buffer, count: count, minimumTrailer: 0)
        try requireRoom(buffer, count: count)
        return try call(buffer, count: count, operation: "srtp_protect_rtcp") { srtp_protect_rtcp(session, $0, $1) }
    }

    /// Unprotects the SRTCP packet in the first `count` bytes of `buffer`. Returns the
    /// RTCP packet's length.
    public func unprotectRTCP(_ buffer: UnsafeMutableRawBufferPointer, count: Int) throws -> Int {
        try require(.inbound, "unprotectRTCP")
        try Self.validateRTCP(buffer, count: count, minimumTrailer: profile.rtcpTrailerLength)
        return try call(buffer, count: count, operation: "srtp_unprotect_rtcp") {
            srtp_unprotect_rtcp(session, $0, $1)
        }
    }

    // MARK: Internals

    private func process(
        _ packet: inout [UInt8],
        growBy extra: Int,
        _ body: (UnsafeMutableRawBufferPointer, Int) throws -> Int
    ) throws {
        let count = packet.count
        if extra > 0 { packet.append(contentsOf: repeatElement(0, count: extra)) }
        var newCount = count
        do {
            newCount = try packet.withUnsafeMutableBytes { try body($0, count) }
        } catch {
            packet.removeLast(packet.count - count)
            throw error
        }
        packet.removeLast(packet.count - newCount)
    }

    private func require(_ expected: Direction, _ operation: String) throws {
        guard direction == expected else {
            throw SecureTransportError(.invalidState, "\(operation) needs an \(expected) session")
        }
    }

    private func requireRoom(_ buffer: UnsafeMutableRawBufferPointer, count: Int) throws {
        guard buffer.count - count >= Self.maximumTrailerLength else {
            throw SecureTransportError(
                .invalidPacket, "the buffer needs \(Self.maximumTrailerLength) spare bytes after the packet")
        }
    }

    private func call(
        _ buffer: UnsafeMutableRawBufferPointer,
        count: Int,
        operation: String,
        _ function: (UnsafeMutableRawPointer, UnsafeMutablePointer<Int32>) -> srtp_err_status_t
    ) throws -> Int {
        var length = Int32(count)
        let status = function(buffer.baseAddress!, &length)
        guard status == srtp_err_status_ok else { throw SRTPLibrary.error(for: status, operation: operation) }
        guard length >= 0, Int(length) <= buffer.count else {
            throw SecureTransportError(.srtpFailure, "\(operation) returned length \(length)")
        }
        return Int(length)
    }

    /// Checks an RTP header (RFC 3550 section 5.1): version 2, CSRC list and header
    /// extension within the packet, and room for a trailer.
    static func validateRTP(_ buffer: UnsafeMutableRawBufferPointer, count: Int, minimumTrailer: Int) throws {
        guard count >= 0, count <= buffer.count, count <= Int(Int32.max) else {
            throw SecureTransportError(.invalidPacket, "packet length \(count) does not fit the buffer")
        }
        guard count >= 12 else {
            throw SecureTransportError(.invalidPacket, "an RTP packet needs 12 header bytes, got \(count)")
        }
        guard buffer[0] >> 6 == 2 else {
            throw SecureTransportError(.invalidPacket, "RTP version must be 2")
        }
        var headerLength = 12 + 4 * Int(buffer[0] & 0x0F)
        if buffer[0] & 0x10 != 0 {
            guard count >= headerLength + 4 else {
                throw SecureTransportError(.invalidPacket, "RTP header extension is truncated")
            }
            headerLength += 4 + 4 * (Int(buffer[headerLength + 2]) << 8 | Int(buffer[headerLength + 3]))
        }
        guard count >= headerLength + minimumTrailer else {
            throw SecureTransportError(
                .invalidPacket, "packet of \(count) bytes is shorter than its \(headerLength)-byte header and trailer")
        }
    }

    /// Checks an RTCP header (RFC 3550 section 6.4): version 2, at least the first
    /// 8 bytes (header and SSRC), and room for a trailer.
    static func validateRTCP(_ buffer: UnsafeMutableRawBufferPointer, count: Int, minimumTrailer: Int) throws {
        guard count >= 0, count <= buffer.count, count <= Int(Int32.max) else {
            throw SecureTransportError(.invalidPacket, "packet length \(count) does not fit the buffer")
        }
        guard count >= 8 + minimumTrailer else {
            throw SecureTransportError(.invalidPacket, "an RTCP packet of \(count) bytes is too short")
        }
        guard buffer[0] >> 6 == 2 else {
            throw SecureTransportError(.invalidPacket, "RTCP version must be 2")
        }
    }
}
