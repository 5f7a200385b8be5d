public import Foundation

/// A throwaway self-signed ECDSA certificate for 127.0.0.1 and localhost
/// (and any other addresses asked for), made with openssl(1), for tests of
/// TLS servers (wss, turns).
public enum TestCertificate {
    /// Writes `cert.pem` and `key.pem` into `directory`, valid for
    /// localhost, 127.0.0.1 and `ipAddresses`.
    public static func make(in directory: URL, ipAddresses: [String] = []) throws -> (certificate: String, key: String) {
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=" + (["127.0.0.1"] + ipAddresses).map { "IP:\($0)" }.joined(separator: ",") + ",DNS:localhost",
        ]
        openssl.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        openssl.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else {
            throw DeadlineExceeded(what: "openssl req failed with status \(openssl.terminationStatus); is openssl installed?")
        }
        return (certificate, key)
    }
}
