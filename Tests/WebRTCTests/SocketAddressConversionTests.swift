import ICEKit
import NIOCore
import Testing
@testable import WebRTC

@Suite("Converting between ICE and NIO socket addresses without text")
struct SocketAddressConversionTests {
    static let samples: [(String, UInt16)] = [
        ("127.0.0.1", 5000), ("192.0.2.200", 65535), ("0.0.0.0", 0), ("255.255.255.255", 1),
        ("::1", 443), ("2001:db8::8a2e:370:7334", 3478), ("fe80::1:2:3:4", 9), ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 80),
    ]

    @Test("each address becomes the NIO address NIO itself parses from its text, and comes back unchanged")
    func roundTrip() throws {
        for (host, port) in Self.samples {
            let address = try #require(ICETransportAddress(host: host, port: port))
            let converted = try address.socketAddress()
            let parsed = try SocketAddress(ipAddress: host, port: Int(port))
            #expect(converted == parsed, "\(host) port \(port)")
            #expect(converted.port == Int(port))
            #expect(ICETransportAddress(socketAddress: parsed) == address, "\(host) port \(port)")
        }
    }

    @Test("a Unix-domain socket address is not an ICE address")
    func unixAddress() throws {
        #expect(ICETransportAddress(socketAddress: try SocketAddress(unixDomainSocketPath: "/tmp/x")) == nil)
    }
}
