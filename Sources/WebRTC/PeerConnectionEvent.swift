public import ICEKit

/// Something a connection reports to its owner, in order.
public enum PeerConnectionEvent: Sendable {
    /// A local ICE candidate to send to the remote peer (trickle ICE).
    case localCandidate(RTCIceCandidate)
    /// No more local candidates will come.
    case endOfLocalCandidates
    /// The ICE agent's state changed.
    case iceConnectionStateChanged(ICEConnectionState)
    /// The connection's overall state changed.
    case connectionStateChanged(PeerConnectionState)
    /// A complete encoded video frame arrived from the remote peer.
    case videoFrameReceived(ReceivedVideoFrame)
    /// The remote peer asked for a key frame (PLI or FIR).
    case keyFrameRequested
}

/// One encoded video frame as it came off the wire.
public struct ReceivedVideoFrame: Sendable, Hashable {
    /// The VP8 frame.
    public var data: [UInt8]
    /// Whether it is a key frame.
    public var isKeyFrame: Bool
    /// Its RTP timestamp (90 kHz).
    public var rtpTimestamp: UInt32
    /// Its timestamp relative to the stream's first frame.
    public var timestamp: Duration

    /// Creates a frame.
    public init(data: [UInt8], isKeyFrame: Bool, rtpTimestamp: UInt32, timestamp: Duration) {
        self.data = data
        self.isKeyFrame = isKeyFrame
        self.rtpTimestamp = rtpTimestamp
        self.timestamp = timestamp
    }
}
