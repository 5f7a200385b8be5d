import Foundation
import ICEKit
import NIOCore
import NIOPosix
import Testing
import TestSupport
@testable import WebRTC

/// Datagrams a socket handed on, from its event loop.
private final class Received: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [[UInt8]] = []
    var datagrams: [[UInt8]] { lock.withLock { stored } }
    func append(_ datagram: [UInt8]) { lock.withLock { stored.append(datagram) } }
}

/// A failed send is a lost datagram: the connection's UDP socket survives it.
@Suite("UDP socket send errors")
struct UDPSocketSendErrorTests {
    @Test("a send the kernel refuses (EACCES: the broadcast address without SO_BROADCAST) closes NIO's channel, but the socket binds its address again: later datagrams go out and come in on the same port")
    func survivesRefusedSend() async throws {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let received = Received()
        let socket = try await UDPSocket.bind(host: "127.0.0.1", port: 0, on: eventLoop) { buffer, _, _ in
            received.append(Array(buffer.readableBytesView))
        }
        let peer = try UDPTestSocket()
        let peerAddress = try #require(ICETransportAddress(host: "127.0.0.1", port: peer.port))
        let broadcast = try #require(ICETransportAddress(host: "255.255.255.255", port: 9))
        try await eventLoop.submit { socket.send([0xBB], to: broadcast) }.get()
        _ = try await poll(every: .milliseconds(20), for: .seconds(5), "the socket to bind again after the refused send") {
            try await eventLoop.submit { socket.rebinds }.get() > 0 ? true : nil
        }
        try await eventLoop.submit { socket.send([1, 2, 3], to: peerAddress) }.get()
        let datagram = await peer.receive(timeout: .seconds(5))
        #expect(datagram?.bytes == [1, 2, 3])
        #expect(datagram?.fromPort == socket.localAddress.port, "sent from the same port")
        peer.send([4, 5], to: socket.localAddress.port)
        _ = try await poll(every: .milliseconds(20), for: .seconds(5), "the peer's datagram to arrive") {
            received.datagrams.contains([4, 5]) ? true : nil
        }
        socket.close()
    }
}
