/// The SRTP master keys and salts that a DTLS-SRTP handshake produced, already
/// assigned to this endpoint's sending (local) and receiving (remote) directions.
///
/// The description never shows the keys.
public struct SRTPKeyingMaterial: Sendable, Hashable, CustomStringConvertible {
    /// The protection profile the handshake negotiated.
    public let profile: SRTPProtectionProfile
    /// The master key this endpoint protects its outgoing packets with.
    public let localKey: [UInt8]
    /// The master salt this endpoint protects its outgoing packets with.
    public let localSalt: [UInt8]
    /// The master key the peer protects its packets with (to unprotect them here).
    public let remoteKey: [UInt8]
    /// The master salt the peer protects its packets with.
    public let remoteSalt: [UInt8]

    /// The label of the TLS exporter for DTLS-SRTP (RFC 5764 section 4.2).
    public static let exporterLabel = "EXTRACTOR-dtls_srtp"

    /// Creates keying material from its parts.
    public init(
        profile: SRTPProtectionProfile,
        localKey: [UInt8], localSalt: [UInt8],
        remoteKey: [UInt8], remoteSalt: [UInt8]
    ) {
        self.profile = profile
        self.localKey = localKey
        self.localSalt = localSalt
        self.remoteKey = remoteKey
        self.remoteSalt = remoteSalt
    }

    /// The exporter output length a profile needs: `2 * (keyLength + saltLength)`.
    public static func exportedLength(for profile: SRTPProtectionProfile) -> Int {
        2 * (profile.keyLength + profile.saltLength)
    }

    /// Splits the output of the `EXTRACTOR-dtls_srtp` exporter, laid out as
    /// client key, server key, client salt, server salt (RFC 5764 section 4.2), and
    /// assigns the halves by `role`: the client sends with the client's key and salt.
    ///
    /// - Throws: `SecureTransportError` `.keyExportFailed` when the length does not fit
    ///   the profile.
    public init(exported: some Collection<UInt8>, profile: SRTPProtectionProfile, role: DTLSRole) throws {
        let bytes = Array(exported)
        let keyLength = profile.keyLength
        let saltLength = profile.saltLength
        guard bytes.count == Self.exportedLength(for: profile) else {
            throw SecureTransportError(
                .keyExportFailed,
                "\(profile.name) needs \(Self.exportedLength(for: profile)) exported bytes, got \(bytes.count)")
        }
        let clientKey = Array(bytes[0..<keyLength])
        let serverKey = Array(bytes[keyLength..<(2 * keyLength)])
        let clientSalt = Array(bytes[(2 * keyLength)..<(2 * keyLength + saltLength)])
        let serverSalt = Array(bytes[(2 * keyLength + saltLength)...])
        switch role {
        case .client:
            self.init(profile: profile, localKey: clientKey, localSalt: clientSalt, remoteKey: serverKey, remoteSalt: serverSalt)
        case .server:
            self.init(profile: profile, localKey: serverKey, localSalt: serverSalt, remoteKey: clientKey, remoteSalt: clientSalt)
        }
    }

    /// Names the profile; the keys stay hidden.
    public var description: String { "SRTPKeyingMaterial(\(profile.name), keys redacted)" }
}
