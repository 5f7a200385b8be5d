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

    @Test("each payload is a frame; padding, duplicates and late packets are skipped")
    func depacketize() {
        var stream = RTPStreamPacketizer(packetizer: OpusPacketizer(), ssrc: 1, payloadType: 111, sequenceNumber: 65535)
        let first = stream.packetize(frame: [1, 1], timestamp: 960)
        let second = stream.packetize(frame: [2, 2], timestamp: 1920)
        let third = stream.packetize(frame: [3, 3], timestamp: 2880)
        #expect(first[0].marker && second[0].sequenceNumber == 0)
        var depacketizer = OpusDepacketizer()
        for packet in first + second + first + third + second {
            depacketizer.push(packet)
        }
        depacketizer.push(payload: [UInt8](), sequenceNumber: 3, timestamp: 3840, marker: false)
        var frames: [RTPFrame] = []
        while case .frame(let frame)? = depacketizer.pollEvent() {
            frames.append(frame)
        }
        #expect(frames.map(\.data) == [[1, 1], [2, 2], [3, 3]])
        #expect(frames.map(\.timestamp) == [960, 1920, 2880])
        #expect(frames.allSatisfy { $0.isKeyFrame })
        #expect(depacketizer.latePackets == 2)
        #expect(depacketizer.pollEvent() == nil)
    }
}
