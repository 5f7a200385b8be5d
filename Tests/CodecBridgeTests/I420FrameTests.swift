import CodecBridge
import Testing

@Suite("I420 frames")
struct I420FrameTests {
    @Test("plane sizes round chroma up for odd sizes")
    func planeSizes() {
        let frame = I420Frame(width: 5, height: 3)
        #expect(frame.y.count == 15)
        #expect(frame.chromaWidth == 3 && frame.chromaHeight == 2)
        #expect(frame.u.count == 6 && frame.v.count == 6)
        #expect(frame.byteCount == 27)
        #expect(I420Frame.byteCount(width: 320, height: 240) == 115_200)
    }

    @Test("creating a frame from planes checks their sizes")
    func planeValidation() throws {
        let frame = try I420Frame(width: 2, height: 2, y: [1, 2, 3, 4], u: [5], v: [6], timestamp: .seconds(1))
        #expect(frame.luma(x: 1, y: 1) == 4)
        #expect(frame.timestamp == .seconds(1))
        for (width, y, u) in [(2, [UInt8](repeating: 0, count: 3), [UInt8(0)]), (2, [0, 0, 0, 0], []), (0, [], [])] {
            #expect { try I420Frame(width: width, height: 2, y: y, u: u, v: u) } throws: {
                ($0 as? CodecError)?.code == .invalidInput
            }
        }
    }

    @Test("fill sets every sample")
    func fill() {
        var frame = I420Frame(width: 3, height: 3)
        frame.fill(y: 100, u: 50, v: 200)
        #expect(frame.y.allSatisfy { $0 == 100 } && frame.y.count == 9)
        #expect(frame.u.allSatisfy { $0 == 50 } && frame.v.allSatisfy { $0 == 200 } && frame.u.count == 4)
    }

    @Test("luma PSNR: identical is infinite, a uniform error of 10 is 28.13 dB, sizes must match")
    func psnr() {
        let reference = I420Frame(width: 16, height: 16, y: 100)
        #expect(reference.lumaPSNR(comparedWith: reference) == .infinity)
        let off = I420Frame(width: 16, height: 16, y: 110)
        // MSE 100: 10·log10(65025 / 100) = 28.1308 dB.
        let value = reference.lumaPSNR(comparedWith: off) ?? 0
        #expect(abs(value - 28.1308) < 0.001)
        // Chroma does not count.
        #expect(reference.lumaPSNR(comparedWith: I420Frame(width: 16, height: 16, y: 100, u: 0)) == .infinity)
        #expect(reference.lumaPSNR(comparedWith: I420Frame(width: 16, height: 8, y: 100)) == nil)
    }
}
