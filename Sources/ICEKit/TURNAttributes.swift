/// The methods and attributes TURN (RFC 8656) adds to STUN.
extension STUNMethod {
    /// Allocate (0x003): asks the server for a relayed transport address.
    public static let allocate = STUNMethod(rawValue: 0x003)
    /// Refresh (0x004): keeps an allocation alive, or ends it with LIFETIME 0.
    public static let refresh = STUNMethod(rawValue: 0x004)
    /// Send (0x006): an indication carrying data to a peer.
    public static let send = STUNMethod(rawValue: 0x006)
    /// Data (0x007): an indication carrying data from a peer.
    public static let data = STUNMethod(rawValue: 0x007)
    /// CreatePermission (0x008): lets a peer's IP address send to the relayed address.
    public static let createPermission = STUNMethod(rawValue: 0x008)
    /// ChannelBind (0x009): binds a channel number to a peer's transport address.
    public static let channelBind = STUNMethod(rawValue: 0x009)
}

extension STUNAttributeType {
    /// CHANNEL-NUMBER (0x000C).
    public static let channelNumber = STUNAttributeType(rawValue: 0x000C)
    /// LIFETIME (0x000D), in seconds.
    public static let lifetime = STUNAttributeType(rawValue: 0x000D)
    /// XOR-PEER-ADDRESS (0x0012).
    public static let xorPeerAddress = STUNAttributeType(rawValue: 0x0012)
    /// DATA (0x0013).
    public static let data = STUNAttributeType(rawValue: 0x0013)
    /// XOR-RELAYED-ADDRESS (0x0016).
    public static let xorRelayedAddress = STUNAttributeType(rawValue: 0x0016)
    /// REQUESTED-ADDRESS-FAMILY (0x0017).
    public static let requestedAddressFamily = STUNAttributeType(rawValue: 0x0017)
    /// REQUESTED-TRANSPORT (0x0019).
    public static let requestedTransport = STUNAttributeType(rawValue: 0x0019)
}

extension STUNAttribute {
    /// An XOR-encoded address attribute other than XOR-MAPPED-ADDRESS
    /// (XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS), for a message with `transactionID`.
    public static func xorAddress(_ type: STUNAttributeType, _ address: ICETransportAddress, transactionID: STUNTransactionID) -> STUNAttribute {
        var value: [UInt8] = []
        appendAddress(address, xor: transactionID, to: &value)
        return .other(type, value)
    }

    /// A 32-bit attribute (LIFETIME).
    public static func uint32(_ type: STUNAttributeType, _ value: UInt32) -> STUNAttribute {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(value)
        return .other(type, bytes)
    }

    /// REQUESTED-TRANSPORT for UDP (protocol 17), the only relayed transport WebRTC uses.
    public static let requestedTransportUDP = STUNAttribute.other(.requestedTransport, [17, 0, 0, 0])

    /// CHANNEL-NUMBER with `number` (0x4000...0x4FFF) and the reserved bytes.
    public static func channelNumber(_ number: UInt16) -> STUNAttribute {
        .other(.channelNumber, [UInt8(number >> 8), UInt8(number & 0xFF), 0, 0])
    }

    /// REQUESTED-ADDRESS-FAMILY: 0x01 IPv4, 0x02 IPv6.
    public static func requestedAddressFamily(_ family: ICEIPAddress.Family) -> STUNAttribute {
        .other(.requestedAddressFamily, [family == .ipv4 ? 0x01 : 0x02, 0, 0, 0])
    }
}

extension STUNMessage {
    /// The address in an XOR-encoded attribute of `type` (XOR-PEER-ADDRESS,
    /// XOR-RELAYED-ADDRESS), if present and well formed.
    public func xorAddress(_ type: STUNAttributeType) -> ICETransportAddress? {
        guard case .other(_, let value)? = attribute(type) else { return nil }
        return value.withUnsafeBufferPointer { STUNAttribute.decodeAddress($0, xor: transactionID) }
    }

    /// LIFETIME in seconds.
    public var lifetime: UInt32? {
        guard case .other(_, let value)? = attribute(.lifetime), value.count == 4 else { return nil }
        return value.withUnsafeBufferPointer { $0.readBigEndian(at: 0) }
    }

    /// The text of an attribute kept as bytes (REALM, NONCE).
    public func text(_ type: STUNAttributeType) -> String? {
        guard case .other(_, let value)? = attribute(type) else { return nil }
        return String(decoding: value, as: UTF8.self)
    }

    /// DATA's bytes.
    public var data: [UInt8]? {
        guard case .other(_, let value)? = attribute(.data) else { return nil }
        return value
    }
}
