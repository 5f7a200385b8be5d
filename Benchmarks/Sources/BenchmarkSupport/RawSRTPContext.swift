import CSRTPBench

/// A libsrtp2 context created straight from the C API, for the raw-C baselines.
///
/// Its policy matches what `SRTPSession` sets up (one context for any SSRC,
/// a 1024-packet replay window, repeated transmissions allowed), so that the
/// baseline and the library do the same cryptographic work. The benchmarks
/// call `srtp_protect`/`srtp_unprotect` on ``context`` themselves.
public final class RawSRTPContext {
    /// The SRTP profiles the benchmarks compare.
    public enum Profile: Sendable, CaseIterable, CustomStringConvertible {
        /// AES_CM_128_HMAC_SHA1_80: AES-128 counter mode and an 80-bit HMAC-SHA1 tag.
        case aes128CMHMACSHA1_80
        /// AEAD_AES_128_GCM: AES-128 GCM and a 16-byte tag.
        case aeadAES128GCM

        /// The master key length in bytes.
        public var keyLength: Int { 16 }
        /// The master salt length in bytes.
        public var saltLength: Int { self == .aes128CMHMACSHA1_80 ? 14 : 12 }
        /// The bytes protection appends to an RTP packet.
        public var rtpTagLength: Int { self == .aes128CMHMACSHA1_80 ? 10 : 16 }
        /// The name RFC 5764 and RFC 7714 give the profile.
        public var description: String {
            self == .aes128CMHMACSHA1_80 ? "AES_CM_128_HMAC_SHA1_80" : "AEAD_AES_128_GCM"
        }
    }

    /// Which way the context works.
    public enum Direction: Sendable {
        /// Protects outgoing packets.
        case outbound
        /// Unprotects incoming packets.
        case inbound
    }

    /// The bytes libsrtp2 may write after an RTP packet while protecting it.
    public static let maximumTrailerLength = Int(SRTP_MAX_TRAILER_LEN)

    /// The libsrtp2 session.
    public let context: srtp_t

    /// Creates a context for `profile` with ``TestKeys`` key and salt.
    ///
    /// libsrtp2 is initialized only if it is not yet (a second `srtp_init` in a
    /// process fails, and SecureTransport calls it on its first session): create
    /// an `SRTPSession` first when both are used.
    public init(profile: Profile, direction: Direction) {
        var policy = srtp_policy_t()
        switch profile {
        case .aes128CMHMACSHA1_80:
            srtp_crypto_policy_set_rtp_default(&policy.rtp)
            srtp_crypto_policy_set_rtp_default(&policy.rtcp)
        case .aeadAES128GCM:
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp)
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp)
        }
        policy.ssrc.type = direction == .outbound ? ssrc_any_outbound : ssrc_any_inbound
        policy.ssrc.value = 0
        policy.window_size = 1024
        policy.allow_repeat_tx = 1
        policy.next = nil
        var keyAndSalt = TestKeys.key(for: profile) + TestKeys.salt(for: profile)
        var created: srtp_t?
        func create() -> srtp_err_status_t {
            keyAndSalt.withUnsafeMutableBufferPointer { buffer in
                policy.key = buffer.baseAddress
                defer { policy.key = nil }
                return srtp_create(&created, &policy)
            }
        }
        var status = create()
        if status == srtp_err_status_init_fail {
            let initStatus = srtp_init()
            precondition(initStatus == srtp_err_status_ok, "srtp_init failed: \(initStatus.rawValue)")
            status = create()
        }
        guard status == srtp_err_status_ok, let created else {
            preconditionFailure("srtp_create failed: \(status.rawValue)")
        }
        context = created
    }

    deinit {
        srtp_dealloc(context)
    }
}
