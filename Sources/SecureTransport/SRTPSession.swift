import CSRTP

/// An SRTP and SRTCP context for one direction of a DTLS-SRTP association
/// (RFC 3711, RFC 7714), over libsrtp2 (the default) or OpenSSL: see
/// `SRTPBackend`. Both give the same bytes and accept the same packets.
///
/// An outbound session protects every SSRC this endpoint sends, an inbound one
/// unprotects every SSRC the peer sends, so new streams need no set-up. Replay
/// protection is on for received packets (a window of `replayWindowSize` RTP
/// packets; SRTCP's window is 128, as libsrtp2's).
///
/// Packets are processed in place: `protect` grows the array by the trailer,
/// `unprotect` shrinks it. Give the arrays spare capacity
/// (`SRTPSession.maximumTrailerLength`) to avoid reallocations. When an
/// operation throws, the packet keeps its length but its bytes may have been
/// changed (both backends decrypt in place before a GCM tag is known to fail):
/// drop it.
///
/// Not `Sendable`: the cipher contexts are not thread-safe, so one owner (the
/// driver of the media path) uses a session at a time.
public final class SRTPSession {
    /// Which packets the session handles.
    public enum Direction: Sendable, Hashable {
        /// Protects this endpoint's outgoing packets (with the local key).
        case outbound
        /// Unprotects the peer's incoming packets (with the remote key).
        case inbound
    }

    /// The spare bytes either backend may write after a packet while protecting it
    /// (libsrtp2's `SRTP_MAX_TRAILER_LEN` plus the 4-byte SRTCP index).
    public static let maximumTrailerLength = Int(SRTP_MAX_TRAILER_LEN) + 4

    /// The most SSRCs a session keeps state for, with either backend. A packet
    /// of a new SSRC beyond it is refused (`invalidPacket`); far above what a
    /// call uses, it bounds the memory a peer can make this side hold by
    /// rotating SSRCs. An inbound SSRC counts once one of its packets authenticates.
    public static let maximumStreams = 1024

    /// The protection profile.
    public let profile: SRTPProtectionProfile
    /// Whether this session protects or unprotects.
    public let direction: Direction
    /// The library doing the cryptography.
    public let backend: SRTPBackend

    /// The transform of the chosen backend.
    private enum Transform {
        case openSSL(OpenSSLSRTPTransform)
        case libsrtp2(LibSRTPTransform)
    }

    private let transform: Transform

    /// Creates a session from a master key and salt.
    ///
    /// - Parameters:
    ///   - replayWindowSize: how many RTP packets back a late packet may still be
    ///     accepted (64...32767).
    ///   - allowRepeatTransmission: for an outbound session, whether protecting the
    ///     same RTP sequence number twice is allowed (a retransmission of the same
    ///     packet, as libwebrtc allows for NACK without RTX). Never reuse a sequence
    ///     number for different content with GCM.
    ///   - backend: the library doing the cryptography.
    /// - Throws: `.invalidKey` when the key or salt length does not fit the profile,
    ///   `.invalidConfiguration` for a window out of range, `.srtpFailure` if the
    ///   library refuses.
    public init(
        profile: SRTPProtectionProfile,
        key: [UInt8],
        salt: [UInt8],
        direction: Direction,
        replayWindowSize: Int = 1024,
        allowRepeatTransmission: Bool = true,
        backend: SRTPBackend = .default
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

        switch backend {
        case .openSSL:
            transform = .openSSL(
                try OpenSSLSRTPTransform(
                    profile: profile, key: key, salt: salt, outbound: direction == .outbound,
                    replayWindowSize: replayWindowSize, allowRepeatTransmission: allowRepeatTransmission))
        case .libsrtp2:
            transform = .libsrtp2(
                try LibSRTPTransform(
                    profile: profile, key: key, salt: salt, outbound: direction == .outbound,
                    replayWindowSize: replayWindowSize, allowRepeatTransmission: allowRepeatTransmission))
        }
        self.backend = backend
        self.profile = profile
        self.direction = direction
    }

