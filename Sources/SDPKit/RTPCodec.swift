/// An RTP payload format of a media section, gathered from the `m=` line's
/// payload type and its `rtpmap`, `fmtp` and `rtcp-fb` attributes.
public struct RTPCodec: Sendable, Hashable, CustomStringConvertible {
    /// The payload type, 0 to 127.
    public var payloadType: UInt8
    /// The encoding name as written, such as `VP8` or `opus`.
    public var name: String
    /// The RTP clock rate in Hz.
    public var clockRate: UInt32
    /// The channel count for audio, when the rtpmap gives one.
    public var channels: Int?
    /// The `fmtp` parameters as written, such as `minptime=10;useinbandfec=1`.
    public var formatParameters: String?
    /// The RTCP feedback mechanisms for this payload type (including those given for `*`).
    public var feedback: [RTCPFeedback]

    /// Creates a codec.
    public init(
        payloadType: UInt8, name: String, clockRate: UInt32, channels: Int? = nil,
        formatParameters: String? = nil, feedback: [RTCPFeedback] = []
    ) {
        self.payloadType = payloadType
        self.name = name
        self.clockRate = clockRate
        self.channels = channels
        self.formatParameters = formatParameters
        self.feedback = feedback
    }

    /// VP8 at 90 kHz with the feedback Chromium offers for it: `goog-remb`,
    /// `transport-cc`, `ccm fir`, `nack`, `nack pli`.
    public static func vp8(payloadType: UInt8 = 96, feedback: [RTCPFeedback] = [.remb, .transportCC, .fir, .nack, .pli]) -> RTPCodec {
        RTPCodec(payloadType: payloadType, name: "VP8", clockRate: 90000, feedback: feedback)
    }

    /// Opus at 48 kHz, 2 channels, with Chromium's `minptime=10;useinbandfec=1`.
    public static func opus(payloadType: UInt8 = 111, feedback: [RTCPFeedback] = [.transportCC]) -> RTPCodec {
        RTPCodec(
            payloadType: payloadType, name: "opus", clockRate: 48000, channels: 2,
            formatParameters: "minptime=10;useinbandfec=1", feedback: feedback)
    }

    /// The `key=value` pairs of ``formatParameters``, in order.
    public var parameters: [(key: String, value: String)] {
        FormatParametersAttribute.pairs(of: formatParameters ?? "")
    }

    /// The value of one format parameter, such as `apt` of an RTX codec.
    public func parameter(_ key: String) -> String? {
        parameters.first { $0.key.lowercased() == key.lowercased() }?.value
    }

    /// The rtpmap this codec writes.
    public var rtpMap: RTPMapAttribute {
        RTPMapAttribute(payloadType: payloadType, encodingName: name, clockRate: clockRate, channels: channels)
    }

    /// `PT name/clock[/channels]`.
    public var description: String { rtpMap.description }

    /// Encodings of the static payload types of RFC 3551 that need no rtpmap.
    static func staticPayloadType(_ payloadType: UInt8) -> RTPCodec? {
        let table: [UInt8: (String, UInt32, Int?)] = [
            0: ("PCMU", 8000, 1), 3: ("GSM", 8000, 1), 4: ("G723", 8000, 1), 8: ("PCMA", 8000, 1),
            9: ("G722", 8000, 1), 13: ("CN", 8000, 1), 18: ("G729", 8000, 1),
            26: ("JPEG", 90000, nil), 31: ("H261", 90000, nil), 34: ("H263", 90000, nil),
        ]
        guard let (name, clockRate, channels) = table[payloadType] else { return nil }
        return RTPCodec(payloadType: payloadType, name: name, clockRate: clockRate, channels: channels)
    }
}
