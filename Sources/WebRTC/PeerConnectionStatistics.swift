/// Counters of one connection, as a user of `getStats()` would read them.
public struct PeerConnectionStatistics: Sendable, Hashable {
    /// RTP packets sent (video).
    public var packetsSent = 0
    /// RTP payload and header bytes sent (before SRTP).
    public var bytesSent = 0
    /// Video frames sent.
    public var framesSent = 0
    /// Key frames sent.
    public var keyFramesSent = 0
    /// RTP packets received and accepted (after SRTP).
    public var packetsReceived = 0
    /// RTP bytes received (after SRTP).
    public var bytesReceived = 0
    /// Complete video frames assembled from RTP.
    public var framesReceived = 0
    /// Frames the depacketizer had to drop as incomplete.
    public var framesDropped = 0
    /// Frames decoded (for tracks that decode).
    public var framesDecoded = 0
    /// Packets the receiver counts as lost (RFC 3550 cumulative loss).
    public var packetsLost = 0
    /// Key-frame requests (PLI or FIR) this side sent.
    public var keyFrameRequestsSent = 0
    /// Key-frame requests (PLI or FIR) this side received.
    public var keyFrameRequestsReceived = 0
    /// NACKs (RFC 4585 generic NACK) this side sent for missing packets.
    public var nacksSent = 0
    /// NACKs (RFC 4585 generic NACK) received for our stream.
    public var nacksReceived = 0
    /// Packets sent again in answer to NACKs.
    public var packetsRetransmitted = 0
    /// RTCP packets sent and received.
    public var rtcpPacketsSent = 0
    /// RTCP packets received.
    public var rtcpPacketsReceived = 0
    /// Packets of our stream the remote receiver reports lost (from its RTCP report blocks).
    public var remotePacketsLost = 0
    /// The round-trip time from the last RTCP report block, if known.
    public var roundTripTime: Duration?

    /// Creates zeroed counters.
    public init() {}
}
