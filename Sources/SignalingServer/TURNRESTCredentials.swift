import COpenSSL
public import Foundation

/// Short-lived TURN credentials from a secret shared with the TURN server,
/// in the TURN REST API scheme that coturn's `use-auth-secret` checks: the
/// username is `EXPIRY:NAME` (EXPIRY in Unix seconds) and the credential is
/// base64(HMAC-SHA1(secret, username)). The secret never leaves the server;
/// a credential stops working at its expiry.
public struct TURNRESTCredentials: Sendable, Hashable {
    /// `EXPIRY:NAME`.
    public var username: String
    /// base64(HMAC-SHA1(secret, username)).
    public var credential: String

    /// Credentials for `name` that expire at `expiry`.
    public init(secret: String, name: String = "swift-webrtc", expiry: Date) {
        username = "\(Int64(expiry.timeIntervalSince1970)):\(name)"
        credential = Data(Self.hmacSHA1(key: Array(secret.utf8), data: Array(username.utf8))).base64EncodedString()
    }

    static func hmacSHA1(key: [UInt8], data: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 20)
        var length: UInt32 = 0
        let placeholder: [UInt8] = [0]
        let result = key.withUnsafeBufferPointer { key in
            data.withUnsafeBufferPointer { data in
                placeholder.withUnsafeBufferPointer { placeholder in
                    HMAC(EVP_sha1(), key.baseAddress ?? placeholder.baseAddress, Int32(key.count),
                         data.baseAddress ?? placeholder.baseAddress, data.count, &output, &length)
                }
            }
        }
        precondition(result != nil && length == 20, "OpenSSL HMAC-SHA1 failed")
        return output
    }
}
