/// A STUN method (12 bits). Only Binding matters to ICE; others are kept as numbers.
public struct STUNMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The 12-bit method number.
    public var rawValue: UInt16
    /// Creates a method from its number; bits above the twelfth are dropped.
    public init(rawValue: UInt16) { self.rawValue = rawValue & 0x0FFF }

    /// Binding (0x001), the method of ICE connectivity checks.
    public static let binding = STUNMethod(rawValue: 0x001)

    /// `binding` or the method number in hex.
    public var description: String {
        self == .binding ? "binding" : "method 0x" + String(rawValue, radix: 16)
    }
}

/// The class of a STUN message.
public enum STUNClass: UInt8, Hashable, Sendable, CaseIterable {
    /// A request, answered by a success or error response.
    case request = 0b00
    /// An indication: no response expected.
    case indication = 0b01
    /// A success response.
    case successResponse = 0b10
    /// An error response.
    case errorResponse = 0b11
}

/// The 14-bit message type of a STUN header: a method and a class interleaved
/// as RFC 8489 section 5 lays them out.
public struct STUNMessageType: Hashable, Sendable, CustomStringConvertible {
    /// The method.
    public var method: STUNMethod
    /// The class.
    public var `class`: STUNClass

    /// A type from its method and class.
    public init(method: STUNMethod, class: STUNClass) {
        self.method = method
        self.class = `class`
    }

    /// Decodes the 16-bit type field (the top two bits must already be known to be zero).
    public init(rawValue: UInt16) {
        let m = (rawValue & 0x000F) | ((rawValue & 0x00E0) >> 1) | ((rawValue & 0x3E00) >> 2)
        let c = ((rawValue & 0x0010) >> 4) | ((rawValue & 0x0100) >> 7)
        self.init(method: STUNMethod(rawValue: m), class: STUNClass(rawValue: UInt8(c))!)
    }

    /// The 16-bit type field.
    public var rawValue: UInt16 {
        let m = method.rawValue
        let c = UInt16(self.class.rawValue)
        return (m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 0b01) << 4) | ((c & 0b10) << 7)
    }

    /// Binding request.
    public static let bindingRequest = STUNMessageType(method: .binding, class: .request)
    /// Binding success response.
    public static let bindingSuccess = STUNMessageType(method: .binding, class: .successResponse)
    /// Binding error response.
    public static let bindingError = STUNMessageType(method: .binding, class: .errorResponse)
    /// Binding indication.
    public static let bindingIndication = STUNMessageType(method: .binding, class: .indication)

    /// For example `binding request`.
    public var description: String { "\(method) \(self.class)" }
}
