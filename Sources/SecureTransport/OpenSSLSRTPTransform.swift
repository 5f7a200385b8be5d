/// SRTP and SRTCP (RFC 3711, RFC 7714) over OpenSSL's EVP ciphers and SHA-1: the
/// transform behind `SRTPBackend.openSSL`.
///
/// It follows libsrtp2 packet for packet, so that either end of a call may use
/// either library: the same session keys (RFC 3711 key derivation), the same
/// index guess across sequence-number wrap, the same replay windows (RTP: the
/// configured size; SRTCP: 128), SRTCP indices starting at 1, and streams made
/// for any SSRC on first use (inbound ones only once a packet authenticates).
/// The packet checks are the caller's (`SRTPSession` validates headers and
/// lengths first).
final class OpenSSLSRTPTransform {

    let profile: SRTPProtectionProfile
    private let rtp: SRTPPacketCipher
    private let rtcp: SRTPPacketCipher
    private let windowSize: Int
    private let allowRepeatTransmission: Bool
    private let rtpTagLength: Int
    private let rtcpTagLength: Int
    private var streams: [UInt32: SRTPStreamState] = [:]
    /// The stream of the last packet, checked before the dictionary.
    private var lastStream: SRTPStreamState?

    init(
        profile: SRTPProtectionProfile, key: [UInt8], salt: [UInt8], outbound: Bool,
        replayWindowSize: Int, allowRepeatTransmission: Bool
    ) throws {
        var rtpKeys = try SRTPKeyDerivation.sessionKeys(profile: profile, masterKey: key, masterSalt: salt, rtcp: false)
        var rtcpKeys = try SRTPKeyDerivation.sessionKeys(profile: profile, masterKey: key, masterSalt: salt, rtcp: true)
        defer {
            rtpKeys.erase()
            rtcpKeys.erase()
        }
        self.profile = profile
        self.rtp = try SRTPPacketCipher(profile: profile, keys: rtpKeys, encrypting: outbound)
        self.rtcp = try SRTPPacketCipher(profile: profile, keys: rtcpKeys, encrypting: outbound)
        self.windowSize = replayWindowSize
        self.allowRepeatTransmission = allowRepeatTransmission
        self.rtpTagLength = profile.rtpTrailerLength
        self.rtcpTagLength = profile.rtcpTrailerLength - 4
    }

    // MARK: SRTP

    /// Protects the RTP packet of `count` bytes (header `headerLength`) at `bytes`,
    /// which has room for the tag after it. Returns the SRTP length.
    func protect(rtp bytes: UnsafeMutablePointer<UInt8>, count: Int, headerLength: Int) throws -> Int {
        let ssrc = Self.readUInt32(bytes + 8)
        let stream = try stream(ssrc)
        let (index, delta) = stream.rtp.pointee.estimate(sequenceNumber: Self.readUInt16(bytes + 2))
        switch stream.rtp.pointee.check(delta) {
        case .fresh:
            stream.rtp.pointee.add(delta)
        case .repeated where allowRepeatTransmission:
            break
        case .repeated:
            throw SecureTransportError(.replay, "SRTP protect: this sequence number was already protected")
        case .tooOld:
            throw SecureTransportError(.replay, "SRTP protect: the sequence number is older than the replay window")
        }
        let payload = bytes + headerLength
        let payloadCount = count - headerLength
        switch rtp.mode {
        case .counter:
            guard rtp.applyCounterMode(payload, count: payloadCount, ssrc: ssrc, index: index) else {
                throw Self.cipherFailure("SRTP protect")
            }
            var roc = UInt32(truncatingIfNeeded: index >> 16).bigEndian
            withUnsafeBytes(of: &roc) { rocBytes in
                rtp.writeTag(
                    of: bytes, count: count, suffix: rocBytes.baseAddress!, suffixCount: 4,
                    to: bytes + count, tagLength: rtpTagLength)
            }
        case .gcm:
            guard rtp.seal(
                aad: bytes, aadCount: headerLength, extra: bytes, extraCount: 0,
                data: payload, count: payloadCount, tag: bytes + count, ssrc: ssrc, index: index)
            else { throw Self.cipherFailure("SRTP protect") }
        }
        return count + rtpTagLength
    }

