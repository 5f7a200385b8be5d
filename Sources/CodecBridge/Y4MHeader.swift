/// The header line of a YUV4MPEG2 (Y4M) file:
/// `YUV4MPEG2 W<width> H<height> F<num>:<den> I<p|t|b|m> A<num>:<den> C<space> X<...>`.
///
/// Only 8-bit 4:2:0 colour spaces are accepted (`C420jpeg`, `C420paldv`, `C420`,
/// `C420mpeg2`, or no `C`, which means 4:2:0 JPEG siting); the chroma siting
/// differs between them but the sample layout is the same I420.
public struct Y4MHeader: Sendable, Hashable {
    /// A ratio such as a frame rate (`30000:1001`) or a pixel aspect ratio (`1:1`).
    public struct Ratio: Sendable, Hashable {
        /// The numerator.
        public var numerator: Int
        /// The denominator.
        public var denominator: Int
        /// Creates a ratio.
        public init(_ numerator: Int, _ denominator: Int) {
            self.numerator = numerator
            self.denominator = denominator
        }
    }

    /// The magic that starts every Y4M file.
    public static let magic = "YUV4MPEG2"
    /// The colour spaces (`C` values) accepted: 8-bit 4:2:0.
    public static let supportedColorSpaces: Set<String> = ["420jpeg", "420paldv", "420", "420mpeg2"]
    /// The frame rate used when the header has none (or `F0:0`), as ffmpeg does: 25 fps.
    public static let defaultFrameRate = Ratio(25, 1)

    /// The picture width in pixels (`W`).
    public var width: Int
    /// The picture height in pixels (`H`).
    public var height: Int
    /// The frame rate in frames per second (`F`), if given.
    public var frameRate: Ratio?
    /// The interlacing mode (`I`): "p" progressive, "t" top field first,
    /// "b" bottom field first, "m" mixed, "?" unknown; if given.
    public var interlacing: String?
    /// The pixel aspect ratio (`A`), if given (`0:0` means unknown).
    public var pixelAspectRatio: Ratio?
    /// The colour space (`C`) without the `C`, if given; one of ``supportedColorSpaces``.
    public var colorSpace: String?
    /// Other parameters as written, tag letter included (`X` extensions such as
    /// `XYSCSS=420JPEG`, and tags this reader does not know), in file order.
    public var otherParameters: [String]

    /// Creates a header for an I420 stream.
    public init(
        width: Int, height: Int, frameRate: Ratio? = Ratio(30, 1), interlacing: String? = "p",
        pixelAspectRatio: Ratio? = Ratio(1, 1), colorSpace: String? = "420jpeg", otherParameters: [String] = []
    ) {
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.interlacing = interlacing
        self.pixelAspectRatio = pixelAspectRatio
        self.colorSpace = colorSpace
        self.otherParameters = otherParameters
    }

    /// The frame rate to time frames with: ``frameRate`` if it is positive, else ``defaultFrameRate``.
    public var effectiveFrameRate: Ratio {
        if let frameRate, frameRate.numerator > 0, frameRate.denominator > 0 { return frameRate }
        return Self.defaultFrameRate
    }

    /// The size of one frame's picture data in bytes (without the `FRAME` line).
    public var frameByteCount: Int { I420Frame.byteCount(width: width, height: height) }

    /// Parses a header line (with or without its final line feed).
    ///
    /// - Throws: ``CodecError/Code/malformedHeader`` for a missing magic, a
    ///   missing or invalid `W` or `H`, or a malformed `F`, `A` or `I`;
    ///   ``CodecError/Code/unsupportedColorSpace`` for a `C` other than 8-bit 4:2:0.
    public init(parsing bytes: some Collection<UInt8>) throws {
        var line = Array(bytes)
        if line.last == 0x0A { line.removeLast() }
        guard !line.contains(0x0A) else {
            throw CodecError(.malformedHeader, "a Y4M header is one line")
        }
        let tokens = line.split(separator: 0x20, omittingEmptySubsequences: true)
            .map { String(decoding: $0, as: UTF8.self) }
        guard tokens.first == Self.magic else {
            throw CodecError(.malformedHeader, "not a Y4M file (no YUV4MPEG2 magic)")
        }
        var width: Int?
        var height: Int?
        var frameRate: Ratio?
        var interlacing: String?
        var pixelAspectRatio: Ratio?
        var colorSpace: String?
        var otherParameters: [String] = []
        for token in tokens.dropFirst() {
            let value = String(token.dropFirst())
            switch token.first {
            case "W": width = try Self.dimension(value, name: "width")
            case "H": height = try Self.dimension(value, name: "height")
            case "F": frameRate = try Self.ratio(value, name: "frame rate")
            case "A": pixelAspectRatio = try Self.ratio(value, name: "pixel aspect ratio")
            case "I":
                guard ["p", "t", "b", "m", "?"].contains(value) else {
                    throw CodecError(.malformedHeader, "the Y4M interlacing \"\(value)\" is not p, t, b, m or ?")
                }
                interlacing = value
            case "C":
                guard Self.supportedColorSpaces.contains(value) else {
                    throw CodecError(.unsupportedColorSpace, "the Y4M colour space \"\(value)\" is not 8-bit 4:2:0")
                }
                colorSpace = value
            default:
                otherParameters.append(token)
            }
        }
        guard let width else { throw CodecError(.malformedHeader, "the Y4M header has no width (W)") }
        guard let height else { throw CodecError(.malformedHeader, "the Y4M header has no height (H)") }
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.interlacing = interlacing
        self.pixelAspectRatio = pixelAspectRatio
        self.colorSpace = colorSpace
        self.otherParameters = otherParameters
    }

    /// Appends the header line, line feed included, to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        buffer.append(contentsOf: serializedLine().utf8)
    }

    /// The header line, line feed included.
    public func serialized() -> [UInt8] { Array(serializedLine().utf8) }

    /// The header's size in bytes, line feed included.
    public var serializedSize: Int { serializedLine().utf8.count }

    private func serializedLine() -> String {
        var parts = [Self.magic, "W\(width)", "H\(height)"]
        if let frameRate { parts.append("F\(frameRate.numerator):\(frameRate.denominator)") }
        if let interlacing { parts.append("I\(interlacing)") }
        if let pixelAspectRatio { parts.append("A\(pixelAspectRatio.numerator):\(pixelAspectRatio.denominator)") }
        if let colorSpace { parts.append("C\(colorSpace)") }
        parts.append(contentsOf: otherParameters)
        return parts.joined(separator: " ") + "\n"
    }

    /// A decimal number of at most 9 digits, or nil.
    private static func number(_ text: some StringProtocol) -> Int? {
        guard !text.isEmpty, text.count <= 9, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }

    private static func dimension(_ text: String, name: String) throws -> Int {
        guard let value = number(text), I420Frame.isValidDimension(value) else {
            throw CodecError(
                .malformedHeader,
                "the Y4M \(name) \"\(text)\" is not a number from 1 to \(I420Frame.maximumDimension)"
            )
        }
        return value
    }

    private static func ratio(_ text: String, name: String) throws -> Ratio {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let numerator = number(parts[0]), let denominator = number(parts[1]) else {
            throw CodecError(.malformedHeader, "the Y4M \(name) \"\(text)\" is not <number>:<number>")
        }
        return Ratio(numerator, denominator)
    }
}
