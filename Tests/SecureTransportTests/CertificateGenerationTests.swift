import Foundation
import SecureTransport
import Testing

@Suite("Self-signed DTLS certificates")
struct CertificateGenerationTests {
    @Test("the fingerprint is the SHA-256 that `openssl x509 -fingerprint` computes")
    func fingerprintMatchesOpenSSLTool() async throws {
        let certificate = try DTLSCertificate()
        let result = try await OpenSSLTool.run(["x509", "-noout", "-fingerprint", "-sha256"], input: certificate.certificatePEM)
        #expect(result.status == 0)
        // "sha256 Fingerprint=AB:CD:..." (the prefix's case varies between versions)
        let reported = try #require(result.output.split(separator: "=", maxSplits: 1).last)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(certificate.fingerprint.hexString == reported)
        #expect(certificate.fingerprint.algorithm == .sha256)
    }

    @Test("the fingerprint text is `sha-256` and 32 uppercase hex pairs joined by ':'")
    func fingerprintFormat() throws {
        let fingerprint = try DTLSCertificate().fingerprint
        let hex = fingerprint.hexString
        #expect(hex.count == 32 * 3 - 1)
        let pairs = hex.split(separator: ":", omittingEmptySubsequences: false)
        #expect(pairs.count == 32)
        #expect(pairs.allSatisfy { $0.count == 2 && $0.allSatisfy { "0123456789ABCDEF".contains($0) } })
        #expect(fingerprint.description == "sha-256 \(hex)")
        #expect(try DTLSFingerprint(parsing: fingerprint.description) == fingerprint)
    }

    @Test("an ECDSA P-256 key, CN=WebRTC, self-signed, and the key belongs to the certificate")
    func certificateContents() async throws {
        let certificate = try DTLSCertificate()
        let text = try await OpenSSLTool.run(["x509", "-noout", "-text"], input: certificate.certificatePEM)
        #expect(text.status == 0)
        #expect(text.output.contains("id-ecPublicKey"))
        #expect(text.output.contains("prime256v1"))
        #expect(text.output.contains("ecdsa-with-SHA256"))
        let subject = try await OpenSSLTool.run(["x509", "-noout", "-subject", "-issuer"], input: certificate.certificatePEM)
        #expect(subject.output.contains("subject=CN = WebRTC") || subject.output.contains("subject=CN=WebRTC"))
        #expect(subject.output.contains("issuer=CN = WebRTC") || subject.output.contains("issuer=CN=WebRTC"))

        // The public key in the certificate and the one derived from the private key agree.
        let fromCertificate = try await OpenSSLTool.run(["x509", "-noout", "-pubkey"], input: certificate.certificatePEM)
        let fromKey = try await OpenSSLTool.run(["pkey", "-pubout"], input: certificate.privateKeyPEM)
        #expect(fromKey.status == 0)
        #expect(!fromKey.output.isEmpty)
        #expect(fromCertificate.output == fromKey.output)

        // Its own signature verifies when it is its own trust anchor.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dtls-cert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("cert.pem").path
        try certificate.certificatePEM.write(toFile: path, atomically: true, encoding: .utf8)
        let verify = try await OpenSSLTool.run(["verify", "-CAfile", path, path])
        #expect(verify.status == 0)
        #expect(verify.output.contains("OK"))
    }

    @Test("valid from about 30 days ago until about 30 days ahead")
    func validityWindow() async throws {
        let certificate = try DTLSCertificate()
        let day = 24 * 3600
        let validLater = try await OpenSSLTool.run(["x509", "-noout", "-checkend", "\(29 * day)"], input: certificate.certificatePEM)
        #expect(validLater.status == 0)
        let expiredLater = try await OpenSSLTool.run(["x509", "-noout", "-checkend", "\(31 * day)"], input: certificate.certificatePEM)
        #expect(expiredLater.status == 1)

        let dates = try await OpenSSLTool.run(["x509", "-noout", "-startdate"], input: certificate.certificatePEM)
        let value = try #require(dates.output.split(separator: "=", maxSplits: 1).last).trimmingCharacters(in: .whitespacesAndNewlines)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "MMM d HH:mm:ss yyyy zzz"
        let notBefore = try #require(formatter.date(from: value.replacingOccurrences(of: "  ", with: " ")))
        let age = Date().timeIntervalSince(notBefore)
        #expect(abs(age - Double(30 * day)) < 120)
    }

    @Test("every certificate has its own key and a positive random serial")
    func certificatesDiffer() async throws {
        let first = try DTLSCertificate()
        let second = try DTLSCertificate()
        #expect(first.fingerprint != second.fingerprint)
        #expect(first.privateKeyPEM != second.privateKeyPEM)
        let serial1 = try await OpenSSLTool.run(["x509", "-noout", "-serial"], input: first.certificatePEM).output
        let serial2 = try await OpenSSLTool.run(["x509", "-noout", "-serial"], input: second.certificatePEM).output
        #expect(serial1.hasPrefix("serial="))
        #expect(serial1 != serial2)
    }

    @Test("PEM written out loads back to the same certificate and fingerprint")
    func pemRoundTrip() throws {
        let original = try DTLSCertificate()
        let loaded = try DTLSCertificate(certificatePEM: original.certificatePEM, privateKeyPEM: original.privateKeyPEM)
        #expect(loaded.derEncoded == original.derEncoded)
        #expect(loaded.fingerprint == original.fingerprint)
        #expect(original.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(original.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(try DTLSFingerprint(certificateDER: loaded.derEncoded) == original.fingerprint)
    }

    @Test("an RSA-2048 certificate can be generated")
    func rsaCertificate() async throws {
        let certificate = try DTLSCertificate(keyAlgorithm: .rsa2048)
        let text = try await OpenSSLTool.run(["x509", "-noout", "-text"], input: certificate.certificatePEM)
        #expect(text.output.contains("rsaEncryption"))
        #expect(text.output.contains("2048 bit"))
        #expect(text.output.contains("sha256WithRSAEncryption"))
    }

    @Test("a key of another certificate, or text that is not PEM, is refused")
    func invalidPEM() throws {
        let first = try DTLSCertificate()
        let second = try DTLSCertificate()
        let mismatched = #expect(throws: SecureTransportError.self) {
            try DTLSCertificate(certificatePEM: first.certificatePEM, privateKeyPEM: second.privateKeyPEM)
        }
        #expect(mismatched?.code == .invalidCertificate)
        let garbage = #expect(throws: SecureTransportError.self) {
            try DTLSCertificate(certificatePEM: "not a certificate", privateKeyPEM: first.privateKeyPEM)
        }
        #expect(garbage?.code == .invalidCertificate)
        let truncated = #expect(throws: SecureTransportError.self) {
            try DTLSCertificate(
                certificatePEM: String(first.certificatePEM.prefix(first.certificatePEM.count / 2)),
                privateKeyPEM: first.privateKeyPEM)
        }
        #expect(truncated?.code == .invalidCertificate)
        let noKey = #expect(throws: SecureTransportError.self) {
            try DTLSCertificate(certificatePEM: first.certificatePEM, privateKeyPEM: "")
        }
        #expect(noKey?.code == .invalidCertificate)
    }

    @Test("a validity of zero is refused")
    func invalidValidity() {
        let error = #expect(throws: SecureTransportError.self) { try DTLSCertificate(validity: .zero) }
        #expect(error?.code == .invalidConfiguration)
    }
}
