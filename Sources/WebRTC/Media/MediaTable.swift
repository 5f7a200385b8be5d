/// The media part of a connection: the transceivers in m-line order, found
/// by mid, and their streams found by SSRC, so the per-packet path goes
/// from an SSRC to the stream object it mutates in place.
struct MediaTable {
    /// Every transceiver, in the order of their m-lines (new ones last).
    private(set) var transceivers: [Transceiver] = []
    private var byMid: [String: Transceiver] = [:]
    /// Sending streams by their SSRC (for feedback and reports).
    private(set) var sendStreams: [UInt32: any MediaSendStream] = [:]
    /// Receiving streams by the remote SSRC (for every RTP packet).
    private(set) var receiveStreams: [UInt32: any MediaReceiveStream] = [:]
    private var nextID = 0

    /// Adds a transceiver at the end.
    mutating func add(kind: TrackKind, direction: TransceiverDirection, sender: LocalTrackIdentity?) -> Transceiver {
        nextID += 1
        let transceiver = Transceiver(id: nextID, kind: kind, direction: direction, sender: sender)
        transceivers.append(transceiver)
        return transceiver
    }

    /// The transceiver with this mid.
    func transceiver(mid: String) -> Transceiver? { byMid[mid] }

    /// The transceiver with this core-internal id.
    func transceiver(id: Int) -> Transceiver? { transceivers.first { $0.id == id } }

    /// Binds a transceiver to a mid and an m-line index.
    mutating func associate(_ transceiver: Transceiver, mid: String, mLineIndex: Int) {
        if let old = transceiver.mid, byMid[old] === transceiver { byMid[old] = nil }
        transceiver.mid = mid
        transceiver.mLineIndex = mLineIndex
        byMid[mid] = transceiver
    }

    /// Unbinds a stopped transceiver from its mid and m-line, whose place a new one takes.
    mutating func detach(_ transceiver: Transceiver) {
        if let mid = transceiver.mid, byMid[mid] === transceiver { byMid[mid] = nil }
        transceiver.mid = nil
        transceiver.mLineIndex = nil
        transceiver.isStopped = true
    }

    /// Keeps `transceivers` in m-line order (unnegotiated ones last, in the order they were added).
    mutating func sortByMLine() {
        transceivers = transceivers.enumerated().sorted { lhs, rhs in
            switch (lhs.element.mLineIndex, rhs.element.mLineIndex) {
            case (let left?, let right?): left < right
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): lhs.offset < rhs.offset
            }
        }.map(\.element)
    }

    /// Installs or removes a transceiver's sending stream.
    mutating func setSendStream(_ stream: (any MediaSendStream)?, of transceiver: Transceiver) {
        if let old = transceiver.sendStream { sendStreams[old.ssrc] = nil }
        transceiver.sendStream = stream
        if let stream { sendStreams[stream.ssrc] = stream }
    }

    /// Installs or removes a transceiver's receiving stream (one per
    /// transceiver, so packets cannot grow the table; descriptions are capped
    /// at `RemoteDescriptionPlan.maxMediaSections` m-sections).
    mutating func setReceiveStream(_ stream: (any MediaReceiveStream)?, of transceiver: Transceiver) {
        if let old = transceiver.receiveStream { receiveStreams[old.remoteSSRC] = nil }
        transceiver.receiveStream = stream
        if let stream {
            if let previousOwner = transceivers.first(where: { $0 !== transceiver && $0.receiveStream?.remoteSSRC == stream.remoteSSRC }) {
                previousOwner.receiveStream = nil
            }
            receiveStreams[stream.remoteSSRC] = stream
        }
    }
}
