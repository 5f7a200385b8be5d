import SecureTransport
import Testing

@Suite("SRTP keying material layout (RFC 5764 section 4.2)")
struct KeyingMaterialLayoutTests {
    @Test("the exporter output splits into client key, server key, client salt, server salt", arguments: SRTPProtectionProfile.allCases)
    func layout(profile: SRTPProtectionProfile) throws {
        let k = profile.keyLength
        let s = profile.saltLength
        // Mark each part with its own byte value so a wrong split shows.
        let exported = [UInt8](repeating: 0xC1, count: k) + [UInt8](repeating: 0x5E, count: k)
            + [UInt8](repeating: 0xC5, count: s) + [UInt8](repeating: 0x55, count: s)
        #expect(exported.count == SRTPKeyingMaterial.exportedLength(for: profile))

        let client = try SRTPKeyingMaterial(exported: exported, profile: profile, role: .client)
        #expect(client.localKey == [UInt8](repeating: 0xC1, count: k))
        #expect(client.remoteKey == [UInt8](repeating: 0x5E, count: k))
        #expect(client.localSalt == [UInt8](repeating: 0xC5, count: s))
        #expect(client.remoteSalt == [UInt8](repeating: 0x55, count: s))

        let server = try SRTPKeyingMaterial(exported: exported, profile: profile, role: .server)
        #expect(server.localKey == client.remoteKey)
        #expect(server.localSalt == client.remoteSalt)
        #expect(server.remoteKey == client.localKey)
        #expect(server.remoteSalt == client.localSalt)
        #expect(server.profile == profile)
    }

    @Test("a wrong length is refused")
    func wrongLength() {
        for length in [0, 59, 61] {
            let error = #expect(throws: SecureTransportError.self) {
                try SRTPKeyingMaterial(exported: [UInt8](repeating: 0, count: length), profile: .aes128CMHMACSHA1_80, role: .client)
            }
            #expect(error?.code == .keyExportFailed)
        }
    }

    @Test("profile lengths follow RFC 5764 and RFC 7714")
    func profileLengths() {
        #expect(SRTPKeyingMaterial.exportedLength(for: .aes128CMHMACSHA1_80) == 60)
        #expect(SRTPKeyingMaterial.exportedLength(for: .aes128CMHMACSHA1_32) == 60)
        #expect(SRTPKeyingMaterial.exportedLength(for: .aeadAES128GCM) == 56)
        #expect(SRTPKeyingMaterial.exportedLength(for: .aeadAES256GCM) == 88)
        #expect(SRTPProtectionProfile.aes128CMHMACSHA1_80.rawValue == 0x0001)
        #expect(SRTPProtectionProfile.aeadAES128GCM.rawValue == 0x0007)
        #expect(SRTPProtectionProfile.aeadAES256GCM.rawValue == 0x0008)
    }

    @Test("the description never shows key bytes")
    func redacted() {
        let keys = SRTPKeyingMaterial(
            profile: .aeadAES128GCM, localKey: [0xAB], localSalt: [0xCD], remoteKey: [0xEF], remoteSalt: [0x12])
        #expect(!"\(keys)".contains("171"))
        #expect("\(keys)".contains("SRTP_AEAD_AES_128_GCM"))
    }
}
