/// Adding and changing transceivers (the W3C `addTrack`, `addTransceiver`
/// and `direction`), each of which makes a new offer necessary.
extension PeerConnectionCore {
    /// Adds a local track: reuses a transceiver of the same kind that was
    /// never used to send (one a remote offer made), else adds one that sends
    /// and receives (or goes `direction`, when given). Returns the
    /// transceiver's id, used to send frames.
    @discardableResult
    public func addTrack(
        kind: TrackKind, direction: TransceiverDirection? = nil, streamID: String = "swift-webrtc", trackID: String? = nil
    ) -> Int {
        let identity = LocalTrackIdentity(
            streamID: streamID, trackID: trackID ?? "\(kind)-\(UInt32.random(in: 1 ... .max))", ssrc: newSSRC(),
            rtxSSRC: newSSRC())
        if let reusable = media.transceivers.first(where: { $0.kind == kind && $0.sender == nil && !$0.isStopped }) {
            reusable.sender = identity
            reusable.direction = direction ?? TransceiverDirection(sends: true, receives: reusable.direction.receives)
            noteNegotiationNeeded()
            return reusable.id
        }
        let transceiver = media.add(kind: kind, direction: direction ?? .sendrecv, sender: identity)
        noteNegotiationNeeded()
        return transceiver.id
    }

    /// Adds a transceiver of `kind` with `direction`; one that sends gets a
    /// local track identity (`a=msid`, an SSRC). Returns its id.
    @discardableResult
    public func addTransceiver(_ kind: TrackKind, direction: TransceiverDirection, streamID: String = "swift-webrtc") -> Int {
        let identity = direction.sends
            ? LocalTrackIdentity(
                streamID: streamID, trackID: "\(kind)-\(UInt32.random(in: 1 ... .max))", ssrc: newSSRC(), rtxSSRC: newSSRC())
            : nil
        let transceiver = media.add(kind: kind, direction: direction, sender: identity)
        noteNegotiationNeeded()
        return transceiver.id
    }

    /// Changes what a transceiver wants; takes effect with the next negotiation.
    public func setDirection(_ direction: TransceiverDirection, ofTransceiver id: Int) throws(PeerConnectionError) {
        guard let transceiver = media.transceiver(id: id), !transceiver.isStopped else {
            throw PeerConnectionError(.invalidState, "no transceiver \(id), or it is stopped")
        }
        guard transceiver.direction != direction else { return }
        if direction.sends, transceiver.sender == nil {
            transceiver.sender = LocalTrackIdentity(
                streamID: "swift-webrtc", trackID: "\(transceiver.kind)-\(UInt32.random(in: 1 ... .max))", ssrc: newSSRC(),
                rtxSSRC: newSSRC())
        }
        transceiver.direction = direction
        noteNegotiationNeeded()
    }

    /// The transceivers, in m-line order.
    public var transceivers: [TransceiverInfo] { media.transceivers.map(\.info) }

    /// The mid of the transceiver with this id, once negotiated.
    public func mid(ofTransceiver id: Int) -> String? { media.transceiver(id: id)?.mid }

    /// The id of the transceiver with this mid.
    public func transceiverID(mid: String) -> Int? { media.transceiver(mid: mid)?.id }

    func newSSRC() -> UInt32 {
        while true {
            let ssrc = UInt32.random(in: 1 ... .max)
            if ssrc != localRTCPSSRC, !media.transceivers.contains(where: { $0.sender?.ssrc == ssrc || $0.sender?.rtxSSRC == ssrc }) {
                return ssrc
            }
        }
    }

    /// W3C fires `negotiationneeded` once per change while stable; changes
    /// during an offer/answer exchange are told once it ends.
    func noteNegotiationNeeded() {
        guard signalingState != .closed else { return }
        let wasNeeded = negotiationNeeded
        negotiationNeeded = true
        if signalingState == .stable, !wasNeeded { emit(.negotiationNeeded) }
    }

    /// After an offer/answer exchange: whether some transceiver still wants
    /// what was not negotiated (it was added, or its direction changed, meanwhile).
    func checkNegotiationNeeded() {
        let needed = media.transceivers.contains { transceiver in
            !transceiver.isStopped && (transceiver.mid == nil || transceiver.negotiatedDirection != transceiver.direction)
        }
        negotiationNeeded = false
        if needed { noteNegotiationNeeded() }
    }
}
