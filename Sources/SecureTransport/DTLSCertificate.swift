import COpenSSL

/// A self-signed certificate and its private key, which a DTLS endpoint presents
/// to its peer. The peer pins it through the fingerprint in the session
/// description, so no certificate authority is involved (RFC 8827 section 6.5).
///
/// Generate one per peer connection (`init(keyAlgorithm:)`), or load a stored one
/// from PEM. The underlying OpenSSL objects are never changed after creation and
/// OpenSSL counts their references atomically, so one certificate may be shared
/// by endpoints on different threads (hence `@unchecked Sendable`).
public final class DTLSCertificate: @unchecked Sendable {
    /// The kind of key a generated certificate carries.
    public struct KeyAlgorithm: Sendable, Hashable, CustomStringConvertible {
        enum Kind: Hashable { case ecdsaP256, rsa(bits: Int32) }
        let kind: Kind

        /// ECDSA on P-256 (prime256v1) signed with SHA-256: what browsers generate by default.
        public static let ecdsaP256 = KeyAlgorithm(kind: .ecdsaP256)
        /// RSA with a 2048-bit modulus and a SHA-256 signature (RSASSA-PKCS1-v1_5).
        public static let rsa2048 = KeyAlgorithm(kind: .rsa(bits: 2048))

        /// `ECDSA P-256` or `RSA-2048`.
        public var description: String {
            switch kind {
            case .ecdsaP256: "ECDSA P-256"
            case .rsa(let bits): "RSA-\(bits)"
            }
        }
    }

    /// The X509 certificate (`X509 *`).
    let x509: OpaquePointer
    /// The private key (`EVP_PKEY *`).
    let privateKey: OpaquePointer

    /// The certificate's DER encoding.
    public let derEncoded: [UInt8]
    /// The SHA-256 fingerprint of `derEncoded`, to put in SDP as
    /// `a=fingerprint:\(fingerprint)`.
    public let fingerprint: DTLSFingerprint

    /// Generates a key and a self-signed certificate for it.
    ///
    /// The certificate has a random positive 63-bit serial number, the subject and
    /// issuer `CN=<commonName>`, and a validity from `validity` before now to
    /// `validity` after now. Reading "now" here is the one place this module reads
    /// the wall clock; certificates are made outside the protocol state machines.
    ///
    /// - Throws: `.certificateGenerationFailed` if OpenSSL fails, `.invalidConfiguration`
    ///   for a validity outside one second to ten years.
    public convenience init(
        keyAlgorithm: KeyAlgorithm = .ecdsaP256,
        commonName: String = "WebRTC",
        validity: Duration = .seconds(30 * 24 * 3600)
    ) throws {
        let seconds = validity.components.seconds
        guard seconds >= 1, seconds <= 10 * 366 * 24 * 3600 else {
            throw SecureTransportError(.invalidConfiguration, "certificate validity must be between 1 s and 10 years")
        }
        ERR_clear_error()
        let key = try Self.generateKey(keyAlgorithm)
        guard let x509 = X509_new() else {
            EVP_PKEY_free(key)
            throw SecureTransportError(.certificateGenerationFailed, OpenSSLSupport.message("X509_new failed"))
        }
        do {
            try Self.fill(x509, key: key, commonName: commonName, validitySeconds: Int(seconds))
        } catch {
            X509_free(x509)
            EVP_PKEY_free(key)
            throw error
        }
        try self.init(taking: x509, privateKey: key)
    }

    /// Loads a certificate and its private key from PEM text (for example one
    /// stored earlier from `certificatePEM` and `privateKeyPEM`).
    ///
    /// - Throws: `.invalidCertificate` if either does not parse or the key does not
    ///   belong to the certificate.
    public convenience init(certificatePEM: String, privateKeyPEM: String) throws {
        ERR_clear_error()
        let x509 = Self.readPEM(certificatePEM) { PEM_read_bio_X509($0, nil, nil, nil) }
        guard let x509 else {
            throw SecureTransportError(.invalidCertificate, OpenSSLSupport.message("certificate PEM did not parse"))
        }
        let key = Self.readPEM(privateKeyPEM) { PEM_read_bio_PrivateKey($0, nil, nil, nil) }
        guard let key else {
            X509_free(x509)
            throw SecureTransportError(.invalidCertificate, OpenSSLSupport.message("private key PEM did not parse"))
        }
        guard X509_check_private_key(x509, key) == 1 else {
            X509_free(x509)
            EVP_PKEY_free(key)
            throw SecureTransportError(.invalidCertificate, OpenSSLSupport.message("the private key does not match the certificate"))
        }
        try self.init(taking: x509, privateKey: key)
    }

