/// An RTCP packet type (the PT field).
public struct RTCPPacketType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The wire value.
    public var rawValue: UInt8
    /// Creates a type from its wire value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// The wire value in decimal.
    public var description: String { String(rawValue) }

    /// Sender report (RFC 3550).
    public static let senderReport = RTCPPacketType(rawValue: 200)
    /// Receiver report (RFC 3550).
    public static let receiverReport = RTCPPacketType(rawValue: 201)
    /// Source description (RFC 3550).
    public static let sourceDescription = RTCPPacketType(rawValue: 202)
    /// Goodbye (RFC 3550).
    public static let goodbye = RTCPPacketType(rawValue: 203)
    /// Application-defined (RFC 3550).
    public static let applicationDefined = RTCPPacketType(rawValue: 204)
    /// Transport-layer feedback (RFC 4585), such as generic NACK.
    public static let transportFeedback = RTCPPacketType(rawValue: 205)
    /// Payload-specific feedback (RFC 4585), such as PLI and FIR.
    public static let payloadSpecificFeedback = RTCPPacketType(rawValue: 206)
    /// Extended report (RFC 3611).
    public static let extendedReport = RTCPPacketType(rawValue: 207)
}
