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

    /// Handles one decrypted RTX packet for `target`.
    func receiveRTX(
        _ packet: [UInt8], header: RTPHeader, for target: (stream: any MediaReceiveStream, payloadType: UInt8),
        at now: ContinuousClock.Instant
    ) {
        guard let restored = RTXPacket.restore(packet, header: header, mediaSSRC: target.stream.remoteSSRC, payloadType: target.payloadType),
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
