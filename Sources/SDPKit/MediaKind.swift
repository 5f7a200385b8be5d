/// The media type of an `m=` line: `audio`, `video`, `application` or
/// another token (an open set).
public struct MediaKind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The token as written on the `m=` line.
    public var rawValue: String
    /// Creates a media kind from its token.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `audio`.
    public static let audio = MediaKind(rawValue: "audio")
    /// `video`.
    public static let video = MediaKind(rawValue: "video")
    /// `application`, used for data channels.
    public static let application = MediaKind(rawValue: "application")

    /// The token.
    public var description: String { rawValue }
}
