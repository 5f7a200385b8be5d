/// Counters of one sending stream, as `getStats()`'s `outbound-rtp`.
public struct OutboundStreamStatistics: Sendable, Hashable {
    /// The transceiver's mid.
    public var mid = ""
    /// Audio or video.
    public var kind = TrackKind.video
    /// The stream's SSRC.
    public var ssrc: UInt32 = 0
    /// The SSRC of the RTX stream retransmissions go on, where RTX was negotiated.
    public var rtxSSRC: UInt32?
    /// RTP packets sent (retransmissions not included).
    public var packetsSent = 0
    /// RTP bytes sent, headers included, before SRTP.
    public var bytesSent = 0
    /// Frames (video) or packets (audio) sent.
    public var framesSent = 0
    /// Key frames sent.
    public var keyFramesSent = 0
    /// NACKs received for this stream.
    public var nacksReceived = 0
    /// Packets sent again in answer to NACKs.
    public var packetsRetransmitted = 0
    /// Bytes sent again in answer to NACKs.
    public var bytesRetransmitted = 0
    /// Packets a NACK asked for that were not sent again: no longer kept,
    /// resent less than a round trip ago, or over the retransmission budget.
    public var retransmissionsRefused = 0
    /// Padding-only packets sent on the RTX stream to fill bandwidth probes.
    public var paddingPacketsSent = 0
    /// The encoder's target bitrate the connection last gave this stream
    /// (bits per second), from the bandwidth estimate; nil before any.
    public var targetBitrate: Int?
    /// PLIs received.
    public var pliCount = 0
    /// FIRs received (repeats of one request counted once).
    public var firCount = 0
    /// Key-frame requests ignored because they came too soon after the last one.
    public var keyFrameRequestsThrottled = 0
    /// Packets the remote receiver reports lost (its report blocks).
    public var remotePacketsLost = 0
    /// The interarrival jitter the remote receiver reports.
    public var remoteJitter: Duration?
    /// The share of packets (0 to 1) the remote receiver's last report says
    /// were lost since its report before.
    public var remoteFractionLost: Double?
    /// How many report blocks the remote receiver sent about this stream.
    public var reportsReceived = 0
    /// The round-trip time from the last report block that had one.
    public var roundTripTime: Duration?
}

/// Counters of one receiving stream, as `getStats()`'s `inbound-rtp`.
public struct InboundStreamStatistics: Sendable, Hashable {
    /// The transceiver's mid.
    public var mid = ""
    /// Audio or video.
    public var kind = TrackKind.video
    /// The remote SSRC.
    public var ssrc: UInt32 = 0
    /// RTP packets received and accepted.
    public var packetsReceived = 0
    /// RTP bytes received (after SRTP).
    public var bytesReceived = 0
    /// Packets lost (RFC 3550 cumulative loss).
    public var packetsLost = 0
    /// The interarrival jitter (RFC 3550 6.4.1).
    public var jitter: Duration = .zero
    /// Complete frames (video) or packets (audio) handed on.
    public var framesReceived = 0
    /// Frames the depacketizer dropped as incomplete.
    public var framesDropped = 0
    /// Video freezes (Chromium's definition: a gap between frames longer than
    /// three average intervals and than the average plus 150 ms).
    public var freezeCount = 0
    /// The time video spent frozen.
    public var totalFreezesDuration: Duration = .zero
    /// NACKs sent for this stream.
    public var nacksSent = 0
    /// Missing packets that arrived after a NACK asked for them.
    public var packetsRecovered = 0
    /// Retransmissions received on the stream's RTX stream (RFC 4588), and their bytes.
    public var retransmittedPacketsReceived = 0
    public var retransmittedBytesReceived = 0
    /// RTX packets with nothing to restore (padding a sender probes with).
    public var rtxPaddingPacketsReceived = 0
    /// Missing packets the jitter buffer stopped waiting for: lost for good.
    public var packetsUnrecovered = 0
    /// The time frames spent in the jitter buffer, from their first packet's
    /// arrival until they were handed on (W3C `jitterBufferDelay`), summed.
    public var jitterBufferDelay: Duration = .zero
    /// The frames that time is summed over (W3C `jitterBufferEmittedCount`).
    public var jitterBufferEmittedCount = 0
    /// PLIs sent for this stream.
    public var pliCount = 0
    /// FIRs sent for this stream (when PLI was not negotiated).
    public var firCount = 0
    /// The last RFC 6464 audio level received, in -dBov.
    public var audioLevel: UInt8?
    /// Frames (video) or packets (audio) decoded by the remote track.
    public var framesDecoded = 0
    /// Audio samples (per channel) made up for lost packets.
    public var concealedSamples = 0
    /// The audio track's playout: its jitter buffer, FEC recovery,
    /// concealment and stretching (`nil` for video). For audio,
    /// ``jitterBufferDelay`` and ``jitterBufferEmittedCount`` come from it,
    /// summed per sample played, as W3C counts them for audio.
    public var audioPlayout: AudioPlayoutStatistics?
}
