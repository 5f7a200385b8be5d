extension STUNMessage {
    /// Whether `bytes` looks like one STUN message: at least a header, the
    /// first two bits zero, the magic cookie in place, and a length that is a
    /// multiple of four and matches the datagram. Cheap; reads 8 bytes.
    public static func isSTUN(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.withContiguousBytes { bytes in
            guard bytes.count >= headerSize, bytes[0] & 0xC0 == 0,
                  bytes.readBigEndian(at: 4, as: UInt32.self) == magicCookie else { return false }
            let length = Int(bytes.readBigEndian(at: 2, as: UInt16.self))
            return length % 4 == 0 && headerSize + length == bytes.count
        }
    }

    /// Parses one STUN message that fills `bytes` exactly.
    ///
    /// Checks the header (zero top bits, magic cookie, a length that is a
    /// multiple of four and matches the bytes), every attribute's bounds and
    /// value, that nothing follows FINGERPRINT, and the FINGERPRINT itself.
    /// MESSAGE-INTEGRITY needs a key: check it with ``verifyIntegrity(of:using:)``.
    ///
    /// - Throws: ``ICEError`` with code `.truncated`, `.invalidLength`,
    ///   `.invalidHeader`, `.invalidMagicCookie`, `.invalidAttribute` or
    ///   `.fingerprintMismatch`.
    public init(parsing bytes: some Collection<UInt8>) throws {
        self = try bytes.withContiguousBytes { try STUNMessage.parse($0) }
    }

    /// Validates the header and returns the end of the message.
    static func validateHeader(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Int {
        guard bytes.count >= headerSize else {
            throw ICEError(.truncated, "\(bytes.count) bytes is shorter than the 20-byte STUN header")
        }
        guard bytes[0] & 0xC0 == 0 else {
            throw ICEError(.invalidHeader, "the first two bits of a STUN message must be zero")
        }
        guard bytes.readBigEndian(at: 4, as: UInt32.self) == magicCookie else {
            throw ICEError(.invalidMagicCookie, "the magic cookie is not 0x2112A442")
        }
        let length = Int(bytes.readBigEndian(at: 2, as: UInt16.self))
        guard length % 4 == 0 else {
            throw ICEError(.invalidLength, "message length \(length) is not a multiple of 4")
        }
        guard headerSize + length <= bytes.count else {
            throw ICEError(.truncated, "message length \(length) runs past the \(bytes.count - headerSize) bytes that follow the header")
        }
        guard headerSize + length == bytes.count else {
            throw ICEError(.invalidLength, "\(bytes.count - headerSize - length) bytes follow the message")
        }
        return headerSize + length
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> STUNMessage {
        let end = try validateHeader(bytes)
        let type = STUNMessageType(rawValue: bytes.readBigEndian(at: 0))
        let transactionID = STUNTransactionID(high: bytes.readBigEndian(at: 8), low: bytes.readBigEndian(at: 12))
        var attributes: [STUNAttribute] = []
        var offset = headerSize
        var sawIntegrity = false
        var sawIntegritySHA256 = false
        var sawFingerprint = false
        while offset < end {
            guard !sawFingerprint else {
                throw ICEError(.invalidAttribute, "an attribute follows FINGERPRINT at offset \(offset)")
            }
            guard end - offset >= 4 else {
                throw ICEError(.invalidAttribute, "attribute header at offset \(offset) is cut short")
            }
            let attributeType = STUNAttributeType(rawValue: bytes.readBigEndian(at: offset))
            let length = Int(bytes.readBigEndian(at: offset + 2, as: UInt16.self))
            let padded = (length + 3) & ~3
            guard padded <= end - offset - 4 else {
                throw ICEError(.invalidAttribute, "attribute \(attributeType) of \(length) bytes at offset \(offset) runs past the message")
            }
            let value = UnsafeBufferPointer(rebasing: bytes[(offset + 4)..<(offset + 4 + length)])
            if attributeType == .fingerprint {
                let attribute = try STUNAttribute.decode(type: attributeType, value: value, transactionID: transactionID)
                let expected = CRC32.checksum(UnsafeBufferPointer(rebasing: bytes[0..<offset])) ^ fingerprintXOR
                guard case .fingerprint(expected) = attribute else {
                    throw ICEError(.fingerprintMismatch, "FINGERPRINT does not match the message")
                }
                attributes.append(attribute)
                sawFingerprint = true
            } else if sawIntegritySHA256 || (sawIntegrity && attributeType != .messageIntegritySHA256) {
                // RFC 8489 section 14.5/14.6: ignored after the integrity attributes.
            } else {
                let attribute = try STUNAttribute.decode(type: attributeType, value: value, transactionID: transactionID)
                attributes.append(attribute)
                if attributeType == .messageIntegrity { sawIntegrity = true }
                if attributeType == .messageIntegritySHA256 { sawIntegritySHA256 = true }
            }
            offset += 4 + padded
        }
        return STUNMessage(type: type, transactionID: transactionID, attributes: attributes)
    }
}
