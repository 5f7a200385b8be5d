/// A datagram the agent wants sent: from the local socket `source` to `destination`.
public struct ICETransmit: Hashable, Sendable {
    /// The STUN message.
    public var bytes: [UInt8]
    /// The local socket address to send from (one of the host candidates the caller added).
    public var source: ICETransportAddress
    /// Where to send it.
    public var destination: ICETransportAddress

    /// A transmit from its parts.
    public init(bytes: [UInt8], source: ICETransportAddress, destination: ICETransportAddress) {
        self.bytes = bytes
        self.source = source
        self.destination = destination
    }
}
