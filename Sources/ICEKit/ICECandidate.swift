/// An ICE candidate as a plain value: what the signalling layer gets from and
/// gives to the agent. ICEKit knows nothing of SDP; the SDP layer maps
/// `a=candidate` lines to and from this struct.
public struct ICECandidate: Hashable, Sendable, CustomStringConvertible {
    /// Where a candidate lives: an IP literal with a port, or an unresolved
    /// host name (such as a browser's mDNS `….local` name) with a port.
    public enum Address: Hashable, Sendable, CustomStringConvertible {
        /// An IP address and port.
        case ip(ICETransportAddress)
        /// A host name that has not been resolved, and a port.
        case hostname(String, port: UInt16)

        /// An IP address if `host` is an IPv4/IPv6 literal, a host name otherwise.
        public init(host: String, port: UInt16) {
            if let address = ICETransportAddress(host: host, port: port) {
                self = .ip(address)
            } else {
                self = .hostname(host, port: port)
            }
        }

        /// The IP transport address, nil for a host name.
        public var transportAddress: ICETransportAddress? {
            if case .ip(let address) = self { return address }
            return nil
        }

        /// The host part: the IP literal or the name.
        public var host: String {
            switch self {
            case .ip(let address): address.ip.description
            case .hostname(let name, _): name
            }
        }

        /// The port.
        public var port: UInt16 {
            switch self {
            case .ip(let address): address.port
            case .hostname(_, let port): port
            }
        }

        /// `host:port` (IPv6 in brackets).
        public var description: String {
            switch self {
            case .ip(let address): address.description
            case .hostname(let name, let port): "\(name):\(port)"
            }
        }
    }

    /// The foundation: equal for candidates of the same type, base and server (1 to 32 ice-chars).
    public var foundation: String
    /// The component ID; 1 with rtcp-mux, the only component the agent checks.
    public var component: Int
    /// The transport protocol.
    public var transport: ICETransportProtocol
    /// The candidate's priority (RFC 8445 section 5.1.2).
    public var priority: UInt32
    /// The candidate's address.
    public var address: Address
    /// The candidate type.
    public var type: ICECandidateType
    /// The related address (`raddr`/`rport`): the base of a reflexive candidate, if signalled.
    public var relatedAddress: Address?
    /// The username fragment of the ICE session the candidate belongs to, if known.
    public var ufrag: String?

    /// A candidate from its fields.
    public init(
        foundation: String,
        component: Int = 1,
        transport: ICETransportProtocol = .udp,
        priority: UInt32,
        address: Address,
        type: ICECandidateType,
        relatedAddress: Address? = nil,
        ufrag: String? = nil
    ) {
        self.foundation = foundation
        self.component = component
        self.transport = transport
        self.priority = priority
        self.address = address
        self.type = type
        self.relatedAddress = relatedAddress
        self.ufrag = ufrag
    }

    /// The IP transport address, nil for an unresolved host name.
    public var transportAddress: ICETransportAddress? { address.transportAddress }

    /// For example `host 192.0.2.1:5000/udp priority 2130706431 foundation 1`.
    public var description: String {
        var text = "\(type.rawValue) \(address)/\(transport) priority \(priority) foundation \(foundation)"
        if let relatedAddress { text += " related \(relatedAddress)" }
        return text
    }

    // MARK: Priority and foundation

    /// The priority formula of RFC 8445 section 5.1.2.1:
    /// `2^24 * typePreference + 2^8 * localPreference + (256 - component)`.
    ///
    /// - Parameters:
    ///   - type: the candidate type; its ``ICECandidateType/typePreference`` is used.
    ///   - localPreference: 0...65535; higher for the interfaces to prefer. 65535 with one interface.
    ///   - component: 1...256.
    public static func priority(type: ICECandidateType, localPreference: UInt16 = 65535, component: Int = 1) -> UInt32 {
        let component = UInt32(clamping: min(max(component, 1), 256))
        return type.typePreference << 24 | UInt32(localPreference) << 8 | (256 - component)
    }

    /// A foundation (RFC 8445 section 5.1.1.3): the same for the same type,
    /// base IP address, STUN/TURN server address and transport, different
    /// otherwise (up to hash collisions). A decimal string of up to 10 digits,
    /// stable across runs and processes.
    public static func foundation(
        type: ICECandidateType,
        baseAddress: ICEIPAddress,
        serverAddress: ICEIPAddress? = nil,
        transport: ICETransportProtocol = .udp
    ) -> String {
        // FNV-1a, 32 bits: deterministic, unlike Hasher.
        var hash: UInt32 = 0x811C_9DC5
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                hash ^= UInt32(byte)
                hash &*= 0x0100_0193
            }
            hash ^= 0xFF
            hash &*= 0x0100_0193
        }
        mix(type.rawValue.utf8)
        mix(baseAddress.bytes)
        mix(serverAddress?.bytes ?? [])
        mix(transport.rawValue.utf8)
        return String(hash)
    }
}