    /// Unprotects the SRTP packet of `count` bytes (header `headerLength`, tag
    /// included) at `bytes`. Returns the RTP length.
    func unprotect(srtp bytes: UnsafeMutablePointer<UInt8>, count: Int, headerLength: Int) throws -> Int {
        let ssrc = Self.readUInt32(bytes + 8)
        let sequenceNumber = Self.readUInt16(bytes + 2)
        let known = existingStream(ssrc)
        let (index, delta) =
            known?.rtp.pointee.estimate(sequenceNumber: sequenceNumber)
            ?? SRTPReplayWindow.estimate(sequenceNumber: sequenceNumber, after: 0)
        if let known {
            switch known.rtp.pointee.check(delta) {
            case .fresh: break
            case .repeated: throw SecureTransportError(.replay, "SRTP unprotect: packet already seen")
            case .tooOld: throw SecureTransportError(.replay, "SRTP unprotect: packet older than the replay window")
            }
        }
        let end = count - rtpTagLength
        let payload = bytes + headerLength
        switch rtp.mode {
        case .counter:
            var roc = UInt32(truncatingIfNeeded: index >> 16).bigEndian
            let verified = withUnsafeBytes(of: &roc) { rocBytes in
                rtp.verifyTag(
                    of: bytes, count: end, suffix: rocBytes.baseAddress!, suffixCount: 4,
                    against: bytes + end, tagLength: rtpTagLength)
            }
            guard verified else { throw Self.authenticationFailure("SRTP") }
            guard rtp.applyCounterMode(payload, count: end - headerLength, ssrc: ssrc, index: index) else {
                throw Self.cipherFailure("SRTP unprotect")
            }
        case .gcm:
            guard rtp.open(
                aad: bytes, aadCount: headerLength, extra: bytes, extraCount: 0,
                data: payload, count: end - headerLength, tag: bytes + end, ssrc: ssrc, index: index)
            else { throw Self.authenticationFailure("SRTP") }
        }
        let stream = try known ?? stream(ssrc)
        stream.rtp.pointee.add(delta)
        return end
    }

    // MARK: SRTCP

    /// Protects the RTCP packet of `count` bytes at `bytes`, which has room for the
    /// index and tag after it. Returns the SRTCP length.
    func protectRTCP(_ bytes: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        let ssrc = Self.readUInt32(bytes + 4)
        let stream = try stream(ssrc)
        guard let index = stream.rtcp.pointee.nextOutboundIndex() else {
            throw SecureTransportError(.srtpFailure, "SRTCP protect: the 31-bit index is used up; the keys must change")
        }
        let word = 0x8000_0000 | index
        switch rtcp.mode {
        case .counter:
            guard rtcp.applyCounterMode(bytes + 8, count: count - 8, ssrc: ssrc, index: UInt64(index)) else {
                throw Self.cipherFailure("SRTCP protect")
            }
            Self.writeUInt32(word, to: bytes + count)
            rtcp.writeTag(
                of: bytes, count: count + 4, suffix: bytes, suffixCount: 0,
                to: bytes + count + 4, tagLength: rtcpTagLength)
        case .gcm:
            // header | ciphertext | tag | E and index, the last word also authenticated.
            let trailer = bytes + count + SRTPPacketCipher.gcmTagLength
            Self.writeUInt32(word, to: trailer)
            guard rtcp.seal(
                aad: bytes, aadCount: 8, extra: trailer, extraCount: 4,
                data: bytes + 8, count: count - 8, tag: bytes + count, ssrc: ssrc, index: UInt64(index))
            else { throw Self.cipherFailure("SRTCP protect") }
        }
        return count + 4 + rtcpTagLength
    }

