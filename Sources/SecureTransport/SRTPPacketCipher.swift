import COpenSSL

/// The per-packet cryptography of one direction of SRTP or of SRTCP over OpenSSL:
/// an EVP cipher context keyed once with the session key, the session salt, and
/// for the counter-mode profiles the HMAC-SHA1 states. Each packet only sets a
/// new IV on the context, so no call allocates.
///
/// Both protocols build their IV from a 32-bit SSRC and a 48-bit index (SRTP's
/// ROC and sequence number, or SRTCP's 31-bit index):
/// - AES-CM (RFC 3711 section 4.1.1): `salt || 0x0000`, XORed with the SSRC at
///   bytes 4-7 and the index at bytes 8-13.
/// - GCM (RFC 7714 sections 8.1 and 9.1): the 12-byte salt XORed with
///   `0x0000 || SSRC || index`.
final class SRTPPacketCipher {
    /// The cipher families the profiles use.
    enum Mode {
        /// AES counter mode with an HMAC-SHA1 tag.
        case counter
        /// AES-GCM with its 16-byte tag.
        case gcm
    }

    /// The GCM tag length.
    static let gcmTagLength = 16

    let mode: Mode
    private let context: OpaquePointer
    /// The HMAC-SHA1 states (for the GCM profiles, of an empty key and unused).
    private let hmac: HMACSHA1
    /// The session salt (14 or 12 bytes), then scratch space for the IV (16 bytes)
    /// and an HMAC digest (20 bytes).
    private let storage: UnsafeMutablePointer<UInt8>
    private let saltLength: Int
    private var iv: UnsafeMutablePointer<UInt8> { storage + 16 }
    private var digest: UnsafeMutablePointer<UInt8> { storage + 32 }

    /// Keys a context for `profile` with derived session keys; `encrypting` is true
    /// for an outbound session.
    init(profile: SRTPProtectionProfile, keys: SRTPSessionKeys, encrypting: Bool) throws {
        let cipher: OpaquePointer?
        switch profile {
        case .aes128CMHMACSHA1_80, .aes128CMHMACSHA1_32:
            mode = .counter
            cipher = EVP_aes_128_ctr()
            hmac = HMACSHA1(key: keys.authenticationKey)
        case .aeadAES128GCM:
            mode = .gcm
            cipher = EVP_aes_128_gcm()
            hmac = HMACSHA1(key: [])
        case .aeadAES256GCM:
            mode = .gcm
            cipher = EVP_aes_256_gcm()
            hmac = HMACSHA1(key: [])
        }
        guard let created = EVP_CIPHER_CTX_new() else {
            throw SecureTransportError(.srtpFailure, "EVP_CIPHER_CTX_new failed")
        }
        let keyed = keys.encryptionKey.withUnsafeBufferPointer { key in
            EVP_CipherInit_ex(created, cipher, nil, key.baseAddress, nil, encrypting ? 1 : 0)
        }
        guard keyed == 1 else {
            EVP_CIPHER_CTX_free(created)
            throw SecureTransportError(.srtpFailure, "EVP_CipherInit_ex refused the \(profile.name) session key")
        }
        context = created
        saltLength = keys.salt.count
        storage = .allocate(capacity: 64)
        storage.initialize(repeating: 0, count: 64)
        for (index, byte) in keys.salt.enumerated() { storage[index] = byte }
    }

    deinit {
        EVP_CIPHER_CTX_free(context)
        storage.update(repeating: 0, count: 64)
        storage.deallocate()
    }

    // MARK: Counter mode

    /// Encrypts or decrypts (the same operation) `count` bytes in place.
    func applyCounterMode(_ data: UnsafeMutablePointer<UInt8>, count: Int, ssrc: UInt32, index: UInt64) -> Bool {
        prepareIV(ssrc: ssrc, index: index)
        guard EVP_CipherInit_ex(context, nil, nil, nil, iv, -1) == 1 else { return false }
        guard count > 0 else { return true }
        var written: Int32 = 0
        return EVP_CipherUpdate(context, data, &written, data, Int32(count)) == 1
    }

    /// Writes the first `tagLength` bytes of the HMAC of `count` bytes at `message`
    /// (then `suffixCount` bytes at `suffix`) to `tag`.
    func writeTag(
        of message: UnsafeRawPointer, count: Int, suffix: UnsafeRawPointer, suffixCount: Int,
        to tag: UnsafeMutablePointer<UInt8>, tagLength: Int
    ) {
        hmac.authenticate(message, count: count, suffix: suffix, suffixCount: suffixCount, into: digest)
        tag.update(from: digest, count: tagLength)
    }

