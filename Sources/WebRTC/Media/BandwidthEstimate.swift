public import CongestionControl

/// What the sender knows of the path, from the remote side's feedback, as
/// `PeerConnectionCore.bandwidthEstimate` and the statistics give it.
public struct BandwidthEstimate: Sendable, Hashable {
    /// The rate to send at, in bits per second (Chromium's
    /// `availableOutgoingBitrate`): audio, video and retransmissions together.
    public var targetBitrate: Double
    /// The delay-based estimate alone.
    public var delayBasedBitrate: Double
    /// The limit that loss sets, if it limits anything.
    public var lossBasedLimit: Double?
    /// What the path delivered lately, from the arrivals feedback reported.
    public var acknowledgedBitrate: Double?
    /// The loss of the latest measure (0-1).
    public var lossFraction: Double
    /// The delay-based detector's latest conclusion.
    public var usage: BandwidthUsage
    /// Transport-wide feedback packets received from the remote side.
    public var feedbackReceived: Int
    /// Transport-wide feedback packets sent to the remote side.
    public var feedbackSent: Int
    /// REMB packets received (the remote receiver's own estimate).
    public var receiverEstimatesReceived: Int
    /// What actually left over the last second, in bits per second: media,
    /// retransmissions and padding, after SRTP.
    public var sentBitrate: Double
    /// The rate the pacer lets packets go at now (bits per second).
    public var pacingRate: Double
    /// Packets waiting in the pacer.
    public var pacerQueuedPackets: Int
    /// Packets the pacer refused because its queue was full.
    public var pacerPacketsRefused: Int
    /// Padding packets sent to fill bandwidth probes.
    public var paddingPacketsSent: Int
}
