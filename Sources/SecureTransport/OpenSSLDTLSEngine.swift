import COpenSSL

/// State that OpenSSL's C callbacks reach through a raw pointer: the fingerprint
/// to check the peer's certificate against, and the initial retransmission timeout.
final class OpenSSLDTLSCallbackState {
    let remoteFingerprint: DTLSFingerprint
    let initialTimeoutMicroseconds: UInt32
    /// Set when the peer presented a certificate whose fingerprint did not match.
    var fingerprintMismatch = false

    init(remoteFingerprint: DTLSFingerprint, initialTimeoutMicroseconds: UInt32) {
        self.remoteFingerprint = remoteFingerprint
        self.initialTimeoutMicroseconds = initialTimeoutMicroseconds
    }
}

/// `DTLSEngine` over OpenSSL's DTLS 1.2 with two memory BIOs: received datagrams
/// are written into one, records OpenSSL writes are read out of the other.
///
/// Each engine has its own `SSL_CTX` (the certificate and the pinned fingerprint
/// are per connection). OpenSSL's retransmission timer reads the wall clock: see
/// `DTLSEngine`.
final class OpenSSLDTLSEngine: DTLSEngine {
    /// Cipher suites for DTLS 1.2 that work with both ECDSA and RSA certificates,
    /// AEAD first, with the CBC suites browsers still accept last.
    static let cipherList = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
        "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA",
        "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA",
    ].joined(separator: ":")
    /// Key-exchange groups.
    static let groups = "X25519:P-256:P-384"
    /// The retransmission timeout never grows beyond this (RFC 6347 section 4.2.4.1).
    static let maximumTimeoutMicroseconds: UInt32 = 60_000_000

    private let role: DTLSRole
    private let offeredProfiles: [SRTPProtectionProfile]
    private let context: OpaquePointer  // SSL_CTX *
    private let ssl: OpaquePointer  // SSL *
    private let readBIO: OpaquePointer  // BIO *, owned by ssl
    private let writeBIO: OpaquePointer  // BIO *, owned by ssl
    private let callbackState: OpenSSLDTLSCallbackState
    /// Reused buffer for SSL_read.
    private var readBuffer = [UInt8](repeating: 0, count: 16 * 1024 + 256)

    init(
        role: DTLSRole,
        certificate: DTLSCertificate,
        remoteFingerprint: DTLSFingerprint,
        srtpProfiles: [SRTPProtectionProfile],
        mtu: Int,
        initialRetransmitTimeout: Duration
    ) throws {
        let (seconds, attoseconds) = initialRetransmitTimeout.components
        let microseconds = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        guard microseconds >= 1_000, microseconds <= Int64(Self.maximumTimeoutMicroseconds) else {
            throw SecureTransportError(.invalidConfiguration, "initial retransmit timeout must be between 1 ms and 60 s")
        }
        ERR_clear_error()
        self.role = role
        self.offeredProfiles = srtpProfiles
        self.callbackState = OpenSSLDTLSCallbackState(
            remoteFingerprint: remoteFingerprint, initialTimeoutMicroseconds: UInt32(microseconds))

        guard let context = SSL_CTX_new(DTLS_method()) else {
            throw SecureTransportError(.invalidConfiguration, OpenSSLSupport.message("SSL_CTX_new failed"))
        }
        func fail(_ step: String) -> SecureTransportError {
            SecureTransportError(.invalidConfiguration, OpenSSLSupport.message(step))
        }
        guard shim_SSL_CTX_set_proto_versions(context, DTLS1_2_VERSION, DTLS1_2_VERSION) == 1 else {
            SSL_CTX_free(context)
            throw fail("DTLS 1.2 not available")
        }
        _ = SSL_CTX_set_options(context, shim_SSL_OP_webrtc_dtls())
        shim_SSL_CTX_disable_session_cache(context)
        guard SSL_CTX_set_cipher_list(context, Self.cipherList) == 1,
            shim_SSL_CTX_set1_groups_list(context, Self.groups) == 1
        else {
            SSL_CTX_free(context)
            throw fail("cipher suites or groups rejected")
        }
        guard SSL_CTX_use_certificate(context, certificate.x509) == 1,
            SSL_CTX_use_PrivateKey(context, certificate.privateKey) == 1,
            SSL_CTX_check_private_key(context) == 1
        else {
            SSL_CTX_free(context)
            throw fail("certificate or key rejected")
        }
        // SSL_CTX_set_tlsext_use_srtp returns 0 on success.
        guard SSL_CTX_set_tlsext_use_srtp(context, srtpProfiles.map(\.name).joined(separator: ":")) == 0 else {
            SSL_CTX_free(context)
            throw fail("use_srtp profiles rejected")
        }
        // Ask for the peer's certificate in both roles; the chain check below replaces
        // OpenSSL's (self-signed certificates are expected) with the fingerprint pin.
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        SSL_CTX_set_cert_verify_callback(
            context,
            { storeContext, argument in
                guard let storeContext, let argument else { return 0 }
                let state = Unmanaged<OpenSSLDTLSCallbackState>.fromOpaque(argument).takeUnretainedValue()
                guard let leaf = X509_STORE_CTX_get0_cert(storeContext),
                    let der = OpenSSLSupport.derEncoding(of: leaf),
                    state.remoteFingerprint.matches(certificateDER: der)
                else {
                    state.fingerprintMismatch = true
                    X509_STORE_CTX_set_error(storeContext, X509_V_ERR_CERT_REJECTED)
                    return 0
                }
                X509_STORE_CTX_set_error(storeContext, X509_V_OK)
                return 1
            },
            Unmanaged.passUnretained(callbackState).toOpaque())

        guard let ssl = SSL_new(context) else {
            SSL_CTX_free(context)
            throw fail("SSL_new failed")
        }
        let newReadBIO = BIO_new(BIO_s_mem())
        let newWriteBIO = BIO_new(BIO_s_mem())
        guard let readBIO = newReadBIO, let writeBIO = newWriteBIO else {
            BIO_free(newReadBIO)
            BIO_free(newWriteBIO)
            SSL_free(ssl)
            SSL_CTX_free(context)
            throw fail("BIO_new failed")
        }
        // An empty memory BIO means "no datagram yet", not end of file.
        _ = shim_BIO_set_mem_eof_return(readBIO, -1)
        _ = shim_BIO_set_mem_eof_return(writeBIO, -1)
        SSL_set_bio(ssl, readBIO, writeBIO)
        self.context = context
        self.ssl = ssl
        self.readBIO = readBIO
        self.writeBIO = writeBIO

        // The MTU needs SSL_OP_NO_QUERY_MTU (set above) and the BIOs in place.
        guard shim_SSL_set_mtu(ssl, mtu) == 1, shim_DTLS_set_link_mtu(ssl, mtu) == 1 else {
            throw fail("MTU \(mtu) rejected")
        }
        SSL_set_ex_data(ssl, 0, Unmanaged.passUnretained(callbackState).toOpaque())
        DTLS_set_timer_cb(ssl) { ssl, current in
            if current > 0 { return min(current &* 2, OpenSSLDTLSEngine.maximumTimeoutMicroseconds) }
            guard let ssl, let raw = SSL_get_ex_data(ssl, 0) else { return 1_000_000 }
            return Unmanaged<OpenSSLDTLSCallbackState>.fromOpaque(raw).takeUnretainedValue().initialTimeoutMicroseconds
        }
        switch role {
        case .client: SSL_set_connect_state(ssl)
        case .server: SSL_set_accept_state(ssl)
        }
    }

    deinit {
        SSL_free(ssl)  // frees both BIOs
        SSL_CTX_free(context)
    }

    func continueHandshake() -> DTLSEngineStatus {
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        if result == 1 { return .complete }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .inProgress
        case SSL_ERROR_ZERO_RETURN:
            return .closed
        default:
            if callbackState.fingerprintMismatch {
                _ = OpenSSLSupport.drainErrors()
                return .failed(SecureTransportError(
                    .fingerprintMismatch, "the peer's certificate does not match \(callbackState.remoteFingerprint)"))
            }
            return .failed(SecureTransportError(.handshakeFailed, OpenSSLSupport.message("DTLS handshake failed")))
        }
    }

    func receive(_ datagram: UnsafeRawBufferPointer) {
        // One datagram at a time: drop anything OpenSSL left unread.
        _ = shim_BIO_reset(readBIO)
        guard let base = datagram.baseAddress, !datagram.isEmpty else { return }
        _ = BIO_write(readBIO, base, Int32(datagram.count))
    }

    func readApplicationData() -> DTLSEngineRead {
        ERR_clear_error()
        let result = readBuffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
        if result > 0 { return .data(Array(readBuffer[0..<Int(result)])) }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .none
        case SSL_ERROR_ZERO_RETURN:
            return .closed
        default:
            return .failed(SecureTransportError(.connectionFailed, OpenSSLSupport.message("DTLS connection failed")))
        }
    }

    func writeApplicationData(_ bytes: UnsafeRawBufferPointer) throws {
        ERR_clear_error()
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let result = SSL_write(ssl, base, Int32(bytes.count))
        guard result == Int32(bytes.count) else {
            throw SecureTransportError(.connectionFailed, OpenSSLSupport.message("SSL_write failed"))
        }
    }

    var maximumApplicationDataSize: Int { Int(DTLS_get_data_mtu(ssl)) }

    func retransmitTimeRemaining() -> Duration? {
        let microseconds = shim_DTLSv1_get_timeout_us(ssl)
        return microseconds < 0 ? nil : .microseconds(microseconds)
    }

    func handleRetransmitTimer() throws {
        ERR_clear_error()
        if shim_DTLSv1_handle_timeout(ssl) < 0 {
            throw SecureTransportError(.handshakeTimeout, OpenSSLSupport.message("DTLS gave up retransmitting"))
        }
    }

    func drainOutgoingRecords(into buffer: inout [UInt8]) {
        let pending = Int(BIO_ctrl_pending(writeBIO))
        guard pending > 0 else { return }
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: pending))
        let read = buffer.withUnsafeMutableBytes { bytes in
            BIO_read(writeBIO, bytes.baseAddress! + start, Int32(pending))
        }
        buffer.removeLast(pending - max(0, Int(read)))
    }

    func exportKeyingMaterial() throws -> SRTPKeyingMaterial {
        ERR_clear_error()
        // Check the pin again on the finished connection: no keys without a match.
        guard let peer = SSL_get1_peer_certificate(ssl) else {
            throw SecureTransportError(.fingerprintMismatch, "the peer presented no certificate")
        }
        let der = OpenSSLSupport.derEncoding(of: peer)
        X509_free(peer)
        guard let der, callbackState.remoteFingerprint.matches(certificateDER: der) else {
            throw SecureTransportError(
                .fingerprintMismatch, "the peer's certificate does not match \(callbackState.remoteFingerprint)")
        }
        guard let selected = SSL_get_selected_srtp_profile(ssl) else {
            throw SecureTransportError(.srtpNotNegotiated, "the peer did not agree to use_srtp")
        }
        guard let profile = SRTPProtectionProfile(rawValue: UInt16(truncatingIfNeeded: selected.pointee.id)),
            offeredProfiles.contains(profile)
        else {
            throw SecureTransportError(.srtpNotNegotiated, "unexpected SRTP profile \(selected.pointee.id)")
        }
        var exported = [UInt8](repeating: 0, count: SRTPKeyingMaterial.exportedLength(for: profile))
        let label = Array(SRTPKeyingMaterial.exporterLabel.utf8)
        let ok = exported.withUnsafeMutableBufferPointer { out in
            label.withUnsafeBufferPointer { labelBytes in
                labelBytes.withMemoryRebound(to: CChar.self) { labelChars in
                    SSL_export_keying_material(
                        ssl, out.baseAddress, out.count, labelChars.baseAddress, labelChars.count, nil, 0, 0)
                }
            }
        }
        guard ok == 1 else {
            throw SecureTransportError(.keyExportFailed, OpenSSLSupport.message("SSL_export_keying_material failed"))
        }
        defer { for index in exported.indices { exported[index] = 0 } }
        return try SRTPKeyingMaterial(exported: exported, profile: profile, role: role)
    }

    func shutdown() {
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        _ = OpenSSLSupport.drainErrors()
    }

    /// The negotiated cipher suite's OpenSSL name (for tests and logs).
    var cipherSuiteName: String? {
        guard let cipher = SSL_get_current_cipher(ssl), let name = SSL_CIPHER_get_name(cipher) else { return nil }
        return String(cString: name)
    }
}
