import CodecBridge
import Testing

@Suite("VP8 frame header (RFC 6386 section 9.1)")
struct VP8FrameHeaderTests {
    /// A key frame tag for a shown version-0 frame with an 18-byte first
    /// partition (0x000250 little-endian), the start code, and 320x240.
    static let keyFrameHeader: [UInt8] = [0x50, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x40, 0x01, 0xF0, 0x00]

    @Test("a hand-built key frame header reads back field by field")
    func keyFrameFields() throws {
        let header = try VP8FrameHeader(parsing: Self.keyFrameHeader + [UInt8](repeating: 0, count: 18))
        #expect(header.isKeyFrame)
        #expect(header.version == 0)
        #expect(header.showFrame)
        #expect(header.firstPartitionSize == 18)
        #expect(header.width == 320 && header.height == 240)
        #expect(header.horizontalScale == 0 && header.verticalScale == 0)
        #expect(header.serializedSize == 10)
    }

    @Test("scaling bits sit above the 14-bit size")
    func scalingBits() throws {
        var bytes = Self.keyFrameHeader + [UInt8](repeating: 0, count: 18)
        bytes[7] |= 0x80  // horizontal scale 2
        bytes[9] |= 0x40  // vertical scale 1
        let header = try VP8FrameHeader(parsing: bytes)
        #expect(header.width == 320 && header.height == 240)
        #expect(header.horizontalScale == 2 && header.verticalScale == 1)
    }

    @Test("an inter frame has a 3-byte header and no size")
    func interFrame() throws {
        // Tag 0x000031: inter frame (bit 0 set), version 0, shown, first partition 1 byte.
        let header = try VP8FrameHeader(parsing: [0x31, 0x00, 0x00, 0xFF])
        #expect(!header.isKeyFrame)
        #expect(header.showFrame)
        #expect(header.firstPartitionSize == 1)
        #expect(header.width == nil && header.height == nil)
        #expect(header.serializedSize == 3)
    }

    @Test("the encoder's frames carry the headers it promises")
    func encoderFrames() throws {
        let encoded = try TestFixtures.encodePattern(width: 176, height: 144, count: 2).encoded
        let key = try VP8FrameHeader(parsing: encoded[0].data)
        #expect(key.isKeyFrame && key.width == 176 && key.height == 144)
        let inter = try VP8FrameHeader(parsing: encoded[1].data)
        #expect(!inter.isKeyFrame)
    }

    @Test("every truncation of a key frame header is a truncated frame")
    func truncations() throws {
        let full = Self.keyFrameHeader + [UInt8](repeating: 0, count: 18)
        for length in 0..<full.count {
            #expect { try VP8FrameHeader(parsing: full.prefix(length)) } throws: {
                ($0 as? CodecError)?.code == .truncatedFrame
            }
        }
    }

    @Test("a key frame without the start code or with a zero size is corrupt")
    func corruptKeyFrames() throws {
        var noStartCode = Self.keyFrameHeader + [UInt8](repeating: 0, count: 18)
        noStartCode[4] = 0x02
        var zeroWidth = Self.keyFrameHeader + [UInt8](repeating: 0, count: 18)
        zeroWidth[6] = 0
        zeroWidth[7] = 0
        for bytes in [noStartCode, zeroWidth] {
            #expect { try VP8FrameHeader(parsing: bytes) } throws: { ($0 as? CodecError)?.code == .corruptFrame }
        }
    }

    @Test("a version above 3 is corrupt")
    func badVersion() throws {
        // Inter frame, version 4.
        #expect { try VP8FrameHeader(parsing: [0x09, 0x00, 0x00]) } throws: {
            ($0 as? CodecError)?.code == .corruptFrame
        }
    }
}
