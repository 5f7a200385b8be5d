/// The `a=extmap` attribute (RFC 8285): an RTP header extension and the
/// local identifier it uses, such as `4 urn:ietf:params:rtp-hdrext:sdes:mid`.
public struct RTPHeaderExtension: Sendable, Hashable, CustomStringConvertible {
    /// The local identifier (1-14 for one-byte headers, up to 255 for two-byte ones).
    public var id: UInt16
    /// The direction, when written as `<id>/<direction>`.
    public var direction: Direction?
    /// The extension's URI.
    public var uri: String
    /// Extension attributes after the URI, verbatim.
    public var extensionAttributes: String?

    /// Creates an extmap.
    public init(id: UInt16, uri: String, direction: Direction? = nil, extensionAttributes: String? = nil) {
        self.id = id
        self.uri = uri
        self.direction = direction
        self.extensionAttributes = extensionAttributes
    }

    /// The `sdes:mid` extension URI that carries the media section's mid (RFC 8843).
    public static let midURI = "urn:ietf:params:rtp-hdrext:sdes:mid"
    /// The absolute send time extension URI.
    public static let absoluteSendTimeURI = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
    /// The transport-wide sequence number extension URI.
    public static let transportWideCCURI = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
    /// The audio level extension URI (RFC 6464).
    public static let audioLevelURI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"

    /// Parses the attribute value, `<id>[/<direction>] <uri> [<attributes>]`.
    init(parsing text: Substring) throws(SDPError) {
        let words = TextScanning.words(text)
        guard words.count >= 2 else {
            throw SDPError(.invalidAttribute, "extmap needs <id>[/<direction>] <uri>")
        }
        let idParts = words[0].split(separator: "/", omittingEmptySubsequences: false)
        guard idParts.count <= 2, let id = TextScanning.unsigned(idParts[0], as: UInt16.self), id > 0 else {
            throw SDPError(.invalidAttribute, "extmap id must be a positive number")
        }
        var direction: Direction?
        if idParts.count == 2 {
            guard let value = Direction(rawValue: String(idParts[1])) else {
                throw SDPError(.invalidAttribute, "extmap direction must be sendrecv, sendonly, recvonly or inactive")
            }
            direction = value
        }
        let attributes = words.count > 2 ? words[2...].joined(separator: " ") : nil
        self.init(id: id, uri: String(words[1]), direction: direction, extensionAttributes: attributes)
    }

    /// The attribute value.
    public var description: String {
        var text = "\(id)"
        if let direction { text += "/\(direction)" }
        text += " \(uri)"
        if let extensionAttributes { text += " \(extensionAttributes)" }
        return text
    }
}
