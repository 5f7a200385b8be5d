/// One STUN attribute, decoded where ICEKit knows the type and kept as raw
/// bytes (`other`) where it does not, so nothing is lost.
///
/// Address attributes hold the plain (un-XORed) address; the XOR with the
/// magic cookie and transaction ID happens when the message is parsed or
/// serialized.
public enum STUNAttribute: Hashable, Sendable {
    /// MAPPED-ADDRESS: the reflexive address, in the clear (RFC 3489 servers).
    case mappedAddress(ICETransportAddress)
    /// XOR-MAPPED-ADDRESS: the reflexive transport address of the request.
    case xorMappedAddress(ICETransportAddress)
    /// USERNAME (UTF-8). ICE uses `"<receiver ufrag>:<sender ufrag>"`.
    case username(String)
    /// MESSAGE-INTEGRITY: the 20-byte HMAC-SHA1.
    case messageIntegrity([UInt8])
    /// MESSAGE-INTEGRITY-SHA256: an HMAC-SHA256, possibly truncated to 16...32 bytes.
    case messageIntegritySHA256([UInt8])
    /// FINGERPRINT: CRC-32 of the message before it, XORed with 0x5354554E.
    case fingerprint(UInt32)
    /// ERROR-CODE.
    case errorCode(STUNErrorCode)
    /// UNKNOWN-ATTRIBUTES: the comprehension-required types a server did not understand.
    case unknownAttributes([STUNAttributeType])
    /// SOFTWARE: a description of the agent (UTF-8).
    case software(String)
    /// PRIORITY (RFC 8445): the priority a peer-reflexive candidate would get.
    case priority(UInt32)
    /// USE-CANDIDATE (RFC 8445): the controlling agent nominates this pair.
    case useCandidate
    /// ICE-CONTROLLED (RFC 8445) with the sender's tie breaker.
    case iceControlled(UInt64)
    /// ICE-CONTROLLING (RFC 8445) with the sender's tie breaker.
    case iceControlling(UInt64)
    /// Any other attribute, with its value bytes (without padding).
    case other(STUNAttributeType, [UInt8])

    /// The attribute's type number.
    public var type: STUNAttributeType {
        switch self {
        case .mappedAddress: .mappedAddress
        case .xorMappedAddress: .xorMappedAddress
        case .username: .username
        case .messageIntegrity: .messageIntegrity
        case .messageIntegritySHA256: .messageIntegritySHA256
        case .fingerprint: .fingerprint
        case .errorCode: .errorCode
        case .unknownAttributes: .unknownAttributes
        case .software: .software
        case .priority: .priority
        case .useCandidate: .useCandidate
        case .iceControlled: .iceControlled
        case .iceControlling: .iceControlling
        case .other(let type, _): type
        }
    }

    /// The length of the value in bytes, without padding.
    var valueLength: Int {
        switch self {
        case .mappedAddress(let address), .xorMappedAddress(let address):
            address.family == .ipv4 ? 8 : 20
        case .username(let text), .software(let text):
            text.utf8.count
        case .messageIntegrity(let value), .messageIntegritySHA256(let value), .other(_, let value):
            value.count
        case .fingerprint, .priority:
            4
        case .errorCode(let error):
            4 + error.reason.utf8.count
        case .unknownAttributes(let types):
            2 * types.count
        case .useCandidate:
            0
        case .iceControlled, .iceControlling:
            8
        }
    }

    /// Appends the value bytes (no header, no padding).
    func appendValue(to buffer: inout [UInt8], transactionID: STUNTransactionID) {
        switch self {
        case .mappedAddress(let address):
            STUNAttribute.appendAddress(address, xor: nil, to: &buffer)
        case .xorMappedAddress(let address):
            STUNAttribute.appendAddress(address, xor: transactionID, to: &buffer)
        case .username(let text), .software(let text):
            buffer.append(contentsOf: text.utf8)
        case .messageIntegrity(let value), .messageIntegritySHA256(let value), .other(_, let value):
            buffer.append(contentsOf: value)
        case .fingerprint(let value), .priority(let value):
            buffer.appendBigEndian(value)
        case .errorCode(let error):
            buffer.append(contentsOf: [0, 0, UInt8(error.code / 100), UInt8(error.code % 100)])
            buffer.append(contentsOf: error.reason.utf8)
        case .unknownAttributes(let types):
            for type in types { buffer.appendBigEndian(type.rawValue) }
        case .useCandidate:
            break
        case .iceControlled(let value), .iceControlling(let value):
            buffer.appendBigEndian(value)
        }
    }

