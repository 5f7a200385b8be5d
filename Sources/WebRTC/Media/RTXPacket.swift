import RTPKit
import SecureTransport

/// The RTX packet format (RFC 4588 4): the original header and extensions
/// with the RTX payload type, SSRC and sequence number, then the original
/// sequence number, then the original payload. No padding either way.
enum RTXPacket {
    /// The RTX packet carrying `packet` (unprotected, without padding).
    static func wrap(_ packet: [UInt8], ssrc: UInt32, payloadType: UInt8, sequenceNumber: UInt16) -> [UInt8]? {
        guard let header = try? RTPHeader(parsing: packet) else { return nil }
        var wrapped: [UInt8] = []
        wrapped.reserveCapacity(packet.count + 2 + SRTPSession.maximumTrailerLength)
        wrapped.append(contentsOf: packet[..<header.payloadRange.lowerBound])
        rewriteHeader(of: &wrapped, payloadType: payloadType, sequenceNumber: sequenceNumber, ssrc: ssrc)
        wrapped.append(UInt8(header.sequenceNumber >> 8))
        wrapped.append(UInt8(header.sequenceNumber & 0xFF))
        wrapped.append(contentsOf: packet[header.payloadRange])
        return wrapped
    }

    /// The packet an RTX packet (parsed as `header`) repeats, with the media
    /// SSRC and payload type; nil for one with no original in it (the
    /// padding senders probe with).
    static func restore(_ packet: [UInt8], header: RTPHeader, mediaSSRC: UInt32, payloadType: UInt8) -> [UInt8]? {
        let payload = header.payloadRange
        guard payload.count >= 2, payload.upperBound <= packet.count else { return nil }
        var restored: [UInt8] = []
        restored.reserveCapacity(packet.count)
        restored.append(contentsOf: packet[..<payload.lowerBound])
        let original = UInt16(packet[payload.lowerBound]) << 8 | UInt16(packet[payload.lowerBound + 1])
        rewriteHeader(of: &restored, payloadType: payloadType, sequenceNumber: original, ssrc: mediaSSRC)
        restored.append(contentsOf: packet[(payload.lowerBound + 2)..<payload.upperBound])
        return restored
    }

    /// Sets the fixed header's payload type (keeping the marker), sequence
    /// number and SSRC, and clears its padding bit.
    private static func rewriteHeader(of bytes: inout [UInt8], payloadType: UInt8, sequenceNumber: UInt16, ssrc: UInt32) {
        bytes[0] &= ~0x20
        bytes[1] = (bytes[1] & 0x80) | (payloadType & 0x7F)
        bytes[2] = UInt8(sequenceNumber >> 8)
        bytes[3] = UInt8(sequenceNumber & 0xFF)
        bytes[8] = UInt8(ssrc >> 24)
        bytes[9] = UInt8((ssrc >> 16) & 0xFF)
        bytes[10] = UInt8((ssrc >> 8) & 0xFF)
        bytes[11] = UInt8(ssrc & 0xFF)
    }
}
