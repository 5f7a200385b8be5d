import NIOCore
import NIOPosix
import SignalingCore
import SignalingServer
import Testing
import TestSupport

/// A peer whose network died never answers pings; the server must notice,
/// close it, and free its seat.
@Suite("Idle connections")
struct IdleConnectionTests {
    /// A client-to-server WebSocket text frame (masked, as RFC 6455 requires), for payloads under 126 bytes.
    static func maskedTextFrame(_ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        precondition(payload.count < 126)
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        return [0x81, 0x80 | UInt8(payload.count)] + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    }

    @Test("a client that never answers pings is closed and its peer hears peer-left")
    func deadClientIsClosed() async throws {
        // Long enough that a live client answers in time even on a loaded CI
        // machine; the dead one is dropped after two intervals.
        let server = try await RunningSignalingServer.start(SignalingServerConfiguration(pingInterval: .seconds(2)))
        // A raw TCP client: it upgrades, takes the sender seat, then goes silent
        // (nothing reads the socket, so no pong is ever sent).
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: server.port).get()
        let upgrade = "GET /?room=idle HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try await channel.writeAndFlush(ByteBuffer(string: upgrade))
        try await channel.writeAndFlush(ByteBuffer(bytes: Self.maskedTextFrame(#"{"type":"sender"}"#)))

        let receiver = try await SignalingClient.connect(to: server.webSocketURL, room: "idle")
        try await receiver.register(as: .receiver)
        #expect(try await receiver.nextMessage() == .peerJoined(.sender))
        #expect(try await receiver.nextMessage(within: .seconds(20)) == .peerLeft(.sender))
        try await withDeadline(.seconds(10), "the server to close the silent socket") {
            try await channel.closeFuture.get()
        }

        await receiver.close()
        await server.stop()
    }
}
