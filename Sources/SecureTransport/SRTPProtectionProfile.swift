/// An SRTP protection profile that DTLS-SRTP can negotiate (RFC 5764, RFC 7714).
///
/// The raw value is the profile's IANA identifier as it travels in the `use_srtp`
/// extension.
public enum SRTPProtectionProfile: UInt16, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `SRTP_AES128_CM_HMAC_SHA1_80`: AES-128 counter mode, 80-bit HMAC-SHA1 tag.
    case aes128CMHMACSHA1_80 = 0x0001
    /// `SRTP_AES128_CM_HMAC_SHA1_32`: AES-128 counter mode, 32-bit HMAC-SHA1 tag on RTP
    /// (SRTCP keeps the 80-bit tag, RFC 5764 section 4.1.2).
    case aes128CMHMACSHA1_32 = 0x0002
    /// `SRTP_AEAD_AES_128_GCM`: AES-128 GCM with a 16-byte tag (RFC 7714).
    case aeadAES128GCM = 0x0007
    /// `SRTP_AEAD_AES_256_GCM`: AES-256 GCM with a 16-byte tag (RFC 7714).
    case aeadAES256GCM = 0x0008

    /// The profile's name as OpenSSL's `use_srtp` configuration spells it.
    public var name: String {
        switch self {
        case .aes128CMHMACSHA1_80: "SRTP_AES128_CM_SHA1_80"
        case .aes128CMHMACSHA1_32: "SRTP_AES128_CM_SHA1_32"
        case .aeadAES128GCM: "SRTP_AEAD_AES_128_GCM"
        case .aeadAES256GCM: "SRTP_AEAD_AES_256_GCM"
        }
    }

    /// The master key length in bytes.
    public var keyLength: Int {
        switch self {
        case .aes128CMHMACSHA1_80, .aes128CMHMACSHA1_32, .aeadAES128GCM: 16
        case .aeadAES256GCM: 32
        }
    }

    /// The master salt length in bytes (14 for counter mode, 12 for GCM).
    public var saltLength: Int {
        switch self {
        case .aes128CMHMACSHA1_80, .aes128CMHMACSHA1_32: 14
        case .aeadAES128GCM, .aeadAES256GCM: 12
        }
    }

    /// The bytes `protect(rtp:)` appends to an RTP packet (the authentication tag).
    public var rtpTrailerLength: Int {
        switch self {
        case .aes128CMHMACSHA1_80: 10
        case .aes128CMHMACSHA1_32: 4
        case .aeadAES128GCM, .aeadAES256GCM: 16
        }
    }

    /// The bytes `protectRTCP(_:)` appends to an RTCP packet (E flag and index, then the tag).
    public var rtcpTrailerLength: Int {
        switch self {
        case .aes128CMHMACSHA1_80, .aes128CMHMACSHA1_32: 4 + 10
        case .aeadAES128GCM, .aeadAES256GCM: 4 + 16
        }
    }

    /// The profile's name.
    public var description: String { name }
}
