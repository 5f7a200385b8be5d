extension OpusEncoder {
    /// What the encoder is tuned for (libopus's "application").
    public enum Application: Sendable, Hashable {
        /// Speech over a network: best intelligibility (WebRTC's default).
        case voip
        /// Music and mixed content: best fidelity to the input.
        case audio
        /// The lowest delay; speech-only modes are off.
        case restrictedLowDelay
    }

    /// The settings of an ``OpusEncoder``. Input is always 48 kHz.
    public struct Configuration: Sendable, Hashable {
        /// 1 (mono) or 2 (stereo, interleaved left/right).
        public var channelCount: Int
        /// The target bitrate in bits per second, 6,000 to 510,000.
        public var bitrate: Int
        /// What the encoder is tuned for.
        public var application: Application
        /// The frame length in milliseconds: 10, 20 (the default), 40 or 60.
        public var frameDurationMilliseconds: Int
        /// The encoder's computational effort, 0 to 10 (default 9).
        public var complexity: Int
        /// Whether packets carry a low-bitrate copy of the previous frame
        /// (in-band forward error correction); it only takes effect while
        /// ``expectedPacketLossPercent`` is above zero. Default on.
        public var usesInbandFEC: Bool
        /// The packet loss the encoder should prepare for, 0 to 100 (default 0).
        public var expectedPacketLossPercent: Int
        /// Whether silence is sent as rare tiny packets (discontinuous transmission). Default off.
        public var usesDTX: Bool

        /// Creates a configuration with WebRTC-like defaults.
        public init(channelCount: Int = 1, bitrate: Int = 32_000, application: Application = .voip) {
            self.channelCount = channelCount
            self.bitrate = bitrate
            self.application = application
            self.frameDurationMilliseconds = 20
            self.complexity = 9
            self.usesInbandFEC = true
            self.expectedPacketLossPercent = 0
            self.usesDTX = false
        }

        /// Throws ``CodecError/Code/invalidConfiguration`` for a value out of range.
        public func validate() throws {
            func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
                if !condition { throw CodecError(.invalidConfiguration, message()) }
            }
            try check(channelCount == 1 || channelCount == 2, "Opus takes 1 or 2 channels, not \(channelCount)")
            try check((6_000...510_000).contains(bitrate), "bitrate \(bitrate) is out of range")
            try check([10, 20, 40, 60].contains(frameDurationMilliseconds),
                      "frame duration \(frameDurationMilliseconds) ms is not 10, 20, 40 or 60")
            try check((0...10).contains(complexity), "complexity \(complexity) is out of range")
            try check((0...100).contains(expectedPacketLossPercent),
                      "packet loss \(expectedPacketLossPercent)% is out of range")
        }
    }
}
