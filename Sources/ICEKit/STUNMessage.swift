/// A STUN message (RFC 8489): a type (method and class), a 96-bit transaction
/// ID and a list of attributes in wire order.
///
/// Parse with ``init(parsing:)`` (which checks the header, every attribute's
/// bounds and the FINGERPRINT if there is one), check MESSAGE-INTEGRITY with
/// ``verifyIntegrity(of:using:)`` on the same bytes, and write with
/// ``serialize(into:integrity:fingerprint:paddingByte:)``, which appends
/// MESSAGE-INTEGRITY and FINGERPRINT for you.
public struct STUNMessage: Hashable, Sendable {
    /// The magic cookie, 0x2112A442, in every RFC 5389/8489 header.
    public static let magicCookie: UInt32 = 0x2112_A442
    /// The XOR applied to the CRC-32 in FINGERPRINT ("STUN" in ASCII).
    public static let fingerprintXOR: UInt32 = 0x5354_554E
    /// The size of the fixed header.
    public static let headerSize = 20

    /// The method and class.
    public var type: STUNMessageType
    /// The transaction ID that pairs a response with its request.
    public var transactionID: STUNTransactionID
    /// The attributes in wire order. Attributes that follow MESSAGE-INTEGRITY
    /// on the wire (other than MESSAGE-INTEGRITY-SHA256 and FINGERPRINT) are
    /// ignored by the parser, as RFC 8489 requires, and so are not here.
    public var attributes: [STUNAttribute]

    /// A message from its parts.
    public init(type: STUNMessageType, transactionID: STUNTransactionID, attributes: [STUNAttribute] = []) {
        self.type = type
        self.transactionID = transactionID
        self.attributes = attributes
    }

    // MARK: Attribute accessors (the first occurrence wins)

    /// The first attribute of `type`, if any.
    public func attribute(_ type: STUNAttributeType) -> STUNAttribute? {
        attributes.first { $0.type == type }
    }

    /// Whether an attribute of `type` is present.
    public func contains(_ type: STUNAttributeType) -> Bool {
        attributes.contains { $0.type == type }
    }

    /// USERNAME.
    public var username: String? {
        for case .username(let value) in attributes { return value }
        return nil
    }

    /// XOR-MAPPED-ADDRESS.
    public var xorMappedAddress: ICETransportAddress? {
        for case .xorMappedAddress(let value) in attributes { return value }
        return nil
    }

    /// MAPPED-ADDRESS.
    public var mappedAddress: ICETransportAddress? {
        for case .mappedAddress(let value) in attributes { return value }
        return nil
    }

    /// ERROR-CODE.
    public var errorCode: STUNErrorCode? {
        for case .errorCode(let value) in attributes { return value }
        return nil
    }

    /// UNKNOWN-ATTRIBUTES.
    public var unknownAttributes: [STUNAttributeType]? {
        for case .unknownAttributes(let value) in attributes { return value }
        return nil
    }

    /// SOFTWARE.
    public var software: String? {
        for case .software(let value) in attributes { return value }
        return nil
    }

    /// PRIORITY.
    public var priority: UInt32? {
        for case .priority(let value) in attributes { return value }
        return nil
    }

    /// Whether USE-CANDIDATE is present.
    public var useCandidate: Bool { contains(.useCandidate) }

    /// The tie breaker of ICE-CONTROLLING.
    public var iceControlling: UInt64? {
        for case .iceControlling(let value) in attributes { return value }
        return nil
    }

    /// The tie breaker of ICE-CONTROLLED.
    public var iceControlled: UInt64? {
        for case .iceControlled(let value) in attributes { return value }
        return nil
    }

    /// MESSAGE-INTEGRITY's HMAC.
    public var messageIntegrity: [UInt8]? {
        for case .messageIntegrity(let value) in attributes { return value }
        return nil
    }

    /// FINGERPRINT's value.
    public var fingerprint: UInt32? {
        for case .fingerprint(let value) in attributes { return value }
        return nil
    }
}
