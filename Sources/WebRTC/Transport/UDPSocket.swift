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

    /// Queues one datagram; `flush()` sends what is queued. Call on the socket's
    /// event loop.
    func send(_ bytes: [UInt8], to destination: ICETransportAddress) {
        guard let remote = try? destination.socketAddress() else { return }
        let channel = state.value.channel
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        channel.write(AddressedEnvelope(remoteAddress: remote, data: buffer), promise: nil)
    }

    /// Sends the queued datagrams: several at once go to the kernel in one
    /// `sendmmsg` call. Call on the socket's event loop.
    func flush() {
        state.value.channel.flush()
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
        let local = context.channel.localAddress.flatMap(ICETransportAddress.init(socketAddress:))
        let destinationIP = envelope.metadata?.packetInfo.flatMap { ICETransportAddress(socketAddress: $0.destinationAddress)?.ip }
        let destination = destinationIP.flatMap { ip in local.map { ICETransportAddress(ip: ip, port: $0.port) } } ?? local
        onDatagram(envelope.data, source, destination)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP errors (port unreachable) surface here; ICE's checks and consent
        // handle unreachable peers, so the socket stays open.
    }
}

extension ICETransportAddress {
    /// The NIO form of this address, built from the address's bytes (no text
    /// is formatted or parsed: this runs for every datagram sent).
    func socketAddress() throws -> SocketAddress {
        if let value = ip.ipv4Value {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = value.bigEndian
            return SocketAddress(address, host: "")
        }
        guard let (high, low) = ip.ipv6Value else {
            throw SocketAddressError.unsupported
        }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = port.bigEndian
        withUnsafeMutableBytes(of: &address.sin6_addr) { bytes in
            bytes.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
            bytes.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
        }
        return SocketAddress(address, host: "")
    }

    /// An ICE address from a NIO socket address (IPv4 or IPv6 only), read from
    /// its bytes (no text: this runs for every datagram received).
    init?(socketAddress: SocketAddress) {
        switch socketAddress {
        case .v4(let v4):
            self.init(
                ip: ICEIPAddress(ipv4: UInt32(bigEndian: v4.address.sin_addr.s_addr)),
                port: UInt16(bigEndian: v4.address.sin_port))
        case .v6(let v6):
            var address = v6.address
            let (high, low) = withUnsafeBytes(of: &address.sin6_addr) { bytes in
                (
                    UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                    UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                )
            }
            self.init(ip: ICEIPAddress(ipv6High: high, low: low), port: UInt16(bigEndian: address.sin6_port))
        default:
            return nil
        }
    }
}
