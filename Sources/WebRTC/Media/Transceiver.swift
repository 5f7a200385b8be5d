import RTPKit

/// One transceiver of the media table: an m-section's worth of state, with
/// its sending and receiving halves.
final class Transceiver {
    /// Stable identity inside the core (the mid may come later).
    let id: Int
    let kind: TrackKind
    /// The m-section's mid, once negotiated (ours when we offered first, the offer's otherwise).
    var mid: String?
    /// The m-line index it is bound to.
    var mLineIndex: Int?
    /// What this side wants.
    var direction: TransceiverDirection
    /// What the last negotiation settled on (from this side's point of view).
    var currentDirection: TransceiverDirection?
    /// The codec, payload type and extension ids of the last negotiation.
    var negotiated: Negotiated?
    /// Whether the remote side sends on this m-section (its direction from its point of view).
    var remoteSends = false
    /// The SSRCs the remote description signals for this m-section.
    var remoteSSRCs: [UInt32] = []
    /// The remote track's ids (`a=msid`), if signalled.
    var remoteStreamIDs: [String] = []
    var remoteTrackID: String?
    /// Whether a `.track` event was emitted for the current remote track.
    var announcedRemoteTrack = false
    /// This side's track, when it sends.
    var sender: LocalTrackIdentity?
    /// The sending stream, once negotiated with a sending direction.
    var sendStream: (any MediaSendStream)?
    /// The receiving stream, once the remote SSRC is known.
    var receiveStream: (any MediaReceiveStream)?
    /// `direction` as it was at the last completed negotiation: when it
    /// differs, a new offer is needed.
    var negotiatedDirection: TransceiverDirection?
    /// Whether the m-section was rejected or the transceiver stopped.
    var isStopped = false

    /// Negotiated values of an m-section.
    struct Negotiated: Equatable {
        var codec: NegotiatedCodec
        var midExtensionID: UInt8?
        var audioLevelExtensionID: UInt8?
        /// The transport-wide sequence number extension (congestion control's feedback), when both sides have it.
        var transportSequenceExtensionID: UInt8? = nil
        /// Whether RTCP feedback (NACK, PLI) was negotiated for the codec.
        var nack: Bool
        var pli: Bool
        var fir: Bool
        /// The payload type of the codec's RTX stream (`rtx` with `apt=` the
        /// codec's), when both sides have it.
        var rtxPayloadType: UInt8? = nil

        /// The header extensions a sending stream writes.
        var sendExtensions: SendHeaderExtensionIDs {
            SendHeaderExtensionIDs(
                mid: midExtensionID, audioLevel: audioLevelExtensionID, transportSequenceNumber: transportSequenceExtensionID)
        }
    }

    init(id: Int, kind: TrackKind, direction: TransceiverDirection, sender: LocalTrackIdentity?) {
        self.id = id
        self.kind = kind
        self.direction = direction
        self.sender = sender
    }

    var info: TransceiverInfo {
        TransceiverInfo(
            id: id, mid: mid, kind: kind, direction: direction, currentDirection: currentDirection, codec: negotiated?.codec,
            sendSSRC: sendStream?.ssrc ?? sender?.ssrc, receiveSSRC: receiveStream?.remoteSSRC)
    }
}

/// The identity of a local track in SDP: `a=msid`, the SSRC it sends with,
/// and the SSRC of its retransmissions where RTX (RFC 4588) is negotiated.
struct LocalTrackIdentity: Hashable {
    var streamID: String
    var trackID: String
    var ssrc: UInt32
    var rtxSSRC: UInt32
}