    static func appendAddress(_ address: ICETransportAddress, xor transactionID: STUNTransactionID?, to buffer: inout [UInt8]) {
        buffer.append(0)
        let xorPort: UInt16 = transactionID == nil ? 0 : UInt16(STUNMessage.magicCookie >> 16)
        switch address.ip.storage {
        case .v4(let value):
            buffer.append(0x01)
            buffer.appendBigEndian(address.port ^ xorPort)
            buffer.appendBigEndian(value ^ (transactionID == nil ? 0 : STUNMessage.magicCookie))
        case .v6(let high, let low):
            buffer.append(0x02)
            buffer.appendBigEndian(address.port ^ xorPort)
            if let transactionID {
                buffer.appendBigEndian(high ^ (UInt64(STUNMessage.magicCookie) << 32 | UInt64(transactionID.high)))
                buffer.appendBigEndian(low ^ transactionID.low)
            } else {
                buffer.appendBigEndian(high)
                buffer.appendBigEndian(low)
            }
        }
    }

    // MARK: Decoding

    /// Decodes one attribute value. `value` excludes the header and padding.
    static func decode(type: STUNAttributeType, value: UnsafeBufferPointer<UInt8>, transactionID: STUNTransactionID) throws -> STUNAttribute {
        func invalid(_ what: String) -> ICEError {
            ICEError(.invalidAttribute, "\(what) (attribute \(type), \(value.count) bytes)")
        }
        switch type {
        case .mappedAddress:
            guard let address = decodeAddress(value, xor: nil) else { throw invalid("bad MAPPED-ADDRESS") }
            return .mappedAddress(address)
        case .xorMappedAddress:
            guard let address = decodeAddress(value, xor: transactionID) else { throw invalid("bad XOR-MAPPED-ADDRESS") }
            return .xorMappedAddress(address)
        case .username:
            guard let text = String(validating: value, as: UTF8.self) else { throw invalid("USERNAME is not UTF-8") }
            return .username(text)
        case .messageIntegrity:
            guard value.count == 20 else { throw invalid("MESSAGE-INTEGRITY must be 20 bytes") }
            return .messageIntegrity(Array(value))
        case .messageIntegritySHA256:
            guard value.count >= 16, value.count <= 32, value.count % 4 == 0 else {
                throw invalid("MESSAGE-INTEGRITY-SHA256 must be 16 to 32 bytes in steps of 4")
            }
            return .messageIntegritySHA256(Array(value))
        case .fingerprint:
            guard value.count == 4 else { throw invalid("FINGERPRINT must be 4 bytes") }
            return .fingerprint(value.readBigEndian(at: 0))
        case .errorCode:
            guard value.count >= 4 else { throw invalid("ERROR-CODE is shorter than 4 bytes") }
            let errorClass = Int(value[2] & 0x07)
            let number = Int(value[3])
            guard (3...6).contains(errorClass), number < 100 else { throw invalid("ERROR-CODE out of range") }
            let reason = String(decoding: UnsafeBufferPointer(rebasing: value[4...]), as: UTF8.self)
            return .errorCode(STUNErrorCode(code: errorClass * 100 + number, reason: reason))
        case .unknownAttributes:
            guard value.count % 2 == 0 else { throw invalid("UNKNOWN-ATTRIBUTES has an odd length") }
            return .unknownAttributes(stride(from: 0, to: value.count, by: 2).map {
                STUNAttributeType(rawValue: value.readBigEndian(at: $0))
            })
        case .software:
            return .software(String(decoding: value, as: UTF8.self))
        case .priority:
            guard value.count == 4 else { throw invalid("PRIORITY must be 4 bytes") }
            return .priority(value.readBigEndian(at: 0))
        case .useCandidate:
            guard value.isEmpty else { throw invalid("USE-CANDIDATE must be empty") }
            return .useCandidate
        case .iceControlled:
            guard value.count == 8 else { throw invalid("ICE-CONTROLLED must be 8 bytes") }
            return .iceControlled(value.readBigEndian(at: 0))
        case .iceControlling:
            guard value.count == 8 else { throw invalid("ICE-CONTROLLING must be 8 bytes") }
            return .iceControlling(value.readBigEndian(at: 0))
        default:
            return .other(type, Array(value))
        }
    }

    static func decodeAddress(_ value: UnsafeBufferPointer<UInt8>, xor transactionID: STUNTransactionID?) -> ICETransportAddress? {
        guard value.count >= 4 else { return nil }
        let xorPort: UInt16 = transactionID == nil ? 0 : UInt16(STUNMessage.magicCookie >> 16)
        let port = value.readBigEndian(at: 2, as: UInt16.self) ^ xorPort
        switch value[1] {
        case 0x01:
            guard value.count == 8 else { return nil }
            let raw: UInt32 = value.readBigEndian(at: 4)
            return ICETransportAddress(ip: ICEIPAddress(ipv4: raw ^ (transactionID == nil ? 0 : STUNMessage.magicCookie)), port: port)
        case 0x02:
            guard value.count == 20 else { return nil }
            var high: UInt64 = value.readBigEndian(at: 4)
            var low: UInt64 = value.readBigEndian(at: 12)
            if let transactionID {
                high ^= UInt64(STUNMessage.magicCookie) << 32 | UInt64(transactionID.high)
                low ^= transactionID.low
            }
            return ICETransportAddress(ip: ICEIPAddress(ipv6High: high, low: low), port: port)
        default:
            return nil
        }
    }
}
