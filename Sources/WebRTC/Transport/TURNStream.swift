import ICEKit
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// A TCP connection, with TLS for `turns:`, to one TURN server, on the
/// connection's event loop. Bytes sent before it is up wait (bounded); bytes
/// that arrive are handed to `onBytes` in order; `onClose` runs once when it
/// closes or cannot be opened.
final class TURNStream: Sendable {
    /// The most bytes held while the connection is being opened.
    static let maxPendingBytes = 262_144

    let server: ICETransportAddress
    private struct State {
        var channel: (any Channel)?
        var pending: [[UInt8]] = []
        var pendingBytes = 0
        var closed = false
    }
    private let state = NIOLockedValueBox(State())

    private init(server: ICETransportAddress) {
        self.server = server
    }

    /// Starts connecting to `server`; `tls` (with `serverName` for SNI and the
    /// certificate check) makes it TLS.
    static func open(
        to server: ICETransportAddress, tls: TLSConfiguration?, serverName: String?, on eventLoop: any EventLoop,
        onBytes: @escaping @Sendable (ByteBuffer) -> Void, onClose: @escaping @Sendable () -> Void
    ) -> TURNStream {
        let stream = TURNStream(server: server)
        let sslContext: NIOSSLContext?
        do {
            sslContext = try tls.map { try NIOSSLContext(configuration: $0) }
        } catch {
            eventLoop.execute { stream.finish(onClose) }
            return stream
        }
        let connecting = ClientBootstrap(group: eventLoop)
            .connectTimeout(.seconds(10))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        let handler = try NIOSSLClientHandler(context: sslContext, serverHostname: serverName)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    try channel.pipeline.syncOperations.addHandler(StreamHandler(onBytes: onBytes) { stream.finish(onClose) })
                }
            }
        guard let address = try? server.socketAddress() else {
            eventLoop.execute { stream.finish(onClose) }
            return stream
        }
        connecting.connect(to: address).whenComplete { result in
            switch result {
            case .success(let channel):
                let held: [[UInt8]]? = stream.state.withLockedValue { state in
                    guard !state.closed else { return nil }
                    state.channel = channel
                    defer { state.pending = []; state.pendingBytes = 0 }
                    return state.pending
                }
                guard let held else {
                    channel.close(promise: nil)
                    return
                }
                for bytes in held { stream.write(bytes, on: channel) }
            case .failure:
                stream.finish(onClose)
            }
        }
        return stream
    }

    /// Sends bytes (a framed TURN message), or holds them until connected.
    func send(_ bytes: [UInt8]) {
        let channel: (any Channel)? = state.withLockedValue { state in
            guard !state.closed else { return nil }
            if let channel = state.channel { return channel }
            if state.pendingBytes + bytes.count <= Self.maxPendingBytes {
                state.pending.append(bytes)
                state.pendingBytes += bytes.count
            }
            return nil
        }
        if let channel { write(bytes, on: channel) }
    }

    private func write(_ bytes: [UInt8], on channel: any Channel) {
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        channel.writeAndFlush(buffer, promise: nil)
    }

    /// Closes the connection (onClose is not called for a close asked for).
    func close() {
        let channel = state.withLockedValue { state -> (any Channel)? in
            state.closed = true
            state.pending = []
            return state.channel
        }
        channel?.close(promise: nil)
    }

    private func finish(_ onClose: @Sendable () -> Void) {
        let first = state.withLockedValue { state -> Bool in
            defer { state.closed = true }
            return !state.closed
        }
        if first { onClose() }
    }
}

/// Hands a stream's bytes on and reports its end.
private final class StreamHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    let onBytes: @Sendable (ByteBuffer) -> Void
    let onEnd: @Sendable () -> Void

    init(onBytes: @escaping @Sendable (ByteBuffer) -> Void, onEnd: @escaping @Sendable () -> Void) {
        self.onBytes = onBytes
        self.onEnd = onEnd
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        onBytes(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        onEnd()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
