import CongestionControl
import RTPKit

/// Transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01):
/// as a receiver, the arrival of every packet that carries a transport-wide
/// sequence number goes back in feedback every ``transportFeedbackInterval``;
/// as a sender, every packet sent is numbered and noted, and the feedback
/// that comes back drives the bandwidth estimate.
extension PeerConnectionCore {
    /// How long arrivals wait before feedback reports them.
    static var transportFeedbackInterval: Duration { .milliseconds(50) }
    /// The most feedback packets sent at one time (each covers up to 400 packets).
    static var maximumFeedbackPerInterval: Int { 4 }

    // MARK: Receiving

    /// Notes the arrival of a packet's transport-wide sequence number, if it carries one.
    func recordTransportSequenceNumber(of header: RTPHeader, in packet: [UInt8], at now: ContinuousClock.Instant) {
        guard let id = transportWideExtensionID, let range = header.extensionElementRange(id: id, in: packet), range.count == 2
        else { return }
        let sequenceNumber = UInt16(packet[range.lowerBound]) << 8 | UInt16(packet[range.lowerBound + 1])
        feedbackRecorder.record(sequenceNumber: sequenceNumber, arrival: now)
        transportFeedbackMediaSSRC = header.ssrc
        if nextTransportFeedback == nil { nextTransportFeedback = now + Self.transportFeedbackInterval }
    }

    /// Sends the feedback that is due: every arrival not yet reported.
    func sendTransportFeedbackIfDue(at now: ContinuousClock.Instant) {
        guard let due = nextTransportFeedback, due <= now else { return }
        nextTransportFeedback = nil
        for _ in 0..<Self.maximumFeedbackPerInterval {
            guard let feedback = feedbackRecorder.makeFeedback(senderSSRC: localRTCPSSRC, mediaSSRC: transportFeedbackMediaSSRC)
            else { break }
            transportFeedbackSent += 1
            sendRTCP([.transportWideFeedback(feedback)])
        }
        if feedbackRecorder.hasUnreportedPackets { nextTransportFeedback = now + Self.transportFeedbackInterval }
    }

    /// Finds the transport-wide sequence number's id after a negotiation
    /// (one id for the whole BUNDLE transport, RFC 8843 9.2).
    func updateTransportWideExtension() {
        transportWideExtensionID = media.transceivers.lazy.filter { !$0.isStopped }
            .compactMap { $0.negotiated?.transportSequenceExtensionID }.first
    }

    // MARK: Sending

    /// Notes a packet that just left (at media time `now`), sent for probe
    /// cluster `probeCluster` if not nil; `transportSequenceNumber` is nil
    /// when it carries none.
    func noteSent(transportSequenceNumber: UInt16?, size: Int, probeCluster: Int?, at now: Duration) {
        guard let transportSequenceNumber else { return }
        bandwidthEstimator.packetSent(sequenceNumber: transportSequenceNumber, size: size, at: now, probeCluster: probeCluster)
    }

    /// Takes in feedback from the remote receiver.
    func transportFeedbackReceived(_ feedback: RTCPTransportFeedback, at now: ContinuousClock.Instant) {
        transportFeedbackReceivedCount += 1
        bandwidthEstimator.feedbackReceived(feedback.arrivals, roundTrip: currentRoundTrip, at: mediaTime(at: now))
    }

    /// Takes in the remote receiver's own estimate (REMB): with
    /// transport-wide feedback a ceiling on the estimate, without it the
    /// estimate itself.
    func receiverEstimateReceived(_ estimate: RTCPReceiverEstimatedBitrate) {
        receiverEstimatesReceived += 1
        bandwidthEstimator.receiverEstimated(bitrate: Double(min(estimate.bitrate, UInt64(Int64.max))))
    }

    /// Whether there is an estimate to follow: the remote side sends
    /// transport-wide feedback, or at least REMB.
    var hasBandwidthEstimate: Bool { transportWideExtensionID != nil || receiverEstimatesReceived > 0 }

    /// The send-side estimate: what the encoders and the pacer should follow.
    public var bandwidthEstimate: BandwidthEstimate {
        BandwidthEstimate(
            targetBitrate: bandwidthEstimator.targetBitrate, delayBasedBitrate: bandwidthEstimator.delayBasedBitrate,
            lossBasedLimit: bandwidthEstimator.lossBasedLimit, acknowledgedBitrate: bandwidthEstimator.acknowledgedBitrate,
            lossFraction: bandwidthEstimator.lossFraction, usage: bandwidthEstimator.usage,
            feedbackReceived: transportFeedbackReceivedCount, feedbackSent: transportFeedbackSent,
            receiverEstimatesReceived: receiverEstimatesReceived,
            sentBitrate: sentBitrate.bitrate(at: lastInput.map(mediaTime(at:)) ?? .zero),
            pacingRate: pacer.pacingRate(at: lastInput.map(mediaTime(at:)) ?? .zero),
            pacerQueuedPackets: pacer.queuedPackets, pacerPacketsRefused: pacer.packetsRefused,
            paddingPacketsSent: pacer.paddingPackets)
    }
}
