/// Which library performs an `SRTPSession`'s cryptography.
///
/// Both produce and accept the same bytes, packet for packet (the module's tests
/// cross-check them over every profile): the choice changes the cost per packet,
/// never what is on the wire.
public enum SRTPBackend: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// This module's transform over OpenSSL's EVP ciphers: no allocation per
    /// packet, and the AES-NI and SHA paths of OpenSSL's assembly.
    case openSSL = "openssl"
    /// libsrtp2, the reference implementation (Debian's is built on NSS).
    case libsrtp2 = "libsrtp2"

    /// The backend new sessions use unless told otherwise: the OpenSSL
    /// transform, proven byte for byte against libsrtp2 by the module's tests
    /// and several times faster, with no allocation per packet.
    public static let `default`: SRTPBackend = .openSSL

    /// The backend's name, as statistics show it.
    public var description: String { rawValue }
}
