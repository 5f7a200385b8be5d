extension VP8Encoder {
    /// The settings of a ``VP8Encoder``. The defaults are the real-time settings
    /// WebRTC uses for camera video: constant bitrate, no look-ahead, error
    /// resilient, one token partition and a fast speed setting.
    public struct Configuration: Sendable, Hashable {
        /// The picture width in pixels, 1 to 16,383. A frame of another size
        /// reconfigures the encoder (its next frame is then a key frame).
        public var width: Int
        /// The picture height in pixels, 1 to 16,383.
        public var height: Int
        /// The nominal frame rate in frames per second, 1 to 1,000.
        public var frameRate: Int
        /// The target bitrate in bits per second, 1,000 to 100,000,000.
        public var bitrate: Int
        /// The longest run of frames without a key frame, 1 to 1,000,000 (3,000
        /// by default: key frames otherwise come only on request).
        public var maximumKeyFrameInterval: Int
        /// The libvpx speed setting `VP8E_SET_CPUUSED`, -16 to 16; negative values
        /// are real-time speeds, -16 the fastest. Default -6.
        public var cpuUsed: Int
        /// The number of encoder threads, 1 to 16. By default 1 up to 640×480, 2 above.
        public var threadCount: Int
        /// The lowest quantizer the rate control may pick, 0 to 63 (default 2).
        public var minimumQuantizer: Int
        /// The highest quantizer the rate control may pick, 0 to 63 (default 56).
        public var maximumQuantizer: Int
        /// Whether frames are coded so that a lost frame damages as little as
        /// possible (entropy contexts are not carried over). Default on.
        public var isErrorResilient: Bool
        /// The buffer fullness, as a percentage of the target, below which the
        /// encoder drops frames; 0 (the default) never drops.
        public var frameDropThreshold: Int

        /// Creates a configuration with the real-time defaults.
        public init(width: Int, height: Int, frameRate: Int = 30, bitrate: Int = 1_000_000) {
            self.width = width
            self.height = height
            self.frameRate = frameRate
            self.bitrate = bitrate
            self.maximumKeyFrameInterval = 3_000
            self.cpuUsed = -6
            self.threadCount = width * height > 640 * 480 ? 2 : 1
            self.minimumQuantizer = 2
            self.maximumQuantizer = 56
            self.isErrorResilient = true
            self.frameDropThreshold = 0
        }

        /// The largest width or height VP8 can code (14 bits).
        public static let maximumDimension = 16_383

        /// Throws ``CodecError/Code/invalidConfiguration`` for a value out of range.
        public func validate() throws {
            func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
                if !condition { throw CodecError(.invalidConfiguration, message()) }
            }
            try check((1...Self.maximumDimension).contains(width), "width \(width) is out of range")
            try check((1...Self.maximumDimension).contains(height), "height \(height) is out of range")
            try check((1...1_000).contains(frameRate), "frame rate \(frameRate) is out of range")
            try check((1_000...100_000_000).contains(bitrate), "bitrate \(bitrate) is out of range")
            try check((1...1_000_000).contains(maximumKeyFrameInterval), "key frame interval \(maximumKeyFrameInterval) is out of range")
            try check((-16...16).contains(cpuUsed), "cpuUsed \(cpuUsed) is out of range")
            try check((1...16).contains(threadCount), "thread count \(threadCount) is out of range")
            try check((0...63).contains(minimumQuantizer), "minimum quantizer \(minimumQuantizer) is out of range")
            try check(
                (minimumQuantizer...63).contains(maximumQuantizer),
                "maximum quantizer \(maximumQuantizer) is out of range"
            )
            try check((0...100).contains(frameDropThreshold), "frame drop threshold \(frameDropThreshold) is out of range")
        }
    }
}
