import Testing
import RTPKit

@Suite("VP8 payload descriptor")
struct VP8PayloadDescriptorTests {
    @Test("the one-byte descriptor carries N, S and PID")
    func minimal() throws {
        let descriptor = VP8PayloadDescriptor(isNonReference: true, isStartOfPartition: true, partitionIndex: 5)
        #expect(descriptor.serialized() == [0x35])
        let (parsed, size) = try VP8PayloadDescriptor.parse([0x35, 0xAA])
        #expect(parsed == descriptor && size == 1)
        #expect(!parsed.isStartOfFrame)
        #expect(try VP8PayloadDescriptor(parsing: [0x10]).isStartOfFrame)
    }

    @Test("every extended field round trips", arguments: [
        VP8PayloadDescriptor(isStartOfPartition: true, pictureID: .sevenBit(0x7F)),
        VP8PayloadDescriptor(pictureID: .fifteenBit(0x7FFF)),
        VP8PayloadDescriptor(pictureID: .fifteenBit(0x0001)),
        VP8PayloadDescriptor(tl0PictureIndex: 200),
        VP8PayloadDescriptor(temporalLayerIndex: 3, isLayerSync: true),
        VP8PayloadDescriptor(keyIndex: 31),
        VP8PayloadDescriptor(temporalLayerIndex: 2, keyIndex: 17),
        VP8PayloadDescriptor(
            isNonReference: true, isStartOfPartition: true, partitionIndex: 7, pictureID: .fifteenBit(12345),
            tl0PictureIndex: 9, temporalLayerIndex: 1, isLayerSync: true, keyIndex: 4),
    ])
    func roundTrip(descriptor: VP8PayloadDescriptor) throws {
        let bytes = descriptor.serialized()
        #expect(bytes.count == descriptor.serializedSize)
        let (parsed, size) = try VP8PayloadDescriptor.parse(bytes + [0x9D])
        #expect(parsed == descriptor)
        #expect(size == bytes.count)
    }

    @Test("the bits sit where RFC 7741 puts them")
    func layout() {
        let descriptor = VP8PayloadDescriptor(
            isNonReference: true, isStartOfPartition: true, partitionIndex: 2, pictureID: .fifteenBit(0x1234),
            tl0PictureIndex: 0xAB, temporalLayerIndex: 2, isLayerSync: true, keyIndex: 0x15)
        // X|R|N|S|R|PID = 1 0 1 1 0 010; I L T K = 1111; M + 0x1234; TL0PICIDX; TID=10 Y=1 KEYIDX=10101
        #expect(descriptor.serialized() == hex("b2 f0 9234 ab b5"))
        // T without K leaves KEYIDX bits zero; K without T leaves TID/Y zero.
        #expect(VP8PayloadDescriptor(temporalLayerIndex: 1).serialized() == hex("80 20 40"))
        #expect(VP8PayloadDescriptor(isLayerSync: true, keyIndex: 3).serialized() == hex("80 10 03"))
    }

    @Test("an X byte without fields parses, with its size reported")
    func emptyExtensionByte() throws {
        let (parsed, size) = try VP8PayloadDescriptor.parse(hex("90 00 9d"))
        #expect(parsed == VP8PayloadDescriptor(isStartOfPartition: true))
        #expect(size == 2)
        #expect(parsed.serializedSize == 1)
    }

    @Test("every truncation of a full descriptor throws malformedPayload")
    func truncations() {
        let bytes = hex("b2 f0 9234 ab b5")
        for length in 0..<bytes.count {
            do {
                _ = try VP8PayloadDescriptor.parse(Array(bytes.prefix(length)))
                Issue.record("parsed \(length) bytes")
            } catch {
                #expect(error.code == .malformedPayload)
            }
        }
        // A 7-bit picture ID needs one byte less.
        #expect(throws: RTPError.self) { try VP8PayloadDescriptor.parse(hex("80 80")) }
        #expect(throws: Never.self) { try VP8PayloadDescriptor.parse(hex("80 80 05")) }
    }
}
