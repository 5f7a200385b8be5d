import Testing
import RTPKit

@Suite("VP8 packetization")
struct VP8PacketizerTests {
    /// A frame of `size` bytes whose first byte marks a key frame (P bit 0) or not.
    static func frame(size: Int, keyFrame: Bool = true, seed: UInt64 = 1) -> [UInt8] {
        var generator = SeededGenerator(seed: seed &+ UInt64(size))
        var bytes = randomBytes(size, using: &generator)
        if !bytes.isEmpty {
            bytes[0] = keyFrame ? bytes[0] & 0xFE : bytes[0] | 0x01
        }
        return bytes
    }

    @Test("payloads fit the limit, are as few as possible and nearly equal", arguments: [
        (1, 100), (2, 5), (95, 100), (96, 100), (97, 100), (1000, 100), (1196, 1200), (1197, 1200),
        (5000, 1200), (100_000, 1200), (100_000, 500),
    ])
    func sizes(frameSize: Int, maxPayloadSize: Int) {
        var packetizer = VP8Packetizer()
        let frame = Self.frame(size: frameSize)
        let payloads = packetizer.packetize(frame: frame, maxPayloadSize: maxPayloadSize)
        let room = maxPayloadSize - 4
        #expect(payloads.count == (frameSize + room - 1) / room)
        #expect(payloads.allSatisfy { $0.count <= maxPayloadSize })
        let dataSizes = payloads.map { $0.count - 4 }
        #expect(dataSizes.max()! - dataSizes.min()! <= 1)
        #expect(Array(payloads.map { $0.dropFirst(4) }.joined()) == frame)
    }

    @Test("the first payload has S=1 and PID=0, the others S=0, all with the 15-bit picture ID")
    func startFlagsAndPictureID() throws {
        var packetizer = VP8Packetizer(pictureID: 0x1234)
        let payloads = packetizer.packetize(frame: Self.frame(size: 3000), maxPayloadSize: 1000)
        #expect(payloads.count == 4)
        for (index, payload) in payloads.enumerated() {
            let (descriptor, size) = try VP8PayloadDescriptor.parse(payload)
            #expect(size == 4)
            #expect(descriptor.isStartOfPartition == (index == 0))
            #expect(descriptor.partitionIndex == 0)
            #expect(descriptor.pictureID == .fifteenBit(0x1234))
            #expect(!descriptor.isNonReference)
        }
        #expect(packetizer.pictureID == 0x1235)
    }

    @Test("the picture ID advances once per frame and wraps at 15 bits")
    func pictureIDWraps() throws {
        var packetizer = VP8Packetizer(pictureID: 0x7FFE)
        var seen: [UInt16] = []
        for _ in 0..<3 {
            let payloads = packetizer.packetize(frame: [0x00, 1, 2], maxPayloadSize: 1200)
            seen.append(try VP8PayloadDescriptor.parse(payloads[0]).descriptor.pictureID!.value)
        }
        #expect(seen == [0x7FFE, 0x7FFF, 0])
        // Nothing emitted, nothing consumed.
        #expect(packetizer.packetize(frame: [], maxPayloadSize: 1200).isEmpty)
        #expect(packetizer.pictureID == 1)
    }

    @Test("without a picture ID the descriptor is one byte")
    func withoutPictureID() {
        var packetizer = VP8Packetizer(pictureID: nil)
        #expect(packetizer.descriptorSize == 1)
        let payloads = packetizer.packetize(frame: Self.frame(size: 25), maxPayloadSize: 11)
        #expect(payloads.map(\.count) == [10, 9, 9])
        #expect(payloads.map { $0[0] } == [0x10, 0x00, 0x00])
    }

    @Test("an empty frame or a limit too small for the descriptor gives no payloads")
    func nothingToSend() {
        var packetizer = VP8Packetizer()
        #expect(packetizer.packetize(frame: [], maxPayloadSize: 1200).isEmpty)
        #expect(packetizer.packetize(frame: [1, 2, 3], maxPayloadSize: 4).isEmpty)
        #expect(packetizer.packetize(frame: [1, 2, 3], maxPayloadSize: -1).isEmpty)
        #expect(packetizer.packetize(frame: [1, 2, 3], maxPayloadSize: 5).count == 3)
    }

    @Test("a frame that is not contiguous in memory packetizes the same")
    func nonContiguousFrame() {
        var first = VP8Packetizer()
        var second = VP8Packetizer()
        let frame = Self.frame(size: 2500)
        #expect(first.packetize(frame: frame, maxPayloadSize: 1000) == second.packetize(frame: frame.lazy.map { $0 }, maxPayloadSize: 1000))
    }

    @Test("frames from 1 byte to 100 KB come back whole through packets and the depacketizer", arguments: [
        1, 2, 10, 1187, 1188, 1189, 2376, 2377, 10_000, 65_536, 100_000,
    ])
    func reassembly(size: Int) throws {
        var stream = RTPStreamPacketizer(
            packetizer: VP8Packetizer(pictureID: 77), ssrc: 0xABCD, payloadType: 96, sequenceNumber: 65530, maxPacketSize: 1200)
        var depacketizer = VP8Depacketizer()
        let key = Self.frame(size: size, keyFrame: true)
        let delta = Self.frame(size: size, keyFrame: false, seed: 99)
        var frames: [RTPFrame] = []
        for (index, frame) in [key, delta].enumerated() {
            let packets = stream.packetize(frame: frame, timestamp: 3000 * UInt32(index + 1))
            #expect(packets.allSatisfy { $0.serializedSize <= 1200 })
            #expect(packets.map(\.marker) == Array(repeating: false, count: packets.count - 1) + [true])
            for packet in packets {
                // Through the wire format and the header-only path.
                let bytes = packet.serialized()
                let header = try RTPHeader(parsing: bytes)
                depacketizer.push(header: header, packet: bytes)
            }
            while let event = depacketizer.pollEvent() {
                guard case .frame(let frame) = event else {
                    Issue.record("unexpected \(event)")
                    continue
                }
                frames.append(frame)
            }
        }
        #expect(frames.map(\.data) == [key, delta])
        #expect(frames.map(\.isKeyFrame) == [true, false])
        #expect(frames.map(\.timestamp) == [3000, 6000])
        #expect(frames[0].firstSequenceNumber == 65530)
    }
}
