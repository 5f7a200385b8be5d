@testable import SecureTransport
import Testing

/// The OpenSSL transform's parts against the RFCs' own test vectors: RFC 3711's
/// key derivation (appendix B.3) and RFC 7714's GCM packets (sections 16 and 17,
/// which give session keys, so they test the packet cipher directly).
@Suite("The OpenSSL SRTP transform reproduces the RFCs' test vectors")
struct SRTPRFCVectorTests {
    @Test("RFC 3711 B.3: the master key and salt derive the SRTP cipher key, salt and authentication key")
    func keyDerivation() throws {
        let keys = try SRTPKeyDerivation.sessionKeys(
            profile: .aes128CMHMACSHA1_80,
            masterKey: hexBytes("e1f97a0d3e018be0d64fa32c06de4139"),
            masterSalt: hexBytes("0ec675ad498afeebb6960b3aabe6"), rtcp: false)
        #expect(keys.encryptionKey == hexBytes("c61e7a93744f39ee10734afe3ff7a087"))
        #expect(keys.salt == hexBytes("30cbbc08863d8c85d49db34a9ae1"))
        #expect(keys.authenticationKey == hexBytes("cebe321f6ff7716b6fd4ab49af256a156d38baa4"))
    }

    @Test("RFC 3711 B.3 continued: the whole 94-byte keystream for label 1 (the authentication key's PRF output)")
    func keyDerivationStream() throws {
        let stream = try SRTPKeyDerivation.derive(
            label: .rtpAuthentication, length: 94,
            masterKey: hexBytes("e1f97a0d3e018be0d64fa32c06de4139"),
            masterSalt: hexBytes("0ec675ad498afeebb6960b3aabe6"))
        #expect(stream == hexBytes(
            "cebe321f6ff7716b6fd4ab49af256a156d38baa48f0a0acf3c34e2359e6cdbcee049646c43d9327ad175578ef7227098"
                + "6371c10c9a369ac2f94a8c5fbcdddc256d6e919a48b610ef17c2041e474035766b68642c59bbfc2f34db60dbdfb2"))
    }

    static let gcmSalt = hexBytes("517569642070726f2071756f")
    static let key128 = hexBytes("000102030405060708090a0b0c0d0e0f")
    static let key256 = hexBytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
    static let rtp = hexBytes(
        "8040f17b8041f8d35501a0b247616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573")
    static let rtcp = hexBytes(
        "81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef")

    static func cipher(_ profile: SRTPProtectionProfile, key: [UInt8], encrypting: Bool) throws -> SRTPPacketCipher {
        try SRTPPacketCipher(
            profile: profile, keys: SRTPSessionKeys(encryptionKey: key, authenticationKey: [], salt: gcmSalt),
            encrypting: encrypting)
    }

    /// Seals an RTP packet as the transform does: the header is the associated data.
    static func sealRTP(_ cipher: SRTPPacketCipher, _ plain: [UInt8]) -> [UInt8] {
        var packet = plain + [UInt8](repeating: 0, count: 16)
        let sealed = packet.withUnsafeMutableBufferPointer { bytes in
            cipher.seal(
                aad: bytes.baseAddress!, aadCount: 12, extra: bytes.baseAddress!, extraCount: 0,
                data: bytes.baseAddress! + 12, count: plain.count - 12, tag: bytes.baseAddress! + plain.count,
                ssrc: 0x5501_A0B2, index: 0xF17B)
        }
        #expect(sealed)
        return packet
    }

    /// Seals an RTCP packet with SRTCP index 0x5d4, laid out as RFC 7714 section 9.
    static func sealRTCP(_ cipher: SRTPPacketCipher, _ plain: [UInt8]) -> [UInt8] {
        var packet = plain + [UInt8](repeating: 0, count: 16) + [0x80, 0x00, 0x05, 0xD4]
        let sealed = packet.withUnsafeMutableBufferPointer { bytes in
            cipher.seal(
                aad: bytes.baseAddress!, aadCount: 8, extra: bytes.baseAddress! + plain.count + 16, extraCount: 4,
                data: bytes.baseAddress! + 8, count: plain.count - 8, tag: bytes.baseAddress! + plain.count,
                ssrc: 0x4D61_7273, index: 0x5D4)
        }
        #expect(sealed)
        return packet
    }

    @Test("RFC 7714 16.1.1 and 16.2.1: SRTP under AEAD_AES_128_GCM and AEAD_AES_256_GCM, and back")
    func gcmRTP() throws {
        let expected128 = hexBytes(
            "8040f17b8041f8d35501a0b2f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
                + "899d7f27beb16a9152cf765ee4390cce")
        let expected256 = hexBytes(
            "8040f17b8041f8d35501a0b232b1de78a822fe12ef9f78fa332e33aab18012389a58e2f3b50b2a0276ffae0f1ba63799b87b"
                + "7aa3db36dfffd6b0f9bb7878d7a76c13")
        #expect(Self.sealRTP(try Self.cipher(.aeadAES128GCM, key: Self.key128, encrypting: true), Self.rtp) == expected128)
        #expect(Self.sealRTP(try Self.cipher(.aeadAES256GCM, key: Self.key256, encrypting: true), Self.rtp) == expected256)

        for (profile, key, expected) in [(SRTPProtectionProfile.aeadAES128GCM, Self.key128, expected128), (.aeadAES256GCM, Self.key256, expected256)] {
            let opener = try Self.cipher(profile, key: key, encrypting: false)
            var packet = expected
            let opened = packet.withUnsafeMutableBufferPointer { bytes in
                opener.open(
                    aad: bytes.baseAddress!, aadCount: 12, extra: bytes.baseAddress!, extraCount: 0,
                    data: bytes.baseAddress! + 12, count: 38, tag: bytes.baseAddress! + 50,
                    ssrc: 0x5501_A0B2, index: 0xF17B)
            }
            #expect(opened)
            #expect(Array(packet.prefix(50)) == Self.rtp)
        }
    }

    @Test("RFC 7714 17.1 and 17.2: SRTCP under both GCM profiles, the E flag and index after the tag")
    func gcmRTCP() throws {
        #expect(Self.sealRTCP(try Self.cipher(.aeadAES128GCM, key: Self.key128, encrypting: true), Self.rtcp) == hexBytes(
            "81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275b"
                + "c84aa45896cf4d2fc5abf87245d9eade800005d4"))
        #expect(Self.sealRTCP(try Self.cipher(.aeadAES256GCM, key: Self.key256, encrypting: true), Self.rtcp) == hexBytes(
            "81c8000d4d617273d50ae4d1f5ce5d304ba297e47d470c282c3ece5dbffe0a50a2eaa5c1110555be8415f658c61de0476f1b6fad"
                + "1d1eb30c4446839f57ff6f6cb26ac3be800005d4"))
    }

    @Test("a GCM packet whose tag is one bit off does not open")
    func gcmTagMismatch() throws {
        var packet = Self.sealRTP(try Self.cipher(.aeadAES128GCM, key: Self.key128, encrypting: true), Self.rtp)
        packet[packet.count - 1] ^= 1
        let opener = try Self.cipher(.aeadAES128GCM, key: Self.key128, encrypting: false)
        let opened = packet.withUnsafeMutableBufferPointer { bytes in
            opener.open(
                aad: bytes.baseAddress!, aadCount: 12, extra: bytes.baseAddress!, extraCount: 0,
                data: bytes.baseAddress! + 12, count: 38, tag: bytes.baseAddress! + 50, ssrc: 0x5501_A0B2, index: 0xF17B)
        }
        #expect(!opened)
    }
}
