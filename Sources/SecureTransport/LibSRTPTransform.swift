import CSRTP

/// SRTP and SRTCP through libsrtp2: the transform behind `SRTPBackend.libsrtp2`.
///
/// One libsrtp2 session with the any-SSRC template of its direction
/// (`ssrc_any_outbound` or `ssrc_any_inbound`), so new streams need no set-up.
/// libsrtp2 contexts are not thread-safe; the owning `SRTPSession` is used by one
/// caller at a time.
///
/// libsrtp2 makes a stream for every new SSRC and never frees it, so a peer
/// could grow the session without bound by rotating SSRCs. This transform
/// counts the SSRCs it has let through and refuses a new one beyond
/// ``SRTPSession/maximumStreams``, as the OpenSSL transform does.
final class LibSRTPTransform {
    private let session: srtp_t
    /// The SSRCs libsrtp2 holds a stream for (every one that a packet succeeded for).
    private var streams: Set<UInt32> = []
    /// The SSRC of the latest packet, known to be in `streams`: most packets skip the set.
    private var lastSSRC: UInt32?

    init(
        profile: SRTPProtectionProfile, key: [UInt8], salt: [UInt8], outbound: Bool,
        replayWindowSize: Int, allowRepeatTransmission: Bool
    ) throws {
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
        policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound
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
    }

    deinit {
        srtp_dealloc(session)
    }

    // The session has checked the headers: an RTP packet holds its SSRC at
    // bytes 8-11, an RTCP one at 4-7.

    func protect(rtp bytes: UnsafeMutableRawPointer, count: Int) throws -> Int {
        try call(bytes, count: count, ssrcOffset: 8, operation: "srtp_protect") { srtp_protect(session, $0, $1) }
    }

    func unprotect(srtp bytes: UnsafeMutableRawPointer, count: Int) throws -> Int {
        try call(bytes, count: count, ssrcOffset: 8, operation: "srtp_unprotect") { srtp_unprotect(session, $0, $1) }
    }

    func protectRTCP(_ bytes: UnsafeMutableRawPointer, count: Int) throws -> Int {
        try call(bytes, count: count, ssrcOffset: 4, operation: "srtp_protect_rtcp") { srtp_protect_rtcp(session, $0, $1) }
    }

    func unprotectRTCP(_ bytes: UnsafeMutableRawPointer, count: Int) throws -> Int {
        try call(bytes, count: count, ssrcOffset: 4, operation: "srtp_unprotect_rtcp") { srtp_unprotect_rtcp(session, $0, $1) }
    }

    private func call(
        _ bytes: UnsafeMutableRawPointer,
        count: Int,
        ssrcOffset: Int,
        operation: String,
        _ function: (UnsafeMutableRawPointer, UnsafeMutablePointer<Int32>) -> srtp_err_status_t
    ) throws -> Int {
        let ssrc = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: ssrcOffset, as: UInt32.self))
        let known = ssrc == lastSSRC || streams.contains(ssrc)
        guard known || streams.count < SRTPSession.maximumStreams else {
            throw SecureTransportError(
                .invalidPacket, "SRTP: a packet of a new SSRC beyond the \(SRTPSession.maximumStreams) this session keeps")
        }
        var length = Int32(count)
        let status = function(bytes, &length)
        // libsrtp2 keeps the stream it made only when the packet succeeded.
        guard status == srtp_err_status_ok else { throw SRTPLibrary.error(for: status, operation: operation) }
        if !known { streams.insert(ssrc) }
        lastSSRC = ssrc
        return Int(length)
    }
}
