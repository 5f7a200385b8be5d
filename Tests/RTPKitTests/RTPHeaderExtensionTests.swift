import Testing
import RTPKit

@Suite("RTP header extension elements")
struct RTPHeaderExtensionTests {
    @Test("set, replace, get and remove elements by id")
    func setGetRemove() throws {
        var packet = RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 1, ssrc: 1)
        #expect(packet.extensionElement(id: 3) == nil)
        try packet.setExtensionElement(id: 3, data: [0x01, 0x02])
        try packet.setExtensionElement(id: 5, data: Array("0".utf8))
        try packet.setExtensionElement(id: 3, data: [0x09, 0x08])
        #expect(packet.extensionElement(id: 3) == [0x09, 0x08])
        #expect(packet.headerExtension?.elements.map(\.id) == [3, 5])
        #expect(packet.headerExtension?.form == .oneByte)
        let removed = packet.removeExtensionElement(id: 3)
        let removedAgain = packet.removeExtensionElement(id: 3)
        #expect(removed && !removedAgain)
        #expect(packet.extensionElement(id: 3) == nil)
        let parsed = try RTPPacket(parsing: packet.serialized())
        #expect(parsed.extensionElement(id: 5) == Array("0".utf8))
    }

    @Test("an element that does not fit the one-byte form switches to two-byte", arguments: [
        (15 as UInt8, 1), (1, 0), (1, 17), (255, 255),
    ])
    func upgradeToTwoByte(id: UInt8, length: Int) throws {
        var ext = try RTPHeaderExtension(oneByte: [.init(id: 1, data: [1])])
        try ext.setElement(id: id, data: Array(repeating: 0x42, count: length))
        #expect(ext.form == .twoByte(appBits: 0))
        let parsed = try RTPHeaderExtension(profile: ext.profile, body: ext.serialized().dropFirst(4))
        #expect(parsed == ext)
    }

    @Test("dataOffset(id:) points at each element's data in the serialized bytes, in both forms")
    func dataOffsets() throws {
        let oneByte = try RTPHeaderExtension(oneByte: [.init(id: 1, data: [0xAA, 0xAB]), .init(id: 3, data: [0xC1, 0xC2])])
        let twoByte = try RTPHeaderExtension(twoByte: [.init(id: 1, data: [0xAA]), .init(id: 3, data: [0xC1, 0xC2])])
        for headerExtension in [oneByte, twoByte] {
            let bytes = headerExtension.serialized()
            let offset = try #require(headerExtension.dataOffset(id: 3))
            #expect(Array(bytes[offset..<offset + 2]) == [0xC1, 0xC2])
            let first = try #require(headerExtension.dataOffset(id: 1))
            #expect(bytes[first] == 0xAA)
            #expect(headerExtension.dataOffset(id: 2) == nil)
        }
    }

    @Test("invalid elements are rejected")
    func invalidElements() throws {
        #expect(throws: RTPError.self) { try RTPHeaderExtension(oneByte: [.init(id: 0, data: [1])]) }
        #expect(throws: RTPError.self) { try RTPHeaderExtension(oneByte: [.init(id: 15, data: [1])]) }
        #expect(throws: RTPError.self) { try RTPHeaderExtension(oneByte: [.init(id: 1, data: [])]) }
        #expect(throws: RTPError.self) { try RTPHeaderExtension(oneByte: [.init(id: 1, data: Array(repeating: 0, count: 17))]) }
        #expect(throws: RTPError.self) { try RTPHeaderExtension(twoByte: [.init(id: 0, data: [1])]) }
        #expect(throws: RTPError.self) { try RTPHeaderExtension(twoByte: [.init(id: 1, data: Array(repeating: 0, count: 256))]) }
        #expect(throws: RTPError.self) { try RTPHeaderExtension(twoByte: [], appBits: 16) }
        #expect(throws: RTPError.self) { try RTPHeaderExtension(genericProfile: 0x1234, data: [1, 2, 3]) }
        #expect(throws: RTPError.self) { try RTPHeaderExtension(genericProfile: 0xBEDE, data: []) }
        var ext = RTPHeaderExtension()
        do {
            try ext.setElement(id: 0, data: [1])
            Issue.record("id 0 accepted")
        } catch {
            #expect(error.code == .invalidHeaderExtension)
        }
        #expect(ext.elements.isEmpty && ext.form == .oneByte)
        var generic = try RTPHeaderExtension(genericProfile: 0x1234, data: [])
        #expect(throws: RTPError.self) { try generic.setElement(id: 1, data: [1]) }
    }

    @Test("one-byte serialization pads the body to 32 bits")
    func oneBytePadding() throws {
        let ext = try RTPHeaderExtension(oneByte: [.init(id: 2, data: [0xAA, 0xBB, 0xCC])])
        #expect(ext.serialized() == hex("bede0001 22aabbcc"))
        let five = try RTPHeaderExtension(oneByte: [.init(id: 1, data: [1, 2, 3, 4])])
        #expect(five.serialized() == hex("bede0002 13010203 04000000"))
        #expect(RTPHeaderExtension().serialized() == hex("bede0000"))
    }

    @Test("two-byte serialization writes id and length bytes")
    func twoByteLayout() throws {
        let ext = try RTPHeaderExtension(twoByte: [.init(id: 17, data: []), .init(id: 1, data: [0xAB])], appBits: 3)
        #expect(ext.serialized() == hex("10030002 11000101 ab000000"))
    }

    @Test("the WebRTC extension URIs are the ones browsers put in a=extmap")
    func uris() {
        #expect(RTPHeaderExtensionURI.absoluteSendTime == "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time")
        #expect(RTPHeaderExtensionURI.transportWideCC == "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01")
        #expect(RTPHeaderExtensionURI.sdesMID == "urn:ietf:params:rtp-hdrext:sdes:mid")
    }
}
