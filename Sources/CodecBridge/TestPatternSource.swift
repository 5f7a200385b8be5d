/// A synthetic moving picture for tests and demos: a scrolling luma ramp under
/// scrolling colour bars, a bouncing box, and a frame counter in the top-left
/// corner, drawn as six white digits (a built-in 5×7 font, scaled with the
/// picture) on a black plate.
///
/// The counter lets a person see which frame is showing and lets a program
/// read it back from a decoded picture with ``readFrameNumber(from:)``, even
/// after lossy compression. Frame `n` has the timestamp `n / frameRate` seconds.
public struct TestPatternSource: VideoFrameSource, Sendable {
    /// The number of counter digits; the counter shows the frame number modulo 10⁶.
    public static let counterDigitCount = 6

    /// The picture width in pixels.
    public let width: Int
    /// The picture height in pixels.
    public let height: Int
    /// Frames per second: the spacing of the timestamps.
    public let frameRate: Int
    /// The number of the frame ``nextFrame()`` returns next (starting at 0).
    public private(set) var frameNumber: Int

    /// Creates a source.
    ///
    /// - Parameter firstFrameNumber: the number of the first frame (0 by default).
    /// - Throws: ``CodecError/Code/invalidConfiguration`` for a size outside
    ///   1...``I420Frame/maximumDimension`` or a frame rate outside 1...1,000.
    ///   (Pictures under 39×11 pixels are too small for the counter and show none.)
    public init(width: Int = 640, height: Int = 480, frameRate: Int = 30, firstFrameNumber: Int = 0) throws {
        guard I420Frame.isValidDimension(width), I420Frame.isValidDimension(height) else {
            throw CodecError(.invalidConfiguration, "a test pattern of \(width)x\(height) is out of range")
        }
        guard (1...1_000).contains(frameRate) else {
            throw CodecError(.invalidConfiguration, "frame rate \(frameRate) is out of range")
        }
        guard firstFrameNumber >= 0 else {
            throw CodecError(.invalidConfiguration, "the first frame number cannot be negative")
        }
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.frameNumber = firstFrameNumber
    }

    /// The next frame; the source never ends.
    public mutating func nextFrame() -> I420Frame {
        let frame = frame(number: frameNumber)
        frameNumber += 1
        return frame
    }

    /// The next frame (never `nil`): ``VideoFrameSource`` conformance.
    public mutating func readFrame() -> I420Frame? {
        nextFrame()
    }

    /// Frame number `number` of this pattern, without advancing the source.
    public func frame(number: Int) -> I420Frame {
        let number = max(0, number)
        var frame = I420Frame(
            width: width, height: height,
            timestamp: MediaTime.duration(ticks: Int64(number), timebaseNumerator: 1, timebaseDenominator: frameRate)
        )
        drawBackground(into: &frame, number: number)
        drawBox(into: &frame, number: number)
        drawCounter(into: &frame, value: number % 1_000_000)
        return frame
    }

