extension STUNMessage {
    /// The size of the message as ``serialize(into:)`` writes it (attributes as they are).
    public var serializedSize: Int {
        attributes.reduce(STUNMessage.headerSize) { $0 + 4 + ($1.valueLength + 3) & ~3 }
    }

    /// Appends the message with its attributes exactly as they are (a parsed
    /// message's MESSAGE-INTEGRITY and FINGERPRINT are written back unchanged).
    public func serialize(into buffer: inout [UInt8]) {
        serialize(into: &buffer, integrity: nil, fingerprint: false)
    }

    /// Appends the message and, if asked, computes and appends
    /// MESSAGE-INTEGRITY (or -SHA256) and FINGERPRINT at the end.
    ///
    /// When `integrity` is given, integrity and FINGERPRINT attributes already
    /// in ``attributes`` are left out; when `fingerprint` is true, FINGERPRINT
    /// attributes are left out. So a parsed message can be signed again.
    ///
    /// - Parameters:
    ///   - integrity: the key and algorithm of the integrity attribute to add, or nil.
    ///   - fingerprint: whether to add FINGERPRINT (after the integrity attribute).
    ///   - paddingByte: the byte that pads values to a multiple of 4. Receivers
    ///     ignore it; zero is usual, RFC 5769's vectors use 0x20.
    ///
    /// Attribute values longer than 65,535 bytes, or messages longer than
    /// 65,535 bytes after the header, are a programming error and trap.
    public func serialize(into buffer: inout [UInt8], integrity: STUNIntegrity?, fingerprint: Bool, paddingByte: UInt8 = 0) {
        let start = buffer.count
        buffer.reserveCapacity(start + serializedSize + (integrity == nil ? 0 : 36) + (fingerprint ? 8 : 0))
        buffer.appendBigEndian(type.rawValue)
        buffer.appendBigEndian(UInt16(0))
        buffer.appendBigEndian(STUNMessage.magicCookie)
        transactionID.appendBytes(to: &buffer)
        for attribute in attributes {
            let type = attribute.type
            if integrity != nil, type == .messageIntegrity || type == .messageIntegritySHA256 || type == .fingerprint { continue }
            if fingerprint, type == .fingerprint { continue }
            let length = attribute.valueLength
            precondition(length <= Int(UInt16.max), "STUN attribute \(type) is longer than 65535 bytes")
            buffer.appendBigEndian(type.rawValue)
            buffer.appendBigEndian(UInt16(length))
            attribute.appendValue(to: &buffer, transactionID: transactionID)
            let padding = (4 - length % 4) % 4
            for _ in 0..<padding { buffer.append(paddingByte) }
        }
        func setLength(_ length: Int) {
            precondition(length <= Int(UInt16.max), "STUN message is longer than 65535 bytes")
            buffer.setBigEndian(UInt16(length), at: start + 2)
        }
        if let integrity {
            // The length covers the integrity attribute, which is not written yet.
            setLength(buffer.count - start - STUNMessage.headerSize + 4 + integrity.macLength)
            let mac = buffer.withUnsafeBufferPointer { integrity.mac(UnsafeBufferPointer(rebasing: $0[start...])) }
            buffer.appendBigEndian(integrity.attributeType.rawValue)
            buffer.appendBigEndian(UInt16(mac.count))
            buffer.append(contentsOf: mac)
        }
        if fingerprint {
            setLength(buffer.count - start - STUNMessage.headerSize + 8)
            let crc = buffer.withUnsafeBufferPointer { CRC32.checksum(UnsafeBufferPointer(rebasing: $0[start...])) }
            buffer.appendBigEndian(STUNAttributeType.fingerprint.rawValue)
            buffer.appendBigEndian(UInt16(4))
            buffer.appendBigEndian(crc ^ STUNMessage.fingerprintXOR)
        }
        setLength(buffer.count - start - STUNMessage.headerSize)
    }

    /// The message as bytes, attributes as they are.
    public func serialized() -> [UInt8] {
        var buffer: [UInt8] = []
        serialize(into: &buffer)
        return buffer
    }

    /// The message as bytes with MESSAGE-INTEGRITY and FINGERPRINT computed;
    /// see ``serialize(into:integrity:fingerprint:paddingByte:)``.
    public func serialized(integrity: STUNIntegrity?, fingerprint: Bool, paddingByte: UInt8 = 0) -> [UInt8] {
        var buffer: [UInt8] = []
        serialize(into: &buffer, integrity: integrity, fingerprint: fingerprint, paddingByte: paddingByte)
        return buffer
    }
}
