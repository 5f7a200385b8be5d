import ICEKit
import Testing

@Suite("RFC 5769 STUN test vectors")
struct RFC5769VectorTests {
    let shortTerm = STUNIntegrity.shortTerm(password: RFC5769.password)
    var transactionID: STUNTransactionID { STUNTransactionID(bytes: RFC5769.transactionID)! }

    @Test("2.1 sample request parses to its announced fields")
    func sampleRequestFields() throws {
        let message = try STUNMessage(parsing: RFC5769.request)
        #expect(message.type == .bindingRequest)
        #expect(message.transactionID == transactionID)
        #expect(message.software == "STUN test client")
        #expect(message.priority == 0x6e00_01ff)
        #expect(message.iceControlled == 0x932f_f9b1_5126_3b36)
        #expect(message.iceControlling == nil)
        #expect(message.username == "evtj:h6vY")
        #expect(message.fingerprint == 0xe57a_3bcf)
        #expect(message.attributes.map(\.type) == [.software, .priority, .iceControlled, .username, .messageIntegrity, .fingerprint])
    }

    @Test("2.1 sample request: MESSAGE-INTEGRITY verifies with the password and not with another")
    func sampleRequestIntegrity() {
        #expect(STUNMessage.verifyIntegrity(of: RFC5769.request, using: shortTerm))
        #expect(!STUNMessage.verifyIntegrity(of: RFC5769.request, using: .shortTerm(password: "VOkJxbRl1RmTxUk/WvJxBu")))
        #expect(!STUNMessage.verifyIntegrity(of: RFC5769.request, using: .shortTerm(password: RFC5769.password, algorithm: .sha256)))
    }

    @Test("2.1 sample request is rebuilt byte for byte from its fields, with integrity and fingerprint computed")
    func sampleRequestSerialization() throws {
        let message = STUNMessage(type: .bindingRequest, transactionID: transactionID, attributes: [
            .software("STUN test client"),
            .priority(0x6e00_01ff),
            .iceControlled(0x932f_f9b1_5126_3b36),
            .username("evtj:h6vY"),
        ])
        #expect(message.serialized(integrity: shortTerm, fingerprint: true, paddingByte: 0x20) == RFC5769.request)
        // The parsed message written back as it is, and re-signed, gives the same bytes.
        let parsed = try STUNMessage(parsing: RFC5769.request)
        #expect(parsed.serialized(integrity: nil, fingerprint: false, paddingByte: 0x20) == RFC5769.request)
        #expect(parsed.serialized(integrity: shortTerm, fingerprint: true, paddingByte: 0x20) == RFC5769.request)
        #expect(parsed.serializedSize == RFC5769.request.count)
    }

    @Test("2.2 IPv4 response: XOR-MAPPED-ADDRESS 192.0.2.1:32853, integrity, fingerprint, bytes")
    func ipv4Response() throws {
        let message = try STUNMessage(parsing: RFC5769.ipv4Response)
        #expect(message.type == .bindingSuccess)
        #expect(message.transactionID == transactionID)
        #expect(message.software == "test vector")
        #expect(message.xorMappedAddress == ICETransportAddress(host: "192.0.2.1", port: 32853))
        #expect(message.fingerprint == 0xc07d_4c96)
        #expect(STUNMessage.verifyIntegrity(of: RFC5769.ipv4Response, using: shortTerm))
        let rebuilt = STUNMessage(type: .bindingSuccess, transactionID: transactionID, attributes: [
            .software("test vector"),
            .xorMappedAddress(ICETransportAddress(host: "192.0.2.1", port: 32853)!),
        ])
        #expect(rebuilt.serialized(integrity: shortTerm, fingerprint: true, paddingByte: 0x20) == RFC5769.ipv4Response)
    }

    @Test("2.3 IPv6 response: XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853, integrity, fingerprint, bytes")
    func ipv6Response() throws {
        let message = try STUNMessage(parsing: RFC5769.ipv6Response)
        let expected = ICETransportAddress(host: "2001:db8:1234:5678:11:2233:4455:6677", port: 32853)!
        #expect(message.type == .bindingSuccess)
        #expect(message.xorMappedAddress == expected)
        #expect(message.fingerprint == 0xc8fb_0b4c)
        #expect(STUNMessage.verifyIntegrity(of: RFC5769.ipv6Response, using: shortTerm))
        let rebuilt = STUNMessage(type: .bindingSuccess, transactionID: transactionID, attributes: [
            .software("test vector"),
            .xorMappedAddress(expected),
        ])
        #expect(rebuilt.serialized(integrity: shortTerm, fingerprint: true, paddingByte: 0x20) == RFC5769.ipv6Response)
    }

    @Test("2.4 long-term authentication: unknown attributes kept, MD5 key verifies, bytes round-trip")
    func longTermRequest() throws {
        let message = try STUNMessage(parsing: RFC5769.longTermRequest)
        #expect(message.type == .bindingRequest)
        #expect(message.username == "\u{30DE}\u{30C8}\u{30EA}\u{30C3}\u{30AF}\u{30B9}")
        #expect(message.attribute(.nonce) == .other(.nonce, Array("f//499k954d6OL34oL9FSTvy64sA".utf8)))
        #expect(message.attribute(.realm) == .other(.realm, Array("example.org".utf8)))
        #expect(message.fingerprint == nil)
        let key = STUNIntegrity.longTerm(username: message.username!, realm: "example.org", password: "TheMatrIX")
        #expect(STUNMessage.verifyIntegrity(of: RFC5769.longTermRequest, using: key))
        #expect(!STUNMessage.verifyIntegrity(of: RFC5769.longTermRequest, using: .longTerm(username: message.username!, realm: "example.org", password: "TheMatrix")))
        #expect(message.serialized() == RFC5769.longTermRequest)
        #expect(message.serialized(integrity: key, fingerprint: false) == RFC5769.longTermRequest)
    }

    @Test("every vector passes the fast STUN check")
    func isSTUN() {
        for vector in RFC5769.all {
            #expect(STUNMessage.isSTUN(vector))
            #expect(STUNMessage.isSTUN(vector[...]))
        }
    }
}
