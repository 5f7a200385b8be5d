/// Keeps an encoder's bitrate on the connection's target for it (see
/// `PeerConnectionCore.encoderTargetBitrate(onTransceiver:)`), never above
/// the bitrate the application asked for, and without reconfiguring the
/// encoder for changes smaller than ``minimumChange``. At a very low video
/// target it also lowers the frame rate, so that each frame keeps enough
/// bits to be worth seeing.
public struct EncoderBitrateFollower: Sendable, Hashable {
    /// The most the encoder is set to: what the application asked for.
    public private(set) var maximum: Int
    /// The bitrate the encoder was last set to.
    public private(set) var current: Int
    /// Changes smaller than this fraction of the current bitrate are left alone.
    public static let minimumChange = 0.05
    /// Below this video bitrate frames are sent at most 15 a second.
    public static let reducedFrameRateBelow = 120_000
    /// Below this video bitrate frames are sent at most 10 a second.
    public static let lowFrameRateBelow = 60_000

    /// A follower for an encoder set to `maximum` bits per second.
    public init(maximum: Int) {
        self.maximum = maximum
        current = maximum
    }

    /// The bitrate to set the encoder to now, or nil when it should stay
    /// as it is; `target` is the connection's (nil: none, the maximum applies).
    public mutating func bitrate(forTarget target: Int?) -> Int? {
        let wanted = min(target ?? maximum, maximum)
        guard wanted != current else { return nil }
        let change = Double(abs(wanted - current)) / Double(max(current, 1))
        // A return to the maximum is always made, however small.
        guard change >= Self.minimumChange || wanted == maximum else { return nil }
        current = wanted
        return wanted
    }

    /// Changes the maximum (the application set a new bitrate); returns the
    /// bitrate to set the encoder to now, if it changes: the new maximum
    /// when the encoder was at the old one or above the new one.
    public mutating func setMaximum(_ bitrate: Int) -> Int? {
        let wasAtMaximum = current == maximum
        maximum = bitrate
        guard wasAtMaximum || current > bitrate, current != bitrate else { return nil }
        current = bitrate
        return bitrate
    }

    /// The shortest time between two video frames at the current bitrate:
    /// nil above ``reducedFrameRateBelow`` (every frame goes).
    public var minimumFrameInterval: Duration? {
        if current < Self.lowFrameRateBelow { return .seconds(1) / 10 }
        if current < Self.reducedFrameRateBelow { return .seconds(1) / 15 }
        return nil
    }
}
