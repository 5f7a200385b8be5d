import ICEKit
import Testing

@Suite("Transport addresses: IP literals parse to bytes and print back")
struct TransportAddressParsingTests {
    @Test("IPv4 and IPv6 literals print in canonical form", arguments: [
        ("1.2.3.4", "1.2.3.4"),
        ("0.0.0.0", "0.0.0.0"),
        ("255.255.255.255", "255.255.255.255"),
        ("127.0.0.1", "127.0.0.1"),
        ("::1", "::1"),
        ("::", "::"),
        ("2001:db8::1", "2001:db8::1"),
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("1:0:0:0:0:0:0:0", "1::"),
        ("fe80::1:2", "fe80::1:2"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("::FFFF:c000:0201", "::ffff:192.0.2.1"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
    ])
    func canonical(input: String, printed: String) throws {
        let address = try #require(ICEIPAddress(input))
        #expect(address.description == printed)
        #expect(ICEIPAddress(printed) == address)
        #expect(ICEIPAddress(bytes: address.bytes) == address)
    }

    @Test("bytes are network order")
    func bytes() throws {
        #expect(try #require(ICEIPAddress("192.0.2.1")).bytes == [192, 0, 2, 1])
        #expect(try #require(ICEIPAddress("2001:db8::ff00:42:8329")).bytes == [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0x00, 0x42, 0x83, 0x29])
        #expect(ICEIPAddress(bytes: [1, 2, 3]) == nil)
        #expect(ICEIPAddress(ipv4: 0x7F00_0001) == ICEIPAddress("127.0.0.1"))
        #expect(ICEIPAddress("127.0.0.1")?.family == .ipv4)
        #expect(ICEIPAddress("::1")?.family == .ipv6)
    }

    @Test("malformed literals are refused", arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "1..2.3", "1.2.3.4 ", " 1.2.3.4", "a.b.c.d",
        ":", ":::", "1::2::3", "12345::", "g::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", ":1::2", "1:2:3:4:5:6:7:",
        "::1%eth0", "[::1]", "1.2.3.4::", "::1.2.3", "::256.1.1.1", "fe80:::1", "host.local",
    ])
    func malformed(input: String) {
        #expect(ICEIPAddress(input) == nil)
    }

    @Test("classification: loopback, unspecified, link-local")
    func classification() throws {
        #expect(try #require(ICEIPAddress("127.3.4.5")).isLoopback)
        #expect(try #require(ICEIPAddress("::1")).isLoopback)
        #expect(try !#require(ICEIPAddress("10.0.0.1")).isLoopback)
        #expect(try #require(ICEIPAddress("0.0.0.0")).isUnspecified)
        #expect(try #require(ICEIPAddress("::")).isUnspecified)
        #expect(try #require(ICEIPAddress("169.254.1.1")).isLinkLocal)
        #expect(try #require(ICEIPAddress("fe80::1")).isLinkLocal)
        #expect(try !#require(ICEIPAddress("fec0::1")).isLinkLocal)
    }

    @Test("transport addresses print host:port, brackets for IPv6, and parse back")
    func transportAddresses() throws {
        let v4 = try #require(ICETransportAddress(host: "192.0.2.1", port: 3478))
        let v6 = try #require(ICETransportAddress(host: "2001:db8::1", port: 443))
        #expect(v4.description == "192.0.2.1:3478")
        #expect(v6.description == "[2001:db8::1]:443")
        #expect(ICETransportAddress("192.0.2.1:3478") == v4)
        #expect(ICETransportAddress("[2001:db8::1]:443") == v6)
        for bad in ["192.0.2.1", "192.0.2.1:", "192.0.2.1:65536", "192.0.2.1:+5", "2001:db8::1:443", "[2001:db8::1]443", "[::1", "host:80"] {
            #expect(ICETransportAddress(bad) == nil, "\(bad)")
        }
        #expect(ICETransportAddress(host: "example.com", port: 1) == nil)
        // Hashable: usable as dictionary keys, equal values collapse.
        let set: Set = [v4, v6, ICETransportAddress(host: "192.0.2.1", port: 3478)!]
        #expect(set.count == 2)
    }
}
