/// The `a=rtpmap` attribute (RFC 8866 section 6.6): what a dynamic payload
/// type means, such as `96 VP8/90000` or `111 opus/48000/2`.
public struct RTPMapAttribute: Sendable, Hashable, CustomStringConvertible {
    /// The payload type, 0 to 127.
    public var payloadType: UInt8
    /// The encoding name as written, such as `VP8` or `opus`.
    public var encodingName: String
    /// The RTP clock rate in Hz.
    public var clockRate: UInt32
    /// The channel count for audio encodings, when written.
    public var channels: Int?

    /// Creates an rtpmap.
    public init(payloadType: UInt8, encodingName: String, clockRate: UInt32, channels: Int? = nil) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.channels = channels
    }

    /// Parses the attribute value, `<pt> <name>/<clock>[/<channels>]`.
    init(parsing text: Substring) throws(SDPError) {
        let fields = TextScanning.words(text)
        guard fields.count == 2 else {
            throw SDPError(.invalidAttribute, "rtpmap needs <payload type> <encoding>/<clock rate>")
        }
        guard let payloadType = TextScanning.payloadType(fields[0]) else {
            throw SDPError(.invalidPayloadType, "rtpmap payload type must be a number from 0 to 127")
        }
        let parts = fields[1].split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, TextScanning.isToken(parts[0]),
            let clockRate = TextScanning.unsigned(parts[1], as: UInt32.self)
        else {
            throw SDPError(.invalidAttribute, "rtpmap encoding must be <name>/<clock rate>[/<channels>]")
        }
        var channels: Int?
        if parts.count == 3 {
            guard let count = TextScanning.unsigned(parts[2], as: UInt16.self) else {
                throw SDPError(.invalidAttribute, "rtpmap channel count must be a number")
            }
            channels = Int(count)
        }
        self.init(payloadType: payloadType, encodingName: String(parts[0]), clockRate: clockRate, channels: channels)
    }

    /// The attribute value.
    public var description: String {
        var text = "\(payloadType) \(encodingName)/\(clockRate)"
        if let channels { text += "/\(channels)" }
        return text
    }
}
