import CodecBridge
import Testing

@Suite("test pattern and its frame counter")
struct TestPatternFrameCounterTests {
    @Test("the counter reads back from rendered frames at several sizes", arguments: [
        (320, 240), (640, 480), (1280, 720), (160, 120), (100, 60), (41, 13),
    ])
    func counterReadsBack(size: (width: Int, height: Int)) throws {
        let pattern = try TestPatternSource(width: size.width, height: size.height)
        for number in [0, 7, 42, 1_234, 98_765, 999_999] {
            let frame = pattern.frame(number: number)
            #expect(frame.width == size.width && frame.height == size.height)
            #expect(frame.hasValidPlanes)
            #expect(TestPatternSource.readFrameNumber(from: frame) == number, "\(size) frame \(number)")
        }
    }

    @Test("the counter wraps after six digits")
    func counterWraps() throws {
        let pattern = try TestPatternSource(width: 320, height: 240)
        #expect(TestPatternSource.readFrameNumber(from: pattern.frame(number: 1_000_123)) == 123)
    }

    @Test("nextFrame counts up and spaces timestamps at the frame rate")
    func sequenceAndTimestamps() throws {
        var pattern = try TestPatternSource(width: 160, height: 120, frameRate: 25, firstFrameNumber: 10)
        for number in 10..<20 {
            let frame = pattern.nextFrame()
            #expect(TestPatternSource.readFrameNumber(from: frame) == number)
            #expect(frame.timestamp == .milliseconds(40 * number))
        }
        #expect(pattern.frameNumber == 20)
        #expect(pattern.readFrame() != nil, "a test pattern never ends")
    }

    @Test("the picture moves: consecutive frames differ outside the counter, and rendering is repeatable")
    func pictureMoves() throws {
        let pattern = try TestPatternSource(width: 320, height: 240)
        let first = pattern.frame(number: 5)
        let next = pattern.frame(number: 6)
        #expect(first == pattern.frame(number: 5))
        // Compare the bottom half, far from the counter.
        let bottom = (120 * 320)..<(240 * 320)
        #expect(first.y[bottom] != next.y[bottom])
        #expect(first.u != next.u)
    }

    @Test("the counter is white digits on black, and there is colour elsewhere")
    func lookOfThePicture() throws {
        let frame = try TestPatternSource(width: 320, height: 240).frame(number: 8)
        // 320x240 uses 4-pixel glyph cells; the plate starts at (8, 8), glyphs at (12, 12).
        #expect(frame.luma(x: 9, y: 9) == 16, "the plate is black")
        // The top-left cell of an "8" is dark, the second is lit (".###.").
        #expect(frame.luma(x: 5 * 24 + 12 + 1, y: 13) == 16)
        #expect(frame.luma(x: 5 * 24 + 12 + 5, y: 13) == 235)
        #expect(Set(frame.u).count > 3, "colour bars")
    }

    @Test("pictures without a counter read as nil")
    func noCounter() throws {
        #expect(TestPatternSource.readFrameNumber(from: I420Frame(width: 320, height: 240, y: 128)) == nil)
        #expect(TestPatternSource.readFrameNumber(from: I420Frame(width: 320, height: 240, y: 235)) == nil)
        #expect(TestPatternSource.readFrameNumber(from: I420Frame(width: 20, height: 10)) == nil)
        var malformed = I420Frame(width: 320, height: 240)
        malformed.y = []
        #expect(TestPatternSource.readFrameNumber(from: malformed) == nil)
    }

    @Test("tiny pictures render without a counter and without trapping")
    func tinyPictures() throws {
        for (width, height) in [(1, 1), (2, 3), (17, 9), (38, 40)] {
            let frame = try TestPatternSource(width: width, height: height).frame(number: 3)
            #expect(frame.hasValidPlanes)
        }
    }

    @Test("out-of-range settings are refused")
    func invalidSettings() throws {
        for (width, height, rate) in [(0, 10, 30), (10, 0, 30), (16_385, 10, 30), (10, 10, 0)] {
            #expect { try TestPatternSource(width: width, height: height, frameRate: rate) } throws: {
                ($0 as? CodecError)?.code == .invalidConfiguration
            }
        }
    }
}
