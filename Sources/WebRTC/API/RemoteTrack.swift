/// A remote track, as a `track` event hands it over: audio or video, each an
/// `AsyncSequence` of decoded frames.
public enum RemoteTrack: Sendable {
    /// Decoded PCM.
    case audio(RemoteAudioTrack)
    /// Decoded I420 pictures.
    case video(RemoteVideoTrack)

    /// What was negotiated for it.
    public var info: RemoteTrackInfo {
        switch self {
        case .audio(let track): track.info
        case .video(let track): track.info
        }
    }

    /// Audio or video.
    public var kind: TrackKind { info.kind }
    /// The transceiver's mid.
    public var mid: String { info.mid }
}
