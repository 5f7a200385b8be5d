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

    /// The backend new sessions use unless told otherwise: libsrtp2 for now.
    /// The OpenSSL transform gives the same bytes as libsrtp2 in every test,
    /// yet a real call through a 1 Mbit/s `tc tbf` bottleneck settled at
    /// 740-775 kbit/s with it against 855-867 with libsrtp2, which is not
    /// understood yet; it becomes the default once it is.
    public static let `default`: SRTPBackend = .libsrtp2

    /// The backend's name, as statistics show it.
    public var description: String { rawValue }
}
