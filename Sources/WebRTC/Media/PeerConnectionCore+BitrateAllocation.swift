import CongestionControl

/// The split of the bandwidth estimate between the encoders: audio first
/// (it is small and its loss is heard), retransmissions and probes as they
/// were measured over the last second, and video gets the rest, shared
/// equally between the video streams.
extension PeerConnectionCore {
    /// The share of the estimate a video encoder gets after the headers:
    /// RTP, its extensions, the SRTP tag and IP and UDP are about 5% of a
    /// full packet (the estimate counts what crosses the path).
    static var payloadShare: Double { 0.93 }
    /// What the headers of one audio packet cost, in bits (about 58 bytes:
    /// RTP and its extensions, the SRTP tag, IPv4 and UDP).
    static var audioPacketOverhead: Double { 58 * 8 }
    /// Audio packets a second (20 ms frames).
    static var audioPacketRate: Double { 50 }
    /// The least an audio encoder is given (Opus stays intelligible).
    static var minimumAudioBitrate: Int { 12_000 }
    /// The least a video encoder is given.
    static var minimumVideoBitrate: Int { 30_000 }

    /// The bitrate (bits per second) the encoder of a sending transceiver
    /// should aim at now, from the bandwidth estimate; nil when the remote
    /// side gives neither transport-wide feedback nor REMB (there is then no
    /// estimate to follow) or the transceiver does not send.
    ///
    /// For audio it is a ceiling: a quarter of the estimate less the
    /// packets' headers, split between the audio streams (an encoder set
    /// lower keeps its own bitrate). For
    /// video it is what the estimate leaves after the audio and the
    /// retransmissions that went out over the last second.
    public func encoderTargetBitrate(onTransceiver transceiverID: Int) -> Int? {
        guard hasBandwidthEstimate, let stream = media.transceiver(id: transceiverID)?.sendStream else { return nil }
        let estimate = bandwidthEstimator.targetBitrate
        let sending = media.transceivers.compactMap(\.sendStream)
        let bitrate: Int
        if stream.kind == .audio {
            let audioStreams = Double(max(sending.filter { $0.kind == .audio }.count, 1))
            let share = estimate / 4 / audioStreams - Self.audioPacketOverhead * Self.audioPacketRate
            bitrate = max(Int(share), Self.minimumAudioBitrate)
        } else {
            let target = estimate * Self.payloadShare
            let now = lastInput.map(mediaTime(at:)) ?? .zero
            let others = sentAudioBitrate.bitrate(at: now) + sentRepairBitrate.bitrate(at: now)
            let videoStreams = max(sending.filter { $0.kind == .video }.count, 1)
            bitrate = max(Int(max(target - others, 0)) / videoStreams, Self.minimumVideoBitrate)
        }
        stream.statistics.targetBitrate = bitrate
        return bitrate
    }
}