    /// Whether the `tagLength` bytes at `tag` are the HMAC's first bytes, compared
    /// in constant time.
    func verifyTag(
        of message: UnsafeRawPointer, count: Int, suffix: UnsafeRawPointer, suffixCount: Int,
        against tag: UnsafePointer<UInt8>, tagLength: Int
    ) -> Bool {
        hmac.authenticate(message, count: count, suffix: suffix, suffixCount: suffixCount, into: digest)
        return CRYPTO_memcmp(digest, tag, tagLength) == 0
    }

    // MARK: GCM

    /// Encrypts `count` bytes in place and writes the 16-byte tag, authenticating
    /// `aadCount` bytes at `aad` and then `extraCount` bytes at `extra` as
    /// associated data.
    func seal(
        aad: UnsafePointer<UInt8>, aadCount: Int, extra: UnsafePointer<UInt8>, extraCount: Int,
        data: UnsafeMutablePointer<UInt8>, count: Int,
        tag: UnsafeMutablePointer<UInt8>, ssrc: UInt32, index: UInt64
    ) -> Bool {
        guard runGCM(aad: aad, aadCount: aadCount, extra: extra, extraCount: extraCount, data: data, count: count,
                     ssrc: ssrc, index: index, expectedTag: nil)
        else { return false }
        return EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, Int32(Self.gcmTagLength), tag) == 1
    }

    /// Decrypts `count` bytes in place and verifies the 16-byte tag at `tag`. On
    /// false the bytes were decrypted anyway and must be dropped.
    func open(
        aad: UnsafePointer<UInt8>, aadCount: Int, extra: UnsafePointer<UInt8>, extraCount: Int,
        data: UnsafeMutablePointer<UInt8>, count: Int,
        tag: UnsafeMutablePointer<UInt8>, ssrc: UInt32, index: UInt64
    ) -> Bool {
        runGCM(aad: aad, aadCount: aadCount, extra: extra, extraCount: extraCount, data: data, count: count,
               ssrc: ssrc, index: index, expectedTag: tag)
    }

    /// One GCM pass: IV, the expected tag when decrypting, associated data, the
    /// data in place, and the final step (which checks the tag when decrypting).
    private func runGCM(
        aad: UnsafePointer<UInt8>, aadCount: Int, extra: UnsafePointer<UInt8>, extraCount: Int,
        data: UnsafeMutablePointer<UInt8>, count: Int,
        ssrc: UInt32, index: UInt64, expectedTag: UnsafeMutablePointer<UInt8>?
    ) -> Bool {
        prepareIV(ssrc: ssrc, index: index)
        guard EVP_CipherInit_ex(context, nil, nil, nil, iv, -1) == 1 else { return false }
        if let expectedTag {
            guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, Int32(Self.gcmTagLength), expectedTag) == 1
            else { return false }
        }
        var written: Int32 = 0
        guard EVP_CipherUpdate(context, nil, &written, aad, Int32(aadCount)) == 1 else { return false }
        if extraCount > 0 {
            guard EVP_CipherUpdate(context, nil, &written, extra, Int32(extraCount)) == 1 else { return false }
        }
        if count > 0 {
            guard EVP_CipherUpdate(context, data, &written, data, Int32(count)) == 1 else { return false }
        }
        // GCM's final step writes no bytes; the digest scratch stands in for its output.
        return EVP_CipherFinal_ex(context, digest, &written) == 1
    }

    // MARK: IV

    /// Builds the IV for a packet in `iv` (see the type's description).
    private func prepareIV(ssrc: UInt32, index: UInt64) {
        iv.update(from: storage, count: saltLength)
        let ssrcOffset: Int
        switch mode {
        case .counter:
            iv[14] = 0
            iv[15] = 0
            ssrcOffset = 4
        case .gcm:
            ssrcOffset = 2
        }
        for byte in 0..<4 {
            iv[ssrcOffset + byte] ^= UInt8(truncatingIfNeeded: ssrc >> UInt32(24 - 8 * byte))
        }
        for byte in 0..<6 {
            iv[ssrcOffset + 4 + byte] ^= UInt8(truncatingIfNeeded: index >> UInt64(40 - 8 * byte))
        }
    }
}
