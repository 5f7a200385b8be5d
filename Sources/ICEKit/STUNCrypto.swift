import COpenSSL

/// The hash functions STUN needs, through the system OpenSSL.
enum STUNCrypto {
    /// HMAC-SHA1 of `data` under `key` (20 bytes).
    static func hmacSHA1(key: UnsafeBufferPointer<UInt8>, data: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        hmac(EVP_sha1(), size: 20, key: key, data: data)
    }

    /// HMAC-SHA256 of `data` under `key` (32 bytes).
    static func hmacSHA256(key: UnsafeBufferPointer<UInt8>, data: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        hmac(EVP_sha256(), size: 32, key: key, data: data)
    }

    private static func hmac(_ digest: OpaquePointer?, size: Int, key: UnsafeBufferPointer<UInt8>, data: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        // OpenSSL treats a NULL key specially; give it a real (possibly empty) buffer.
        let placeholder: [UInt8] = [0]
        return [UInt8](unsafeUninitializedCapacity: size) { output, count in
            var length: UInt32 = 0
            let result = placeholder.withUnsafeBufferPointer { placeholder in
                HMAC(digest, key.baseAddress ?? placeholder.baseAddress, Int32(key.count),
                     data.baseAddress ?? placeholder.baseAddress, data.count, output.baseAddress, &length)
            }
            precondition(result != nil && Int(length) == size, "OpenSSL HMAC failed")
            count = size
        }
    }

    /// MD5 of `data` (16 bytes), for the long-term credential key.
    static func md5(_ data: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 16) { output, count in
            var length: UInt32 = 0
            let ok = data.withUnsafeBufferPointer { data in
                EVP_Digest(data.baseAddress, data.count, output.baseAddress, &length, EVP_md5(), nil)
            }
            precondition(ok == 1 && length == 16, "OpenSSL MD5 failed")
            count = 16
        }
    }

    /// Compares two byte sequences in time that depends only on their length.
    static func constantTimeEqual(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<lhs.count { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
