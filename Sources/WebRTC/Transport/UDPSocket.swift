import ICEKit
import NIOCore
import NIOPosix

/// One bound UDP socket on an event loop: the only socket of a call (BUNDLE
/// and rtcp-mux put ICE, DTLS, RTP and RTCP on one 5-tuple).
///
/// Datagrams are handed to `onDatagram` on the socket's event loop, in order,
/// with their source and the local address they arrived at (which, on a
/// socket bound to `0.0.0.0`, names the interface: ICE needs it).
///
/// A send that fails is a lost datagram, never the end of the socket. NIO
/// closes a datagram channel on most send errors (`EPERM` from a firewall
/// that rejects a packet, `EACCES` for a broadcast address, `ENETUNREACH`);
/// when that happens the socket binds the same address and port again at
/// once and goes on, so a call sees only the loss.
final class UDPSocket: Sendable {
    /// The address the socket is bound to.
    let localAddress: ICETransportAddress
    private let eventLoop: any EventLoop
    private let onDatagram: @Sendable (ByteBuffer, ICETransportAddress, ICETransportAddress?) -> Void
    private let state: NIOLoopBoundBox<State>

    private struct State: Sendable {
        var channel: any Channel
        /// Set by ``close()``: a closed channel is then not replaced.
        var isClosing = false
        /// How many times the channel was bound again after a send error.
        var rebinds = 0
    }

    private init(
        channel: any Channel, localAddress: ICETransportAddress, eventLoop: any EventLoop,
        onDatagram: @escaping @Sendable (ByteBuffer, ICETransportAddress, ICETransportAddress?) -> Void
    ) {
        self.localAddress = localAddress
        self.eventLoop = eventLoop
        self.onDatagram = onDatagram
        self.state = .makeBoxSendingValue(State(channel: channel), eventLoop: eventLoop)
    }

    /// Binds `host:port` (port 0 picks one) on `eventLoop`.
    static func bind(
        host: String, port: Int, on eventLoop: any EventLoop,
        onDatagram: @escaping @Sendable (ByteBuffer, ICETransportAddress, ICETransportAddress?) -> Void
    ) async throws -> UDPSocket {
        let channel = try await makeChannel(host: host, port: port, on: eventLoop, onDatagram: onDatagram).get()
        guard let address = channel.localAddress.flatMap(ICETransportAddress.init(socketAddress:)) else {
            try? await channel.close()
            throw PeerConnectionError(.transportFailed, "the UDP socket has no usable local address")
        }
        let socket = UDPSocket(channel: channel, localAddress: address, eventLoop: eventLoop, onDatagram: onDatagram)
        eventLoop.execute { socket.watch(channel) }
        return socket
    }

    private static func makeChannel(
        host: String, port: Int, on eventLoop: any EventLoop,
        onDatagram: @escaping @Sendable (ByteBuffer, ICETransportAddress, ICETransportAddress?) -> Void
    ) -> EventLoopFuture<any Channel> {
        DatagramBootstrap(group: eventLoop)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.receivePacketInfo, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DatagramHandler(onDatagram: onDatagram))
                }
            }
            .bind(host: host, port: port)
    }

    /// Binds the socket's address again when `channel` closes without ``close()``.
    private func watch(_ channel: any Channel) {
        channel.closeFuture.whenComplete { [self] _ in
            guard !state.value.isClosing, state.value.channel === channel else { return }
            state.value.rebinds += 1
            UDPSocket.makeChannel(
                host: localAddress.ip.description, port: Int(localAddress.port), on: eventLoop, onDatagram: onDatagram
            ).whenComplete { [self] result in
                switch result {
                case .success(let replacement):
                    guard !state.value.isClosing else {
                        replacement.close(promise: nil)
                        return
                    }
                    state.value.channel = replacement
                    watch(replacement)
                case .failure:
                    // The address is gone (the interface went away): the
                    // socket stays closed; ICE consent notices the silence.
                    break
                }
            }
        }
    }

    /// How many times the socket was bound again after a send error closed it.
    /// Call on the socket's event loop.
    var rebinds: Int { state.value.rebinds }

    /// Sends one datagram. Call on the socket's event loop.
    func send(_ bytes: [UInt8], to destination: ICETransportAddress) {
        guard let remote = try? destination.socketAddress() else { return }
        let channel = state.value.channel
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: buffer), promise: nil)
    }

    /// Closes the socket (from any thread: off its event loop, the close runs there).
    func close() {
        guard eventLoop.inEventLoop else {
            eventLoop.execute { self.close() }
            return
        }
        state.value.isClosing = true
        state.value.channel.close(promise: nil)
    }
}

/// Passes each inbound datagram to a closure.
private final class DatagramHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    let onDatagram: @Sendable (ByteBuffer, ICETransportAddress, ICETransportAddress?) -> Void

    init(onDatagram: @escaping @Sendable (ByteBuffer, ICETransportAddress, ICETransportAddress?) -> Void) {
        self.onDatagram = onDatagram
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let source = ICETransportAddress(socketAddress: envelope.remoteAddress) else { return }
        // The packet info carries the destination IP; its port is the socket's.
        let destinationIP = envelope.metadata?.packetInfo?.destinationAddress.ipAddress
        let port = context.channel.localAddress?.port.flatMap { UInt16(exactly: $0) }
        let destination = destinationIP.flatMap { ip in port.flatMap { ICETransportAddress(host: ip, port: $0) } }
            ?? context.channel.localAddress.flatMap(ICETransportAddress.init(socketAddress:))
        onDatagram(envelope.data, source, destination)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP errors (port unreachable) surface here; ICE's checks and consent
        // handle unreachable peers, so the socket stays open.
    }
}

extension ICETransportAddress {
    /// The NIO form of this address.
    func socketAddress() throws -> SocketAddress {
        try SocketAddress(ipAddress: ip.description, port: Int(port))
    }

    /// An ICE address from a NIO socket address (IPv4 or IPv6 only).
    init?(socketAddress: SocketAddress) {
        guard let ip = socketAddress.ipAddress, let port = socketAddress.port, let port16 = UInt16(exactly: port) else {
            return nil
        }
        self.init(host: ip, port: port16)
    }
}
