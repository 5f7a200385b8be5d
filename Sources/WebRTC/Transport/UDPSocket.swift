import ICEKit
import NIOCore
import NIOPosix

/// One bound UDP socket on an event loop: the only socket of a call (BUNDLE
/// and rtcp-mux put ICE, DTLS, RTP and RTCP on one 5-tuple).
///
/// Datagrams are handed to `onDatagram` on the socket's event loop, in order,
/// with their source and the local address they arrived at (which, on a
/// socket bound to `0.0.0.0`, names the interface: ICE needs it).
final class UDPSocket: Sendable {
    let channel: any Channel
    /// The address the socket is bound to.
    let localAddress: ICETransportAddress

    private init(channel: any Channel, localAddress: ICETransportAddress) {
        self.channel = channel
        self.localAddress = localAddress
    }

    /// Binds `host:port` (port 0 picks one) on `eventLoop`.
    static func bind(
        host: String, port: Int, on eventLoop: any EventLoop,
        onDatagram: @escaping @Sendable (ByteBuffer, ICETransportAddress, ICETransportAddress?) -> Void
    ) async throws -> UDPSocket {
        let channel = try await DatagramBootstrap(group: eventLoop)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.receivePacketInfo, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DatagramHandler(onDatagram: onDatagram))
                }
            }
            .bind(host: host, port: port).get()
        guard let address = channel.localAddress.flatMap(ICETransportAddress.init(socketAddress:)) else {
            try? await channel.close()
            throw PeerConnectionError(.transportFailed, "the UDP socket has no usable local address")
        }
        return UDPSocket(channel: channel, localAddress: address)
    }

    /// Sends one datagram. Call on the socket's event loop.
    func send(_ bytes: [UInt8], to destination: ICETransportAddress) {
        guard let remote = try? destination.socketAddress() else { return }
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: buffer), promise: nil)
    }

    /// Closes the socket.
    func close() {
        channel.close(promise: nil)
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
