/// An ICE candidate (RFC 8839 section 5.1), as carried in `a=candidate`
/// lines and in trickled `candidate:…` strings.
///
/// Parsing keeps every field: Chromium's `generation`, `ufrag`, `network-id`
/// and `network-cost` get their own properties, and any other extension
/// name/value pair is kept in ``extensions`` in order. Printing writes the
/// fields in the order Chromium uses: `typ`, `raddr`, `rport`, `tcptype`,
/// `generation`, `ufrag`, `network-id`, `network-cost`, then the extensions.
public struct ICECandidate: Sendable, Hashable, CustomStringConvertible {
    /// The candidate type after `typ` (an open set: `host`, `srflx`, `prflx`, `relay`).
    public struct CandidateType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The token as written.
        public var rawValue: String
        /// Creates a candidate type from its token.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// A host candidate: an address of a local interface (or its mDNS name).
        public static let host = CandidateType(rawValue: "host")
        /// A server reflexive candidate, learned from a STUN server.
        public static let serverReflexive = CandidateType(rawValue: "srflx")
        /// A peer reflexive candidate, learned from a connectivity check.
        public static let peerReflexive = CandidateType(rawValue: "prflx")
        /// A relayed candidate, allocated on a TURN server.
        public static let relay = CandidateType(rawValue: "relay")
        /// The token.
        public var description: String { rawValue }
    }

    /// The transport protocol of a candidate. Comparison ignores letter case
    /// (`UDP` equals ``udp``) while the written form is kept for printing.
    public struct TransportProtocol: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The token as written.
        public var rawValue: String
        /// Creates a transport from its token.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// UDP.
        public static let udp = TransportProtocol(rawValue: "udp")
        /// TCP (RFC 6544).
        public static let tcp = TransportProtocol(rawValue: "tcp")
        /// Equal when the tokens match ignoring ASCII case.
        public static func == (lhs: TransportProtocol, rhs: TransportProtocol) -> Bool {
            lhs.rawValue.lowercased() == rhs.rawValue.lowercased()
        }
        /// Hashes the lowercased token.
        public func hash(into hasher: inout Hasher) { hasher.combine(rawValue.lowercased()) }
        /// The token as written.
        public var description: String { rawValue }
    }

    /// The TCP candidate type (RFC 6544): `active`, `passive` or `so`.
    public enum TCPType: String, Sendable, Hashable, CaseIterable {
        /// Opens outgoing connections only (Chromium's are on port 9).
        case active
        /// Accepts incoming connections.
        case passive
        /// Simultaneous open.
        case so
    }

    /// What kind of address ``address`` holds.
    public enum AddressType: Sendable, Hashable {
        /// A dotted-quad IPv4 literal.
        case ipv4
        /// An IPv6 literal.
        case ipv6
        /// A host name, such as Chromium's `<uuid>.local` mDNS names.
        case hostname
    }

    /// One extension attribute after the standard fields, kept as written.
    public struct Extension: Sendable, Hashable {
        /// The extension name.
        public var name: String
        /// The extension value.
        public var value: String
        /// Creates an extension attribute.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The foundation.
    public var foundation: String
    /// The component id: 1 for RTP (the only one with rtcp-mux).
    public var component: UInt16
    /// The transport, `udp` or `tcp` in any letter case.
    public var transport: TransportProtocol
    /// The priority.
    public var priority: UInt32
    /// The connection address: an IPv4 or IPv6 literal, or a host name such as `<uuid>.local`.
    public var address: String
    /// The port.
    public var port: UInt16
    /// The candidate type.
    public var type: CandidateType
    /// `raddr`: the related address, for reflexive and relayed candidates.
    public var relatedAddress: String?
    /// `rport`: the related port.
    public var relatedPort: UInt16?
    /// `tcptype`, for TCP candidates.
    public var tcpType: TCPType?
    /// `generation` (Chromium).
    public var generation: UInt32?
    /// `ufrag`: the ICE username fragment the candidate belongs to (Chromium's trickled form).
    public var ufrag: String?
    /// `network-id` (Chromium).
    public var networkID: UInt32?
    /// `network-cost` (Chromium).
    public var networkCost: UInt32?
    /// Any further extension attributes, in order.
    public var extensions: [Extension]

    /// Creates a candidate.
    public init(
        foundation: String, component: UInt16 = 1, transport: TransportProtocol = .udp, priority: UInt32,
        address: String, port: UInt16, type: CandidateType,
        relatedAddress: String? = nil, relatedPort: UInt16? = nil, tcpType: TCPType? = nil,
        generation: UInt32? = nil, ufrag: String? = nil, networkID: UInt32? = nil, networkCost: UInt32? = nil,
        extensions: [Extension] = []
    ) {
        self.foundation = foundation
        self.component = component
        self.transport = transport
        self.priority = priority
        self.address = address
        self.port = port
        self.type = type
        self.relatedAddress = relatedAddress
        self.relatedPort = relatedPort
        self.tcpType = tcpType
        self.generation = generation
        self.ufrag = ufrag
        self.networkID = networkID
        self.networkCost = networkCost
        self.extensions = extensions
    }

    /// Parses a trickled candidate string: `candidate:…`, with or without a
    /// leading `a=` and a trailing line ending, as browsers put in
    /// `RTCIceCandidate.candidate`.
    public init(parsing text: String) throws(SDPError) {
        var body = text[...]
        while let last = body.last, last == "\r\n" || last == "\n" || last == "\r" || last == " " {
            body = body.dropLast()
        }
        if body.hasPrefix("a=") { body = body.dropFirst(2) }
        guard body.hasPrefix("candidate:") else {
            throw SDPError(.invalidCandidate, "a candidate string starts with \"candidate:\"")
        }
        try self.init(parsingValue: body.dropFirst("candidate:".count))
    }

    /// Parses the attribute value (what follows `candidate:`).
    init(parsingValue text: Substring) throws(SDPError) {
        let words = TextScanning.words(text)
        guard words.count >= 8 else {
            throw SDPError(.invalidCandidate, "a candidate needs at least 8 fields, got \(words.count)")
        }
        guard TextScanning.isToken(words[0]), words[0].utf8.count <= 32 else {
            throw SDPError(.invalidCandidate, "bad foundation")
        }
        guard let component = TextScanning.unsigned(words[1], as: UInt16.self), (1...256).contains(component) else {
            throw SDPError(.invalidCandidate, "component id must be a number from 1 to 256")
        }
        guard TextScanning.isToken(words[2]) else {
            throw SDPError(.invalidCandidate, "bad transport")
        }
        guard let priority = TextScanning.unsigned(words[3], as: UInt32.self) else {
            throw SDPError(.invalidCandidate, "priority must be a 32-bit number")
        }
        guard ICECandidate.addressType(of: words[4]) != nil else {
            throw SDPError(.invalidCandidate, "connection address must be an IP literal or a host name")
        }
        guard let port = TextScanning.unsigned(words[5], as: UInt16.self) else {
            throw SDPError(.invalidCandidate, "port must be a number from 0 to 65535")
        }
        guard words[6] == "typ", TextScanning.isToken(words[7]) else {
            throw SDPError(.invalidCandidate, "the seventh field must be \"typ\" followed by the candidate type")
        }
        self.init(
            foundation: String(words[0]), component: component, transport: TransportProtocol(rawValue: String(words[2])),
            priority: priority, address: String(words[4]), port: port, type: CandidateType(rawValue: String(words[7])))

        let rest = words[8...]
        guard rest.count % 2 == 0 else {
            throw SDPError(.invalidCandidate, "extension attributes come in name/value pairs")
        }
        var index = rest.startIndex
        while index < rest.endIndex {
            let name = rest[index]
            let value = rest[index + 1]
            index += 2
            switch name {
            case "raddr":
                guard ICECandidate.addressType(of: value) != nil else {
                    throw SDPError(.invalidCandidate, "raddr must be an IP literal or a host name")
                }
                relatedAddress = String(value)
            case "rport":
                guard let port = TextScanning.unsigned(value, as: UInt16.self) else {
                    throw SDPError(.invalidCandidate, "rport must be a number from 0 to 65535")
                }
                relatedPort = port
            case "tcptype":
                guard let tcpType = TCPType(rawValue: String(value)) else {
                    throw SDPError(.invalidCandidate, "tcptype must be active, passive or so")
                }
                self.tcpType = tcpType
            case "generation":
                guard let number = TextScanning.unsigned(value, as: UInt32.self) else {
                    throw SDPError(.invalidCandidate, "generation must be a number")
                }
                generation = number
            case "ufrag":
                ufrag = String(value)
            case "network-id":
                guard let number = TextScanning.unsigned(value, as: UInt32.self) else {
                    throw SDPError(.invalidCandidate, "network-id must be a number")
                }
                networkID = number
            case "network-cost":
                guard let number = TextScanning.unsigned(value, as: UInt32.self) else {
                    throw SDPError(.invalidCandidate, "network-cost must be a number")
                }
                networkCost = number
            default:
                extensions.append(Extension(name: String(name), value: String(value)))
            }
        }
    }

    /// The kind of address ``address`` holds.
    public var addressType: AddressType {
        ICECandidate.addressType(of: address[...]) ?? .hostname
    }

    /// Whether ``address`` is an mDNS name (`….local`), as browsers use to hide local IPs.
    public var isMDNS: Bool {
        addressType == .hostname && address.lowercased().hasSuffix(".local")
    }

    /// The attribute value, without the leading `candidate:`.
    public var attributeValue: String {
        var text = "\(foundation) \(component) \(transport.rawValue) \(priority) \(address) \(port) typ \(type.rawValue)"
        if let relatedAddress { text += " raddr \(relatedAddress)" }
        if let relatedPort { text += " rport \(relatedPort)" }
        if let tcpType { text += " tcptype \(tcpType.rawValue)" }
        if let generation { text += " generation \(generation)" }
        if let ufrag { text += " ufrag \(ufrag)" }
        if let networkID { text += " network-id \(networkID)" }
        if let networkCost { text += " network-cost \(networkCost)" }
        for item in extensions { text += " \(item.name) \(item.value)" }
        return text
    }

    /// The trickle form, `candidate:…`, as browsers put in `RTCIceCandidate.candidate`.
    public var candidateString: String { "candidate:" + attributeValue }

    /// The trickle form, `candidate:…`.
    public var description: String { candidateString }

    // MARK: Address classification

    /// The address type of a literal or host name, or nil when it is neither.
    static func addressType(of text: Substring) -> AddressType? {
        if isIPv4(text) { return .ipv4 }
        if text.contains(":") { return isIPv6(text) ? .ipv6 : nil }
        return isHostname(text) ? .hostname : nil
    }

    static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            part.utf8.count <= 3 && TextScanning.unsigned(part, as: UInt16.self).map { $0 <= 255 } == true
        }
    }

    static func isIPv6(_ text: Substring) -> Bool {
        var address = text
        if let percent = address.firstIndex(of: "%") {  // zone index
            guard TextScanning.isToken(address[address.index(after: percent)...]) else { return false }
            address = address[..<percent]
        }
        guard address.utf8.count >= 2, address.utf8.count <= 45 else { return false }
        let halves = address.split(separator: "::", maxSplits: 2, omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return false }
        var groups = 0
        for (halfIndex, half) in halves.enumerated() where !half.isEmpty {
            let pieces = half.split(separator: ":", omittingEmptySubsequences: false)
            for (pieceIndex, piece) in pieces.enumerated() {
                let isLast = halfIndex == halves.count - 1 && pieceIndex == pieces.count - 1
                if isLast, piece.contains(".") {
                    guard isIPv4(piece) else { return false }
                    groups += 2
                } else {
                    guard (1...4).contains(piece.utf8.count), piece.utf8.allSatisfy(\.isHexDigit) else { return false }
                    groups += 1
                }
            }
        }
        return halves.count == 2 ? groups <= 7 : groups == 8
    }

    static func isHostname(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return labels.enumerated().allSatisfy { index, label in
            // A trailing dot (fully qualified form) leaves one empty last label.
            if label.isEmpty { return index > 0 && index == labels.count - 1 }
            return label.utf8.count <= 63 && label.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x5F
            }
        }
    }
}
