/// A local track sent in a media section: written as `a=msid` and, as
/// Chromium does, `a=ssrc` lines with `cname` and `msid` (and an
/// `a=ssrc-group:FID` when it has an RTX stream).
public struct SendingTrack: Sendable, Hashable {
    /// The media stream id (`MediaStream.id` in a browser).
    public var streamID: String
    /// The track id (`MediaStreamTrack.id`).
    public var trackID: String
    /// The SSRC of the media stream.
    public var ssrc: UInt32
    /// The RTCP canonical name.
    public var cname: String
    /// The SSRC of the retransmission (RTX) stream, if any.
    public var rtxSSRC: UInt32?

    /// Creates a sending track.
    public init(streamID: String, trackID: String, ssrc: UInt32, cname: String, rtxSSRC: UInt32? = nil) {
        self.streamID = streamID
        self.trackID = trackID
        self.ssrc = ssrc
        self.cname = cname
        self.rtxSSRC = rtxSSRC
    }

    /// The `a=msid`, `a=ssrc-group` and `a=ssrc` lines, in Chromium's order
    /// (`msid` goes after the direction; the ssrc lines go last).
    var msidLine: SDPLine { .attribute(SDPAttribute(.msid(MSIDAttribute(streamID: streamID, trackID: trackID)))) }

    func ssrcLines(withRTX: Bool) -> [SDPLine] {
        var lines: [SDPLine] = []
        var sources = [ssrc]
        if withRTX, let rtxSSRC {
            lines.append(.attribute(SDPAttribute(.ssrcGroup(SSRCGroupAttribute(semantics: "FID", ssrcs: [ssrc, rtxSSRC])))))
            sources.append(rtxSSRC)
        }
        for source in sources {
            lines.append(.attribute(SDPAttribute(.ssrc(SSRCAttribute(ssrc: source, name: "cname", value: cname)))))
            lines.append(.attribute(SDPAttribute(.ssrc(SSRCAttribute(ssrc: source, name: "msid", value: "\(streamID) \(trackID)")))))
        }
        return lines
    }
}
