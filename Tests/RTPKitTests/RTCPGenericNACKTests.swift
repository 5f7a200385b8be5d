import Testing
import RTPKit

@Suite("Generic NACK building and expansion")
struct RTCPGenericNACKTests {
    @Test("lost numbers within 16 of a PID share its entry; a gap above 16 starts a new one")
    func packing() {
        let entries = RTCPGenericNACK.entries(forLost: [1, 2, 3, 17, 18, 40, 41, 56, 57])
        #expect(entries == [
            .init(packetID: 1, lostBitmask: 0b1000_0000_0000_0011),  // 2, 3, 17
            .init(packetID: 18, lostBitmask: 0),  // 18 is 17 past 1
            .init(packetID: 40, lostBitmask: 0b1000_0000_0000_0001),  // 41, 56
            .init(packetID: 57, lostBitmask: 0),
        ])
    }

    @Test("entries cross the sequence number wrap")
    func wrap() {
        let entries = RTCPGenericNACK.entries(forLost: [65534, 65535, 0, 5, 20])
        #expect(entries == [
            .init(packetID: 65534, lostBitmask: 0b0100_0011),  // 65535, 0, 5
            .init(packetID: 20, lostBitmask: 0),
        ])
        #expect(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, entries: entries).lostSequenceNumbers == [65534, 65535, 0, 5, 20])
    }

    @Test("order and repeats in the input do not change the entries")
    func unorderedInput() {
        let sorted = RTCPGenericNACK.entries(forLost: [100, 101, 130, 131, 200])
        #expect(RTCPGenericNACK.entries(forLost: [200, 131, 100, 130, 101, 100, 200]) == sorted)
        #expect(RTCPGenericNACK.entries(forLost: [UInt16]()).isEmpty)
    }

    @Test("an entry expands to its PID and the numbers of its set bits")
    func expandEntry() {
        #expect(RTCPGenericNACK.Entry(packetID: 65535, lostBitmask: 0x8001).lostSequenceNumbers == [65535, 0, 15])
        #expect(RTCPGenericNACK.Entry(packetID: 7).lostSequenceNumbers == [7])
        #expect(RTCPGenericNACK.Entry(packetID: 0, lostBitmask: 0xFFFF).lostSequenceNumbers == Array(0...16))
    }

    @Test("random loss sets survive building, the wire and expansion", arguments: 0..<20)
    func randomRoundTrip(seed: Int) throws {
        var generator = SeededGenerator(seed: UInt64(seed))
        let start = UInt16.random(in: 0...UInt16.max, using: &generator)
        var lost: [UInt16] = []
        var offset: UInt16 = 0
        for _ in 0..<Int.random(in: 1...200, using: &generator) {
            offset &+= UInt16.random(in: 1...40, using: &generator)
            lost.append(start &+ offset)
        }
        let nack = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: lost.shuffled(using: &generator))
        let parsed = try RTCPGenericNACK(parsing: nack.serialized())
        #expect(parsed.lostSequenceNumbers == lost)
        // Greedy packing: every entry's PID is lost, and the next PID lies beyond its 16-number window.
        for (current, next) in zip(parsed.entries, parsed.entries.dropFirst()) {
            #expect(next.packetID &- current.packetID > 16)
        }
    }
}
