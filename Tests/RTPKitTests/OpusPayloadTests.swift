import Testing
import RTPKit

@Suite("Opus payloads")
struct OpusPayloadTests {
    @Test("an Opus packet is one payload, unchanged, when it fits")
    func packetize() {
        var packetizer = OpusPacketizer()
        #expect(packetizer.packetize(frame: [0xFC, 1, 2, 3], maxPayloadSize: 1200) == [[0xFC, 1, 2, 3]])
        #expect(packetizer.packetize(frame: [], maxPayloadSize: 1200).isEmpty)
        #expect(packetizer.packetize(frame: Array(repeating: 0, count: 1201), maxPayloadSize: 1200).isEmpty)
    }

    @Test("each payload is a frame, reordered ones too, in arrival order; padding, duplicates and packets beyond the reorder window are skipped")
    func depacketize() {
        var stream = RTPStreamPacketizer(packetizer: OpusPacketizer(), ssrc: 1, payloadType: 111, sequenceNumber: 65535)
        let first = stream.packetize(frame: [1, 1], timestamp: 960)
        let second = stream.packetize(frame: [2, 2], timestamp: 1920)
        let third = stream.packetize(frame: [3, 3], timestamp: 2880)
        #expect(first[0].marker && second[0].sequenceNumber == 0)
        var depacketizer = OpusDepacketizer()
        for packet in first + third + first + second + third + second {
            depacketizer.push(packet)
        }
        depacketizer.push(payload: [UInt8](), sequenceNumber: 3, timestamp: 3840, marker: false)
        // 100 packets later, the first one again: beyond the window, dropped.
        depacketizer.push(payload: [9], sequenceNumber: 103, timestamp: 99_840, marker: false)
        depacketizer.push(first[0])
        var frames: [RTPFrame] = []
        while case .frame(let frame)? = depacketizer.pollEvent() {
            frames.append(frame)
        }
        #expect(frames.map(\.data) == [[1, 1], [3, 3], [2, 2], [9]])
        #expect(frames.map(\.timestamp) == [960, 2880, 1920, 99_840])
        #expect(frames.allSatisfy { $0.isKeyFrame })
        #expect(depacketizer.latePackets == 4)
        #expect(depacketizer.pollEvent() == nil)
    }
}
