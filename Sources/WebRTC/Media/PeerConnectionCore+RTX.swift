import RTPKit

/// Retransmissions that arrive on an RTX stream (RFC 4588): each is turned
/// back into the packet it repeats and handed to that packet's stream.
extension PeerConnectionCore {
    /// The receiving stream an RTX packet repairs, and the payload type it
    /// restores: that of the receiving transceiver whose negotiated RTX
    /// payload type the packet carries (by its `sdes:mid` when several do).
    func rtxTarget(of header: RTPHeader, packet: [UInt8]) -> (stream: any MediaReceiveStream, payloadType: UInt8)? {
        var owner: Transceiver?
        var matches = 0
        for transceiver in media.transceivers
        where transceiver.negotiated?.rtxPayloadType == header.payloadType && transceiver.receiveStream != nil && !transceiver.isStopped {
            matches += 1
            owner = owner ?? transceiver
        }
        if matches > 1 {
            owner = nil
            for transceiver in media.transceivers where transceiver.negotiated?.rtxPayloadType == header.payloadType {
                guard let id = transceiver.negotiated?.midExtensionID, let range = header.extensionElementRange(id: id, in: packet),
                    String(validating: packet[range], as: UTF8.self) == transceiver.mid
                else { continue }
                owner = transceiver
                break
            }
        }
        guard let owner, let stream = owner.receiveStream, let payloadType = owner.negotiated?.codec.payloadType else { return nil }
        return (stream, payloadType)
    }

    /// The packet an RTX packet repeats: its header with the media SSRC, the
    /// original payload type and the original sequence number (the first two
    /// payload bytes), then the rest of the payload, without padding. Nil for
    /// an RTX packet with no original in it (padding, as senders probe with).
    static func restoredFromRTX(_ packet: [UInt8], header: RTPHeader, mediaSSRC: UInt32, payloadType: UInt8) -> [UInt8]? {
        let payload = header.payloadRange
        guard payload.count >= 2, payload.upperBound <= packet.count else { return nil }
        var restored: [UInt8] = []
        restored.reserveCapacity(packet.count)
        restored.append(contentsOf: packet[..<payload.lowerBound])
        restored[0] &= ~0x20  // the padding is left out
        restored[1] = (restored[1] & 0x80) | (payloadType & 0x7F)
        restored[2] = packet[payload.lowerBound]
        restored[3] = packet[payload.lowerBound + 1]
        restored[8] = UInt8(mediaSSRC >> 24)
        restored[9] = UInt8((mediaSSRC >> 16) & 0xFF)
        restored[10] = UInt8((mediaSSRC >> 8) & 0xFF)
        restored[11] = UInt8(mediaSSRC & 0xFF)
        restored.append(contentsOf: packet[(payload.lowerBound + 2)..<payload.upperBound])
        return restored
    }

    /// Handles one decrypted RTX packet for `target`.
    func receiveRTX(
        _ packet: [UInt8], header: RTPHeader, for target: (stream: any MediaReceiveStream, payloadType: UInt8),
        at now: ContinuousClock.Instant
    ) {
        guard let restored = Self.restoredFromRTX(packet, header: header, mediaSSRC: target.stream.remoteSSRC, payloadType: target.payloadType),
            let original = try? RTPHeader(parsing: restored)
        else {
            target.stream.statistics.rtxPaddingPacketsReceived += 1
            return
        }
        target.stream.statistics.retransmittedPacketsReceived += 1
        target.stream.statistics.retransmittedBytesReceived += packet.count
        receiveOutput.reset()
        target.stream.receive(original, bytes: restored, isRetransmission: true, roundTrip: currentRoundTrip, at: now, into: &receiveOutput)
        deliverReceiveOutput(of: target.stream, at: now)
    }
}
