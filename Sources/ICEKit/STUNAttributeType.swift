/// A STUN attribute type number.
public struct STUNAttributeType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The 16-bit type number.
    public var rawValue: UInt16
    /// Creates a type from its number.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// MAPPED-ADDRESS (0x0001).
    public static let mappedAddress = STUNAttributeType(rawValue: 0x0001)
    /// USERNAME (0x0006).
    public static let username = STUNAttributeType(rawValue: 0x0006)
    /// MESSAGE-INTEGRITY (0x0008).
    public static let messageIntegrity = STUNAttributeType(rawValue: 0x0008)
    /// ERROR-CODE (0x0009).
    public static let errorCode = STUNAttributeType(rawValue: 0x0009)
    /// UNKNOWN-ATTRIBUTES (0x000A).
    public static let unknownAttributes = STUNAttributeType(rawValue: 0x000A)
    /// REALM (0x0014).
    public static let realm = STUNAttributeType(rawValue: 0x0014)
    /// NONCE (0x0015).
    public static let nonce = STUNAttributeType(rawValue: 0x0015)
    /// MESSAGE-INTEGRITY-SHA256 (0x001C).
    public static let messageIntegritySHA256 = STUNAttributeType(rawValue: 0x001C)
    /// XOR-MAPPED-ADDRESS (0x0020).
    public static let xorMappedAddress = STUNAttributeType(rawValue: 0x0020)
    /// PRIORITY (0x0024), RFC 8445.
    public static let priority = STUNAttributeType(rawValue: 0x0024)
    /// USE-CANDIDATE (0x0025), RFC 8445.
    public static let useCandidate = STUNAttributeType(rawValue: 0x0025)
    /// SOFTWARE (0x8022).
    public static let software = STUNAttributeType(rawValue: 0x8022)
    /// FINGERPRINT (0x8028).
    public static let fingerprint = STUNAttributeType(rawValue: 0x8028)
    /// ICE-CONTROLLED (0x8029), RFC 8445.
    public static let iceControlled = STUNAttributeType(rawValue: 0x8029)
    /// ICE-CONTROLLING (0x802A), RFC 8445.
    public static let iceControlling = STUNAttributeType(rawValue: 0x802A)

    /// Whether a receiver that does not understand this attribute must reject
    /// the message (types below 0x8000).
    public var isComprehensionRequired: Bool { rawValue < 0x8000 }

    /// The type number in hex.
    public var description: String { "0x" + String(rawValue, radix: 16) }
}