    /// Takes ownership of both objects (frees them if it throws).
    private init(taking x509: OpaquePointer, privateKey: OpaquePointer) throws {
        guard let der = OpenSSLSupport.derEncoding(of: x509) else {
            X509_free(x509)
            EVP_PKEY_free(privateKey)
            throw SecureTransportError(.invalidCertificate, OpenSSLSupport.message("the certificate has no DER encoding"))
        }
        self.x509 = x509
        self.privateKey = privateKey
        self.derEncoded = der
        self.fingerprint = try DTLSFingerprint(algorithm: .sha256, certificateDER: der)
    }

    deinit {
        X509_free(x509)
        EVP_PKEY_free(privateKey)
    }

    /// The certificate in PEM (`-----BEGIN CERTIFICATE-----`).
    public var certificatePEM: String {
        Self.writePEM { PEM_write_bio_X509($0, x509) }
    }

    /// The private key in unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    /// Store it only where a private key may be stored.
    public var privateKeyPEM: String {
        Self.writePEM { PEM_write_bio_PrivateKey($0, privateKey, nil, nil, 0, nil, nil) }
    }

    // MARK: OpenSSL plumbing

    private static func generateKey(_ algorithm: KeyAlgorithm) throws -> OpaquePointer {
        let type: Int32
        switch algorithm.kind {
        case .ecdsaP256: type = EVP_PKEY_EC
        case .rsa: type = EVP_PKEY_RSA
        }
        guard let context = EVP_PKEY_CTX_new_id(type, nil) else {
            throw SecureTransportError(.certificateGenerationFailed, OpenSSLSupport.message("EVP_PKEY_CTX_new_id failed"))
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else {
            throw SecureTransportError(.certificateGenerationFailed, OpenSSLSupport.message("EVP_PKEY_keygen_init failed"))
        }
        let configured: Int32
        switch algorithm.kind {
        case .ecdsaP256: configured = EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context, NID_X9_62_prime256v1)
        case .rsa(let bits): configured = EVP_PKEY_CTX_set_rsa_keygen_bits(context, bits)
        }
        guard configured == 1 else {
            throw SecureTransportError(.certificateGenerationFailed, OpenSSLSupport.message("key parameters rejected"))
        }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen(context, &key) == 1, let key else {
            throw SecureTransportError(.certificateGenerationFailed, OpenSSLSupport.message("EVP_PKEY_keygen failed"))
        }
        return key
    }

    private static func fill(_ x509: OpaquePointer, key: OpaquePointer, commonName: String, validitySeconds: Int) throws {
        func check(_ ok: Bool, _ step: String) throws {
            if !ok { throw SecureTransportError(.certificateGenerationFailed, OpenSSLSupport.message(step)) }
        }
        try check(X509_set_version(x509, 2) == 1, "X509_set_version failed")  // 2 means v3
        var serialBytes = [UInt8](repeating: 0, count: 8)
        try check(RAND_bytes(&serialBytes, Int32(serialBytes.count)) == 1, "RAND_bytes failed")
        var serial = serialBytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } & 0x7FFF_FFFF_FFFF_FFFF
        if serial == 0 { serial = 1 }
        try check(ASN1_INTEGER_set_uint64(X509_get_serialNumber(x509), serial) == 1, "serial number rejected")
        try check(X509_gmtime_adj(X509_getm_notBefore(x509), -validitySeconds) != nil, "notBefore rejected")
        try check(X509_gmtime_adj(X509_getm_notAfter(x509), validitySeconds) != nil, "notAfter rejected")
        let name = X509_get_subject_name(x509)
        let added = Array(commonName.utf8).withUnsafeBufferPointer { value in
            X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, value.baseAddress, Int32(value.count), -1, 0)
        }
        try check(added == 1, "common name rejected")
        try check(X509_set_issuer_name(x509, name) == 1, "X509_set_issuer_name failed")
        try check(X509_set_pubkey(x509, key) == 1, "X509_set_pubkey failed")
        try check(X509_sign(x509, key, EVP_sha256()) > 0, "X509_sign failed")
    }

    private static func readPEM(_ text: String, _ read: (OpaquePointer) -> OpaquePointer?) -> OpaquePointer? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { buffer -> OpaquePointer? in
            guard let base = buffer.baseAddress, let bio = BIO_new_mem_buf(base, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return read(bio)
        }
    }

    private static func writePEM(_ write: (OpaquePointer) -> Int32) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else {
            _ = OpenSSLSupport.drainErrors()
            return ""
        }
        return String(decoding: OpenSSLSupport.readAll(from: bio), as: UTF8.self)
    }
}
