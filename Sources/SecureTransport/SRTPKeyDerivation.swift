import COpenSSL

/// The session keys RFC 3711's key derivation (section 4.3) makes from a master
/// key and salt, for SRTP or for SRTCP.
struct SRTPSessionKeys {
    /// The cipher key (as long as the master key).
    var encryptionKey: [UInt8]
    /// The HMAC-SHA1 key (20 bytes; empty for the GCM profiles, which need none).
    var authenticationKey: [UInt8]
    /// The session salt (14 bytes for counter mode, 12 for GCM).
    var salt: [UInt8]

    /// Overwrites the keys with zeros.
    mutating func erase() {
        for index in encryptionKey.indices { encryptionKey[index] = 0 }
        for index in authenticationKey.indices { authenticationKey[index] = 0 }
        for index in salt.indices { salt[index] = 0 }
    }
}

/// RFC 3711's AES counter-mode key derivation with a key derivation rate of 0,
/// as DTLS-SRTP uses it (RFC 5764 section 4.1.2); RFC 7714 section 11 applies the
/// same function, with the cipher's key size, to the GCM profiles.
enum SRTPKeyDerivation {
    /// The labels of RFC 3711 section 4.3.2: SRTP's keys use 0-2, SRTCP's 3-5.
    enum Label: UInt8 {
        case rtpEncryption = 0, rtpAuthentication, rtpSalt
        case rtcpEncryption, rtcpAuthentication, rtcpSalt
    }

    /// The HMAC-SHA1 key length of the counter-mode profiles (RFC 3711 section 8.2).
    static let authenticationKeyLength = 20

    /// Derives the SRTP (`rtcp` false) or SRTCP session keys of a profile.
    static func sessionKeys(
        profile: SRTPProtectionProfile, masterKey: [UInt8], masterSalt: [UInt8], rtcp: Bool
    ) throws -> SRTPSessionKeys {
        let needsAuthenticationKey = profile == .aes128CMHMACSHA1_80 || profile == .aes128CMHMACSHA1_32
        return SRTPSessionKeys(
            encryptionKey: try derive(
                label: rtcp ? .rtcpEncryption : .rtpEncryption, length: profile.keyLength,
                masterKey: masterKey, masterSalt: masterSalt),
            authenticationKey: needsAuthenticationKey
                ? try derive(
                    label: rtcp ? .rtcpAuthentication : .rtpAuthentication, length: authenticationKeyLength,
                    masterKey: masterKey, masterSalt: masterSalt)
                : [],
            salt: try derive(
                label: rtcp ? .rtcpSalt : .rtpSalt, length: profile.saltLength,
                masterKey: masterKey, masterSalt: masterSalt))
    }

    /// `length` bytes of the AES-CM keystream under the master key, starting from
    /// the block `(label << 48 XOR master salt) * 2^16`. The salt sits in the
    /// block's first 14 bytes (a 12-byte GCM salt is followed by two zeros) and the
    /// label is XORed into byte 7, the high byte of the 56-bit key id.
    static func derive(label: Label, length: Int, masterKey: [UInt8], masterSalt: [UInt8]) throws -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 16)
        for (index, byte) in masterSalt.prefix(14).enumerated() { block[index] = byte }
        block[7] ^= label.rawValue
        let cipher: OpaquePointer? = masterKey.count == 32 ? EVP_aes_256_ctr() : EVP_aes_128_ctr()
        guard let context = EVP_CIPHER_CTX_new() else {
            throw SecureTransportError(.srtpFailure, "EVP_CIPHER_CTX_new failed")
        }
        defer { EVP_CIPHER_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: length)
        let zeros = [UInt8](repeating: 0, count: length)
        var written: Int32 = 0
        let status = masterKey.withUnsafeBufferPointer { key in
            block.withUnsafeBufferPointer { iv in
                EVP_EncryptInit_ex(context, cipher, nil, key.baseAddress, iv.baseAddress)
            }
        }
        let update = output.withUnsafeMutableBufferPointer { out in
            EVP_EncryptUpdate(context, out.baseAddress, &written, zeros, Int32(length))
        }
        guard status == 1, update == 1, written == Int32(length) else {
            throw SecureTransportError(.srtpFailure, "the SRTP key derivation's AES-CTR call failed")
        }
        return output
    }
}
