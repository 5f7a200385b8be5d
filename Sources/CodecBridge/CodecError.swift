/// An error of the codec layer: a frame or packet the codecs refused, a codec
/// library failure, or a malformed or unreadable media file.
public struct CodecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable error kind. New codes can be added without
    /// breaking users, which a closed enum would not allow.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's spelling.
        public var rawValue: String
        /// Creates a code from its spelling.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The spelling.
        public var description: String { rawValue }

        /// A configuration value is out of range (size, frame rate, bitrate, channel count, ...).
        public static let invalidConfiguration = Code(rawValue: "invalid-configuration")
        /// A frame's planes do not match its width and height, or a PCM buffer has the wrong length.
        public static let invalidInput = Code(rawValue: "invalid-input")
        /// The codec library could not be set up.
        public static let codecInitializationFailed = Code(rawValue: "codec-initialization-failed")
        /// The encoder failed on a frame.
        public static let encodingFailed = Code(rawValue: "encoding-failed")
        /// A compressed frame or packet is shorter than its own header says.
        public static let truncatedFrame = Code(rawValue: "truncated-frame")
        /// A compressed frame or packet is malformed, or decoded with errors.
        public static let corruptFrame = Code(rawValue: "corrupt-frame")
        /// The decoder needs a key frame (none decoded yet, or the last frame was corrupt);
        /// the frame was dropped. Ask the sender for one (RTCP PLI/FIR).
        public static let keyFrameRequired = Code(rawValue: "key-frame-required")
        /// A container header (IVF, Y4M, WAV) is malformed or of an unsupported version or
        /// format (for WAV: anything but 16-bit PCM).
        public static let malformedHeader = Code(rawValue: "malformed-header")
        /// A Y4M file uses a colour space other than 4:2:0 with 8 bits.
        public static let unsupportedColorSpace = Code(rawValue: "unsupported-color-space")
        /// A file ended in the middle of a header or a frame.
        public static let truncatedFile = Code(rawValue: "truncated-file")
        /// A file could not be opened, read or written, or was already closed.
        public static let fileAccessFailed = Code(rawValue: "file-access-failed")
    }

    /// What went wrong, as a stable code.
    public var code: Code
    /// A human-readable explanation.
    public var message: String

    /// Creates an error from its code and explanation.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
