/// One RTCP packet of a compound (or reduced-size) RTCP packet.
///
/// Types RTPKit does not interpret arrive as ``unknown(_:)`` and are written
/// back unchanged. New cases may be added as more types are interpreted, so
/// switch with a `default` clause.
public enum RTCPPacket: Sendable, Hashable {
    /// Sender report (PT 200).
    case senderReport(RTCPSenderReport)
    /// Receiver report (PT 201).
    case receiverReport(RTCPReceiverReport)
    /// Source description (PT 202).
    case sourceDescription(RTCPSourceDescription)
    /// Goodbye (PT 203).
    case goodbye(RTCPGoodbye)
    /// Picture loss indication (PT 206, FMT 1).
    case pictureLossIndication(RTCPPictureLossIndication)
    /// Full intra request (PT 206, FMT 4).
    case fullIntraRequest(RTCPFullIntraRequest)
    /// Generic NACK (PT 205, FMT 1).
    case genericNACK(RTCPGenericNACK)
    /// Transport-wide congestion control feedback (PT 205, FMT 15).
    case transportWideFeedback(RTCPTransportFeedback)
    /// Receiver estimated maximum bitrate (PT 206, FMT 15, "REMB").
    case receiverEstimatedBitrate(RTCPReceiverEstimatedBitrate)
    /// Any other packet, kept verbatim.
    case unknown(RTCPRawPacket)

    /// Parses a buffer that holds exactly one RTCP packet.
    public init(parsing bytes: some Collection<UInt8>) throws(RTPError) {
        self = try withBorrowedBytes(bytes) { (buffer) throws(RTPError) -> RTCPPacket in
            let frame = try RTCPFrame.readSingle(buffer, expecting: nil)
            return try RTCPPacket(frame: frame, buffer: buffer)
        }
    }

    init(frame: RTCPFrame, buffer: UnsafeRawBufferPointer) throws(RTPError) {
        switch (RTCPPacketType(rawValue: frame.packetType), frame.count) {
        case (.senderReport, _):
            self = .senderReport(try RTCPSenderReport(frame: frame, buffer: buffer))
        case (.receiverReport, _):
            self = .receiverReport(try RTCPReceiverReport(frame: frame, buffer: buffer))
        case (.sourceDescription, _):
            self = .sourceDescription(try RTCPSourceDescription(frame: frame, buffer: buffer))
        case (.goodbye, _):
            self = .goodbye(try RTCPGoodbye(frame: frame, buffer: buffer))
        case (.payloadSpecificFeedback, RTCPPictureLossIndication.format):
            self = .pictureLossIndication(try RTCPPictureLossIndication(frame: frame, buffer: buffer))
        case (.payloadSpecificFeedback, RTCPFullIntraRequest.format):
            self = .fullIntraRequest(try RTCPFullIntraRequest(frame: frame, buffer: buffer))
        case (.payloadSpecificFeedback, RTCPReceiverEstimatedBitrate.format)
        where RTCPReceiverEstimatedBitrate.isREMB(frame: frame, buffer: buffer):
            self = .receiverEstimatedBitrate(try RTCPReceiverEstimatedBitrate(frame: frame, buffer: buffer))
        case (.transportFeedback, RTCPGenericNACK.format):
            self = .genericNACK(try RTCPGenericNACK(frame: frame, buffer: buffer))
        case (.transportFeedback, RTCPTransportFeedback.format):
            self = .transportWideFeedback(try RTCPTransportFeedback(frame: frame, buffer: buffer))
        default:
            self = .unknown(RTCPRawPacket(frame: frame, buffer: buffer))
        }
    }

    /// The packet type (PT).
    public var packetType: RTCPPacketType {
        switch self {
        case .senderReport: return .senderReport
        case .receiverReport: return .receiverReport
        case .sourceDescription: return .sourceDescription
        case .goodbye: return .goodbye
        case .pictureLossIndication, .fullIntraRequest, .receiverEstimatedBitrate: return .payloadSpecificFeedback
        case .genericNACK, .transportWideFeedback: return .transportFeedback
        case .unknown(let raw): return raw.packetType
        }
    }

    /// The size on the wire.
    public var serializedSize: Int {
        switch self {
        case .senderReport(let packet): return packet.serializedSize
        case .receiverReport(let packet): return packet.serializedSize
        case .sourceDescription(let packet): return packet.serializedSize
        case .goodbye(let packet): return packet.serializedSize
        case .pictureLossIndication(let packet): return packet.serializedSize
        case .fullIntraRequest(let packet): return packet.serializedSize
        case .genericNACK(let packet): return packet.serializedSize
        case .transportWideFeedback(let packet): return packet.serializedSize
        case .receiverEstimatedBitrate(let packet): return packet.serializedSize
        case .unknown(let packet): return packet.serializedSize
        }
    }

    /// Appends the packet to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        switch self {
        case .senderReport(let packet): packet.serialize(into: &buffer)
        case .receiverReport(let packet): packet.serialize(into: &buffer)
        case .sourceDescription(let packet): packet.serialize(into: &buffer)
        case .goodbye(let packet): packet.serialize(into: &buffer)
        case .pictureLossIndication(let packet): packet.serialize(into: &buffer)
        case .fullIntraRequest(let packet): packet.serialize(into: &buffer)
        case .genericNACK(let packet): packet.serialize(into: &buffer)
        case .transportWideFeedback(let packet): packet.serialize(into: &buffer)
        case .receiverEstimatedBitrate(let packet): packet.serialize(into: &buffer)
        case .unknown(let packet): packet.serialize(into: &buffer)
        }
    }

    /// The packet as a new array.
    public func serialized() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(serializedSize)
        serialize(into: &buffer)
        return buffer
    }
}
