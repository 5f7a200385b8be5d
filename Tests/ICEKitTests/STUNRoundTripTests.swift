import ICEKit
import Testing

@Suite("STUN: every attribute survives serialize and parse")
struct STUNRoundTripTests {
    let transactionID = STUNTransactionID(bytes: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])!

    @Test("message type encodes method and class as RFC 8489 interleaves them")
    func messageType() {
        #expect(STUNMessageType.bindingRequest.rawValue == 0x0001)
        #expect(STUNMessageType.bindingIndication.rawValue == 0x0011)
        #expect(STUNMessageType.bindingSuccess.rawValue == 0x0101)
        #expect(STUNMessageType.bindingError.rawValue == 0x0111)
        // Allocate (0x003) error response is 0x0113; method 0xFFF with every class round-trips.
        #expect(STUNMessageType(method: STUNMethod(rawValue: 0x003), class: .errorResponse).rawValue == 0x0113)
        for stunClass in STUNClass.allCases {
            for method: UInt16 in [0x001, 0x003, 0x00F, 0x010, 0x070, 0x080, 0xF80, 0xFFF] {
                let type = STUNMessageType(method: STUNMethod(rawValue: method), class: stunClass)
                #expect(STUNMessageType(rawValue: type.rawValue) == type)
                #expect(type.rawValue & 0xC000 == 0)
            }
        }
    }

    @Test("all known attributes, both address families and unknown ones round-trip")
    func allAttributes() throws {
        let v4 = ICETransportAddress(host: "203.0.113.9", port: 1)!
        let v6 = ICETransportAddress(host: "2001:db8::abcd:1", port: 65535)!
        let message = STUNMessage(type: .bindingSuccess, transactionID: transactionID, attributes: [
            .mappedAddress(v4),
            .mappedAddress(v6),
            .xorMappedAddress(v4),
            .xorMappedAddress(v6),
            .username("user:name"),
            .errorCode(.roleConflict),
            .errorCode(STUNErrorCode(code: 699, reason: "")),
            .unknownAttributes([STUNAttributeType(rawValue: 0x0033), .realm, STUNAttributeType(rawValue: 0x7FFF)]),
            .software("ICEKit ✓"),
            .priority(0x7E00_00FF),
            .useCandidate,
            .iceControlled(0),
            .iceControlling(.max),
            .other(STUNAttributeType(rawValue: 0xC001), [1, 2, 3]),
            .other(STUNAttributeType(rawValue: 0x0030), []),
        ])
        let bytes = message.serialized()
        #expect(bytes.count == message.serializedSize)
        #expect(bytes.count % 4 == 0)
        let parsed = try STUNMessage(parsing: bytes)
        #expect(parsed == message)
        #expect(parsed.errorCode == .roleConflict)
        #expect(parsed.unknownAttributes?.count == 3)
        #expect(parsed.useCandidate)
        #expect(parsed.iceControlling == .max)
        #expect(parsed.mappedAddress == v4)
        #expect(parsed.xorMappedAddress == v4)
    }

    @Test("XOR-MAPPED-ADDRESS is XORed on the wire; MAPPED-ADDRESS is not")
    func xorOnTheWire() {
        let address = ICETransportAddress(host: "192.0.2.1", port: 32853)!
        let plain = STUNMessage(type: .bindingSuccess, transactionID: transactionID, attributes: [.mappedAddress(address)]).serialized()
        let xored = STUNMessage(type: .bindingSuccess, transactionID: transactionID, attributes: [.xorMappedAddress(address)]).serialized()
        #expect(Array(plain[24...]) == [0x00, 0x01, 0x80, 0x55, 192, 0, 2, 1])
        let expected: [UInt8] = [0x00, 0x01, 0xA1, 0x47, 0xE1, 0x12, 0xA6, 0x43] // port ^ 0x2112, address ^ cookie
        #expect(Array(xored[24...]) == expected)
    }

    @Test("integrity and fingerprint added on serialize verify, for SHA-1 and SHA-256")
    func integrityAlgorithms() throws {
        for algorithm in [STUNIntegrity.Algorithm.sha1, .sha256] {
            let integrity = STUNIntegrity.shortTerm(password: "pass-word-0123456789abcd", algorithm: algorithm)
            let message = STUNMessage(type: .bindingRequest, transactionID: transactionID, attributes: [.username("abc:defg"), .priority(1)])
            let bytes = message.serialized(integrity: integrity, fingerprint: true)
            let parsed = try STUNMessage(parsing: bytes)
            #expect(parsed.attributes.last?.type == .fingerprint)
            #expect(parsed.attributes.dropLast().last?.type == (algorithm == .sha1 ? .messageIntegrity : .messageIntegritySHA256))
            #expect(STUNMessage.verifyIntegrity(of: bytes, using: integrity))
            #expect(!STUNMessage.verifyIntegrity(of: bytes, using: .shortTerm(password: "other", algorithm: algorithm)))
            // The FINGERPRINT is the CRC-32 of everything before it, XORed with "STUN".
            let fingerprintValue = ReferenceCRC32.checksum(bytes[0..<(bytes.count - 8)]) ^ 0x5354_554E
            #expect(parsed.fingerprint == fingerprintValue)
        }
    }

    @Test("the CRC-32 check value is right (reference implementation sanity)")
    func crcCheckValue() {
        #expect(ReferenceCRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test("serialize(into:) appends after existing bytes and signs only the new message")
    func appendsToBuffer() throws {
        let integrity = STUNIntegrity.shortTerm(password: RFC5769.password)
        var buffer: [UInt8] = [0xAA, 0xBB, 0xCC]
        let message = try STUNMessage(parsing: RFC5769.request)
        message.serialize(into: &buffer, integrity: integrity, fingerprint: true, paddingByte: 0x20)
        #expect(Array(buffer[0..<3]) == [0xAA, 0xBB, 0xCC])
        #expect(Array(buffer[3...]) == RFC5769.request)
    }

    @Test("isSTUN separates STUN from DTLS and RTP by the first byte and cookie")
    func isSTUN() {
        let stun = STUNMessage(type: .bindingRequest, transactionID: transactionID).serialized()
        #expect(STUNMessage.isSTUN(stun))
        var rtp = stun
        rtp[0] = 0x80
        #expect(!STUNMessage.isSTUN(rtp))
        #expect(!STUNMessage.isSTUN([UInt8]()))
        #expect(!STUNMessage.isSTUN([0x16, 0xFE, 0xFD] + [UInt8](repeating: 0, count: 30)))
    }

    @Test("transaction IDs are 12 bytes, random, and print as hex")
    func transactionIDs() {
        #expect(STUNTransactionID(bytes: [UInt8](repeating: 0, count: 11)) == nil)
        #expect(transactionID.bytes == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        #expect(transactionID.description == "0102030405060708090a0b0c")
        let ids = Set((0..<100).map { _ in STUNTransactionID.random() })
        #expect(ids.count == 100)
    }
}
