/// A key and algorithm for MESSAGE-INTEGRITY (HMAC-SHA1) or
/// MESSAGE-INTEGRITY-SHA256.
public struct STUNIntegrity: Hashable, Sendable {
    /// Which integrity attribute to write or check.
    public enum Algorithm: Hashable, Sendable {
        /// MESSAGE-INTEGRITY, HMAC-SHA1, 20 bytes. What ICE uses.
        case sha1
        /// MESSAGE-INTEGRITY-SHA256, HMAC-SHA256, 32 bytes when written.
        case sha256
    }

    /// The HMAC key.
    public var key: [UInt8]
    /// The algorithm.
    public var algorithm: Algorithm

    /// A key and algorithm.
    public init(key: [UInt8], algorithm: Algorithm = .sha1) {
        self.key = key
        self.algorithm = algorithm
    }

    /// The short-term credential of ICE: the key is the password's UTF-8 bytes
    /// (ICE passwords are ice-chars, which OpaqueString leaves unchanged).
    public static func shortTerm(password: String, algorithm: Algorithm = .sha1) -> STUNIntegrity {
        STUNIntegrity(key: Array(password.utf8), algorithm: algorithm)
    }

    /// The long-term credential key of RFC 8489 section 9.2.2 with MD5:
    /// `MD5(username ":" realm ":" password)`. The strings are used as given:
    /// apply OpaqueString/SASLprep before calling if they need it.
    public static func longTerm(username: String, realm: String, password: String) -> STUNIntegrity {
        STUNIntegrity(key: STUNCrypto.md5(Array("\(username):\(realm):\(password)".utf8)))
    }

    var attributeType: STUNAttributeType {
        algorithm == .sha1 ? .messageIntegrity : .messageIntegritySHA256
    }

    var macLength: Int { algorithm == .sha1 ? 20 : 32 }

    func mac(_ data: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        key.withUnsafeBufferPointer { key in
            algorithm == .sha1 ? STUNCrypto.hmacSHA1(key: key, data: data) : STUNCrypto.hmacSHA256(key: key, data: data)
        }
    }
}

extension STUNMessage {
    /// Checks the integrity attribute of `integrity.algorithm` in the raw
    /// message `bytes` with `integrity.key`, following RFC 8489 section 14.5:
    /// the HMAC covers the message up to the attribute, with the header length
    /// set as if the attribute were the last one (so a FINGERPRINT after it
    /// does not matter).
    ///
    /// - Returns: false if the attribute is missing, malformed or wrong, or the
    ///   bytes are not a well-formed STUN message.
    public static func verifyIntegrity(of bytes: some Collection<UInt8>, using integrity: STUNIntegrity) -> Bool {
        bytes.withContiguousBytes { bytes in
            guard let end = try? validateHeader(bytes) else { return false }
            var offset = headerSize
            while end - offset >= 4 {
                let type = STUNAttributeType(rawValue: bytes.readBigEndian(at: offset))
                let length = Int(bytes.readBigEndian(at: offset + 2, as: UInt16.self))
                let padded = (length + 3) & ~3
                guard padded <= end - offset - 4 else { return false }
                if type == .fingerprint { return false }
                if type == integrity.attributeType {
                    return check(bytes, attributeOffset: offset, length: length, integrity: integrity)
                }
                // Only MESSAGE-INTEGRITY-SHA256 may follow MESSAGE-INTEGRITY.
                if type == .messageIntegrity, integrity.algorithm == .sha1 { return false }
                if type == .messageIntegritySHA256 { return false }
                offset += 4 + padded
            }
            return false
        }
    }

    private static func check(_ bytes: UnsafeBufferPointer<UInt8>, attributeOffset: Int, length: Int, integrity: STUNIntegrity) -> Bool {
        switch integrity.algorithm {
        case .sha1: guard length == 20 else { return false }
        case .sha256: guard length >= 16, length <= 32, length % 4 == 0 else { return false }
        }
        let mac = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: attributeOffset) { scratch -> [UInt8] in
            _ = scratch.initialize(fromContentsOf: UnsafeBufferPointer(rebasing: bytes[0..<attributeOffset]))
            let adjusted = UInt16(attributeOffset - headerSize + 4 + length)
            scratch[2] = UInt8(truncatingIfNeeded: adjusted >> 8)
            scratch[3] = UInt8(truncatingIfNeeded: adjusted)
            return integrity.mac(UnsafeBufferPointer(scratch))
        }
        let received = UnsafeBufferPointer(rebasing: bytes[(attributeOffset + 4)..<(attributeOffset + 4 + length)])
        return STUNCrypto.constantTimeEqual(received, Array(mac.prefix(length)))
    }
}
