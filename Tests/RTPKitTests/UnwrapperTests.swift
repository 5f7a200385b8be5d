import Testing
import RTPKit

@Suite("Sequence number and timestamp unwrapping")
struct UnwrapperTests {
    @Test("sequence numbers count on across the 16-bit wrap")
    func sequenceWrap() {
        var unwrapper = SequenceNumberUnwrapper()
        #expect(unwrapper.lastValue == nil)
        #expect(unwrapper.unwrap(65533) == 65533)
        #expect(unwrapper.unwrap(65535) == 65535)
        #expect(unwrapper.unwrap(0) == 65536)
        #expect(unwrapper.unwrap(1) == 65537)
        // Many wraps.
        var value: UInt16 = 1
        var expected: Int64 = 65537
        for _ in 0..<10 {
            for _ in 0..<4 {
                value &+= 16384
                expected += 16384
                #expect(unwrapper.unwrap(value) == expected)
            }
        }
        #expect(unwrapper.lastValue == expected)
    }

    @Test("reordered sequence numbers land on the right side of a wrap")
    func sequenceReorder() {
        var unwrapper = SequenceNumberUnwrapper()
        let arrivals: [UInt16] = [65534, 0, 65535, 2, 1, 65533, 3]
        let extended = arrivals.map { unwrapper.unwrap($0) }
        #expect(extended == [65534, 65536, 65535, 65538, 65537, 65533, 65539])
    }

    @Test("a sequence number before the first one comes out below it")
    func sequenceBeforeFirst() {
        var unwrapper = SequenceNumberUnwrapper()
        #expect(unwrapper.unwrap(0) == 0)
        #expect(unwrapper.unwrap(65535) == -1)
        #expect(unwrapper.peek(1) == 1)
        #expect(unwrapper.lastValue == -1)
    }

    @Test("timestamps count on across the 32-bit wrap, forwards and backwards")
    func timestampWrap() {
        var unwrapper = TimestampUnwrapper()
        #expect(unwrapper.unwrap(0xFFFF_FF00) == 0xFFFF_FF00)
        #expect(unwrapper.unwrap(0x0000_0100) == 0x1_0000_0100)
        #expect(unwrapper.unwrap(0xFFFF_FFF0) == 0xFFFF_FFF0)
        #expect(unwrapper.unwrap(0x8000_0000) == 0x8000_0000)
        #expect(unwrapper.unwrap(0xC000_0000) == 0xC000_0000)
        #expect(unwrapper.unwrap(0x0000_0000) == 0x1_0000_0000)
        // Exactly half the circle away counts as backwards.
        #expect(unwrapper.peek(0x8000_0000) == 0x8000_0000)
        // 90 kHz video for 30 hours passes the wrap more than once.
        var stepper = TimestampUnwrapper()
        var timestamp: UInt32 = 0
        var last: Int64 = 0
        for _ in 0..<(30 * 3600) {
            timestamp &+= 90_000
            last = stepper.unwrap(timestamp)
        }
        #expect(last == Int64(30 * 3600) * 90_000)
    }
}