    /// Unprotects the SRTCP packet of `count` bytes (index and tag included) at
    /// `bytes`. Returns the RTCP length.
    func unprotectRTCP(_ bytes: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        let ssrc = Self.readUInt32(bytes + 4)
        let end = count - 4 - rtcpTagLength
        let wordPosition = rtcp.mode == .counter ? end : count - 4
        let word = Self.readUInt32(bytes + wordPosition)
        guard word & 0x8000_0000 != 0 else {
            throw SecureTransportError(
                .authenticationFailed, "SRTCP unprotect: the packet is not encrypted, as the profile requires")
        }
        let index = word & SRTCPReplayWindow.maximumIndex
        let known = existingStream(ssrc)
        if let known {
            switch known.rtcp.pointee.check(index) {
            case .fresh: break
            case .repeated: throw SecureTransportError(.replay, "SRTCP unprotect: packet already seen")
            case .tooOld: throw SecureTransportError(.replay, "SRTCP unprotect: packet older than the replay window")
            }
        }
        switch rtcp.mode {
        case .counter:
            guard rtcp.verifyTag(
                of: bytes, count: end + 4, suffix: bytes, suffixCount: 0,
                against: bytes + end + 4, tagLength: rtcpTagLength)
            else { throw Self.authenticationFailure("SRTCP") }
            guard rtcp.applyCounterMode(bytes + 8, count: end - 8, ssrc: ssrc, index: UInt64(index)) else {
                throw Self.cipherFailure("SRTCP unprotect")
            }
        case .gcm:
            guard rtcp.open(
                aad: bytes, aadCount: 8, extra: bytes + wordPosition, extraCount: 4,
                data: bytes + 8, count: end - 8, tag: bytes + end, ssrc: ssrc, index: UInt64(index))
            else { throw Self.authenticationFailure("SRTCP") }
        }
        let stream = try known ?? stream(ssrc)
        stream.rtcp.pointee.add(index)
        return end
    }

    // MARK: Streams

    /// The state of `ssrc`, if it has any.
    private func existingStream(_ ssrc: UInt32) -> SRTPStreamState? {
        if let lastStream, lastStream.ssrc == ssrc { return lastStream }
        guard let found = streams[ssrc] else { return nil }
        lastStream = found
        return found
    }

    /// The state of `ssrc`, made when it has none yet.
    private func stream(_ ssrc: UInt32) throws -> SRTPStreamState {
        if let existing = existingStream(ssrc) { return existing }
        guard streams.count < SRTPSession.maximumStreams else {
            throw SecureTransportError(
                .invalidPacket, "SRTP: a packet of a new SSRC beyond the \(SRTPSession.maximumStreams) this session keeps")
        }
        let made = SRTPStreamState(ssrc: ssrc, windowSize: windowSize)
        streams[ssrc] = made
        lastStream = made
        return made
    }

    // MARK: Bytes and errors

    private static func readUInt16(_ bytes: UnsafePointer<UInt8>) -> UInt16 {
        UInt16(bytes[0]) << 8 | UInt16(bytes[1])
    }

    private static func readUInt32(_ bytes: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3])
    }

    private static func writeUInt32(_ value: UInt32, to bytes: UnsafeMutablePointer<UInt8>) {
        bytes[0] = UInt8(truncatingIfNeeded: value >> 24)
        bytes[1] = UInt8(truncatingIfNeeded: value >> 16)
        bytes[2] = UInt8(truncatingIfNeeded: value >> 8)
        bytes[3] = UInt8(truncatingIfNeeded: value)
    }

    private static func authenticationFailure(_ protocolName: String) -> SecureTransportError {
        SecureTransportError(.authenticationFailed, "\(protocolName) unprotect: authentication tag did not verify")
    }

    private static func cipherFailure(_ operation: String) -> SecureTransportError {
        SecureTransportError(.srtpFailure, "\(operation): an OpenSSL cipher call failed")
    }
}
