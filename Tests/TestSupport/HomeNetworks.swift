/// Two home networks behind their own NATs, and a "public" network between
/// them, built from network namespaces (see `Documentation/NetworkTests.md`):
///
/// ```
///  lan1 10.0.1.2 ── 10.0.1.1 nat1 203.0.113.11 ─┐
///                                               ├─ br0 203.0.113.1  public (signal-server, coturn)
///  lan2 10.0.2.2 ── 10.0.2.1 nat2 203.0.113.12 ─┘
/// ```
///
/// Each NAT masquerades what leaves its WAN side, keeping ports (cone-like)
/// or randomising them (`random,fully-random`, symmetric-like), and lets
/// back only replies (conntrack). Like a home router's firewall it drops
/// unsolicited packets to its WAN address before conntrack keeps them: a
/// kept entry for a peer's early check would take the port the NAT must
/// reuse for the reply, and hole punching would fail. The home networks cannot reach each other
/// except through their NATs. Every NAT has an `inet lab` table with a
/// `forward` chain that tests may add rules to (loss, blackholes, counters).
public final class HomeNetworks: @unchecked Sendable {
    /// How a NAT maps ports.
    public enum NAT: Sendable {
        /// `masquerade`: the source port is kept where it can be (endpoint-independent mapping).
        case portKeeping
        /// `masquerade random,fully-random`: every new flow gets a random port (endpoint-dependent mapping).
        case portRandomising
    }

    /// The lab that owns the namespaces.
    public let lab: NetworkLab
    /// The public namespace (servers listen on ``serverAddress``).
    public let publicNamespace: String
    /// The NAT namespaces.
    public let nats: [String]
    /// The home namespaces; a peer runs in each, at ``homeAddresses``.
    public let homes: [String]

    /// The servers' address in the public namespace.
    public static let serverAddress = "203.0.113.1"
    /// The peers' addresses in their homes.
    public static let homeAddresses = ["10.0.1.2", "10.0.2.2"]
    /// The NATs' public addresses.
    public static let natAddresses = ["203.0.113.11", "203.0.113.12"]

    /// Builds the networks; `first` and `second` say how each NAT maps ports.
    public init(first: NAT, second: NAT) async throws {
        lab = try NetworkLab()
        publicNamespace = try await lab.addNamespace("pub")
        try await lab.addBridge("br0", in: publicNamespace, address: "\(Self.serverAddress)/24")
        // Like the internet, the public network swallows what goes to private
        // addresses (a relay sending to a peer's host candidate) instead of
        // failing the send: coturn ends an allocation whose send fails.
        try await lab.link(publicNamespace, "nowhere", nil, to: publicNamespace, "void", nil)
        try await lab.exec(publicNamespace, [NetworkLab.ipPath!, "route", "add", "default", "dev", "nowhere"])
        var nats: [String] = []
        var homes: [String] = []
        for (index, kind) in [first, second].enumerated() {
            let number = index + 1
            let nat = try await lab.addNamespace("nat\(number)")
            let home = try await lab.addNamespace("lan\(number)")
            try await lab.link(nat, "wan", "\(Self.natAddresses[index])/24", to: publicNamespace, "nat\(number)", nil)
            try await lab.attach("nat\(number)", to: "br0", in: publicNamespace)
            try await lab.link(home, "eth0", "\(Self.homeAddresses[index])/24", to: nat, "lan", "10.0.\(number).1/24")
            try await lab.exec(home, [NetworkLab.ipPath!, "route", "add", "default", "via", "10.0.\(number).1"])
            try await lab.exec(nat, [NetworkLab.ipPath!, "route", "add", "default", "via", Self.serverAddress])
            try await lab.exec(nat, ["/usr/sbin/sysctl", "-q", "-w", "net.ipv4.ip_forward=1"])
            let masquerade = kind == .portKeeping ? "masquerade" : "masquerade random,fully-random"
            try await lab.nft(nat, """
                table ip nat {
                    chain postrouting {
                        type nat hook postrouting priority srcnat; policy accept;
                        oifname "wan" \(masquerade)
                    }
                }
                table inet home {
                        chain input {
                            type filter hook input priority filter; policy accept;
                            iifname "wan" ct state new drop
                        }
                }
                table inet lab {
                    chain forward {
                        type filter hook forward priority filter; policy accept;
                    }
                }

                """)
            nats.append(nat)
            homes.append(home)
        }
        self.nats = nats
        self.homes = homes
    }

    /// Removes every namespace.
    public func tearDown() { lab.tearDown() }
}
