/// What a track carries, as `MediaStreamTrack.kind` in a browser.
public enum TrackKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Sound.
    case audio
    /// Pictures.
    case video

    /// `audio` or `video`.
    public var description: String { rawValue }
}