    /// Reads the frame counter from a picture of this pattern (at its original
    /// size, possibly after lossy coding): the frame number modulo 10⁶, or `nil`
    /// if the picture has no readable counter.
    public static func readFrameNumber(from frame: I420Frame) -> Int? {
        guard frame.hasValidPlanes else { return nil }
        let layout = FrameCounterFont.Layout(width: frame.width, height: frame.height, digitCount: counterDigitCount)
        guard layout.fits(width: frame.width, height: frame.height) else { return nil }
        let inset = layout.scale / 4
        let sampleSpan = layout.scale - 2 * inset
        var value = 0
        for index in 0..<counterDigitCount {
            var bits: UInt64 = 0
            for row in 0..<FrameCounterFont.glyphHeight {
                for column in 0..<FrameCounterFont.glyphWidth {
                    let origin = layout.cellOrigin(digit: index, column: column, row: row)
                    var sum = 0
                    for y in (origin.y + inset)..<(origin.y + inset + sampleSpan) {
                        for x in (origin.x + inset)..<(origin.x + inset + sampleSpan) {
                            sum += Int(frame.y[y * frame.width + x])
                        }
                    }
                    let lit = sum > 128 * sampleSpan * sampleSpan
                    bits = bits << 1 | (lit ? 1 : 0)
                }
            }
            guard let digit = FrameCounterFont.bitmaps.firstIndex(of: bits) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    // MARK: - Drawing

    /// 75% colour bars' chroma (BT.601): white, yellow, cyan, green, magenta, red, blue.
    private static let barChroma: [(u: UInt8, v: UInt8)] = [
        (128, 128), (44, 136), (156, 44), (72, 58), (184, 198), (100, 212), (212, 114),
    ]

    /// A luma ramp that rises and falls across twice the width and scrolls left,
    /// brightening towards the bottom; chroma bars scroll the other way.
    private func drawBackground(into frame: inout I420Frame, number: Int) {
        let speed = max(1, width / 160)
        let period = 2 * width
        let shift = (number * speed) % period
        frame.y.withUnsafeMutableBufferPointer { luma in
            for y in 0..<height {
                let rowBase = y * width
                let vertical = y * 30 / height
                for x in 0..<width {
                    let phase = (x + shift) % period
                    let triangle = phase < width ? phase : period - phase
                    luma[rowBase + x] = UInt8(16 + triangle * 180 / width + vertical)
                }
            }
        }
        let chromaWidth = frame.chromaWidth
        let chromaHeight = frame.chromaHeight
        let barCount = Self.barChroma.count
        let barShift = (number * speed) % width
        for cy in 0..<chromaHeight {
            for cx in 0..<chromaWidth {
                let position = (2 * cx + width - barShift) % width
                let bar = Self.barChroma[position * barCount / width]
                frame.u[cy * chromaWidth + cx] = bar.u
                frame.v[cy * chromaWidth + cx] = bar.v
            }
        }
    }

    /// A red box (BT.601 red: Y 81, U 90, V 240) bouncing off the edges.
    private func drawBox(into frame: inout I420Frame, number: Int) {
        let side = max(1, min(width, height) / 5)
        let left = Self.bounce(number * max(1, width / 100), range: width - side)
        let top = Self.bounce(number * max(1, height / 90), range: height - side)
        fillRectangle(into: &frame, x: left, y: top, width: side, height: side, luma: 81, u: 90, v: 240)
    }

    /// A position that moves forward and back across `0...range`.
    private static func bounce(_ travel: Int, range: Int) -> Int {
        guard range > 0 else { return 0 }
        let phase = travel % (2 * range)
        return phase <= range ? phase : 2 * range - phase
    }

    /// The counter: a black plate with `value` in white digits.
    private func drawCounter(into frame: inout I420Frame, value: Int) {
        let layout = FrameCounterFont.Layout(width: width, height: height, digitCount: Self.counterDigitCount)
        guard layout.fits(width: width, height: height) else { return }
        fillRectangle(
            into: &frame, x: layout.plateX, y: layout.plateY,
            width: layout.plateWidth, height: layout.plateHeight, luma: 16, u: 128, v: 128
        )
        var remaining = value
        var digits = [Int](repeating: 0, count: Self.counterDigitCount)
        for index in stride(from: Self.counterDigitCount - 1, through: 0, by: -1) {
            digits[index] = remaining % 10
            remaining /= 10
        }
        for (index, digit) in digits.enumerated() {
            for row in 0..<FrameCounterFont.glyphHeight {
                for column in 0..<FrameCounterFont.glyphWidth
                where FrameCounterFont.isLit(digit: digit, column: column, row: row) {
                    let origin = layout.cellOrigin(digit: index, column: column, row: row)
                    for y in origin.y..<(origin.y + layout.scale) {
                        let rowBase = y * width
                        for x in origin.x..<(origin.x + layout.scale) {
                            frame.y[rowBase + x] = 235
                        }
                    }
                }
            }
        }
    }

    /// Fills a rectangle (clipped to the picture) in luma and the chroma samples it covers.
    private func fillRectangle(
        into frame: inout I420Frame, x: Int, y: Int, width rectangleWidth: Int, height rectangleHeight: Int,
        luma: UInt8, u: UInt8, v: UInt8
    ) {
        let left = max(0, x)
        let top = max(0, y)
        let right = min(width, x + rectangleWidth)
        let bottom = min(height, y + rectangleHeight)
        guard left < right, top < bottom else { return }
        for row in top..<bottom {
            for column in left..<right { frame.y[row * width + column] = luma }
        }
        let chromaWidth = frame.chromaWidth
        for row in (top / 2)...((bottom - 1) / 2) {
            for column in (left / 2)...((right - 1) / 2) {
                frame.u[row * chromaWidth + column] = u
                frame.v[row * chromaWidth + column] = v
            }
        }
    }
}