    /// Creates the outbound (local key) or inbound (remote key) session for keys a
    /// DTLS handshake exported.
    public convenience init(
        keyingMaterial: SRTPKeyingMaterial,
        direction: Direction,
        replayWindowSize: Int = 1024,
        backend: SRTPBackend = .default
    ) throws {
        switch direction {
        case .outbound:
            try self.init(
                profile: keyingMaterial.profile, key: keyingMaterial.localKey, salt: keyingMaterial.localSalt,
                direction: .outbound, replayWindowSize: replayWindowSize, backend: backend)
        case .inbound:
            try self.init(
                profile: keyingMaterial.profile, key: keyingMaterial.remoteKey, salt: keyingMaterial.remoteSalt,
                direction: .inbound, replayWindowSize: replayWindowSize, backend: backend)
        }
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
        let headerLength = try Self.validateRTP(buffer, count: count, minimumTrailer: 0)
        try requireRoom(buffer, count: count)
        switch transform {
        case .openSSL(let openSSL):
            return try openSSL.protect(rtp: bytes(buffer), count: count, headerLength: headerLength)
        case .libsrtp2(let libsrtp):
            return try checked(libsrtp.protect(rtp: buffer.baseAddress!, count: count), buffer, "protect")
        }
    }

    /// Unprotects the SRTP packet in the first `count` bytes of `buffer`. Returns the
    /// RTP packet's length.
    public func unprotect(srtp buffer: UnsafeMutableRawBufferPointer, count: Int) throws -> Int {
        try require(.inbound, "unprotect")
        let headerLength = try Self.validateRTP(buffer, count: count, minimumTrailer: profile.rtpTrailerLength)
        switch transform {
        case .openSSL(let openSSL):
            return try openSSL.unprotect(srtp: bytes(buffer), count: count, headerLength: headerLength)
        case .libsrtp2(let libsrtp):
            return try checked(libsrtp.unprotect(srtp: buffer.baseAddress!, count: count), buffer, "unprotect")
        }
    }

    /// Protects the RTCP packet in the first `count` bytes of `buffer` (same room
    /// and alignment as `protect(rtp:count:)`). Returns the SRTCP packet's length.
    public func protectRTCP(_ buffer: UnsafeMutableRawBufferPointer, count: Int) throws -> Int {
        try require(.outbound, "protectRTCP")
        try Self.validateRTCP(buffer, count: count, minimumTrailer: 0)
        try requireRoom(buffer, count: count)
        switch transform {
        case .openSSL(let openSSL):
            return try openSSL.protectRTCP(bytes(buffer), count: count)
        case .libsrtp2(let libsrtp):
            return try checked(libsrtp.protectRTCP(buffer.baseAddress!, count: count), buffer, "protectRTCP")
        }
    }

    /// Unprotects the SRTCP packet in the first `count` bytes of `buffer`. Returns the
    /// RTCP packet's length.
    public func unprotectRTCP(_ buffer: UnsafeMutableRawBufferPointer, count: Int) throws -> Int {
        try require(.inbound, "unprotectRTCP")
        try Self.validateRTCP(buffer, count: count, minimumTrailer: profile.rtcpTrailerLength)
        switch transform {
        case .openSSL(let openSSL):
            return try openSSL.unprotectRTCP(bytes(buffer), count: count)
        case .libsrtp2(let libsrtp):
            return try checked(libsrtp.unprotectRTCP(buffer.baseAddress!, count: count), buffer, "unprotectRTCP")
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

    private func bytes(_ buffer: UnsafeMutableRawBufferPointer) -> UnsafeMutablePointer<UInt8> {
        buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
    }

    /// A length a library returned, checked against the buffer.
    private func checked(_ length: Int, _ buffer: UnsafeMutableRawBufferPointer, _ operation: String) throws -> Int {
        guard length >= 0, length <= buffer.count else {
            throw SecureTransportError(.srtpFailure, "\(operation) returned length \(length)")
        }
        return length
    }

    /// Checks an RTP header (RFC 3550 section 5.1): version 2, CSRC list and header
    /// extension within the packet, and room for a trailer. Returns the header's
    /// length.
    @discardableResult
    static func validateRTP(_ buffer: UnsafeMutableRawBufferPointer, count: Int, minimumTrailer: Int) throws -> Int {
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
        return headerLength
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
