/// The media-level `a=msid` attribute (RFC 8830): the media stream and
/// track a media section's sender belongs to.
public struct MSIDAttribute: Sendable, Hashable, CustomStringConvertible {
    /// The media stream id (`-` when the track belongs to no stream).
    public var streamID: String
    /// The track id, when written.
    public var trackID: String?

    /// Creates an msid attribute.
    public init(streamID: String, trackID: String?) {
        self.streamID = streamID
        self.trackID = trackID
    }

    /// Parses the attribute value, `<stream id> [<track id>]`.
    init(parsing text: Substring) throws(SDPError) {
        let words = TextScanning.words(text)
        guard words.count == 1 || words.count == 2 else {
            throw SDPError(.invalidAttribute, "msid needs <stream id> [<track id>]")
        }
        self.init(streamID: String(words[0]), trackID: words.count == 2 ? String(words[1]) : nil)
    }

    /// The attribute value.
    public var description: String {
        if let trackID { return "\(streamID) \(trackID)" }
        return streamID
    }
}

/// The session-level `a=msid-semantic` attribute that Chromium writes, such
/// as ` WMS 9b93120d-…` (the value starts with a space in Chromium's output).
public struct MSIDSemanticAttribute: Sendable, Hashable, CustomStringConvertible {
    /// The semantic token, `WMS`.
    public var semantic: String
    /// The media stream ids listed after it.
    public var streamIDs: [String]

    /// Creates an msid-semantic attribute.
    public init(semantic: String = "WMS", streamIDs: [String]) {
        self.semantic = semantic
        self.streamIDs = streamIDs
    }

    /// Parses the attribute value, `[ ]<semantic> [<stream id>…]`.
    init(parsing text: Substring) throws(SDPError) {
        let words = TextScanning.words(text)
        guard let first = words.first else {
            throw SDPError(.invalidAttribute, "msid-semantic needs a semantic token")
        }
        self.init(semantic: String(first), streamIDs: words.dropFirst().map(String.init))
    }

    /// The attribute value as Chromium writes it: a space, the semantic, then the ids.
    public var description: String { " " + ([semantic] + streamIDs).joined(separator: " ") }
}
