/// A `c=` line: the connection address of the session or of one media
/// section (RFC 8866 section 5.7).
public struct ConnectionData: Sendable, Hashable, CustomStringConvertible {
    /// The network type, `IN`.
    public var networkType: String
    /// The address type, `IP4` or `IP6`.
    public var addressType: String
    /// The address, as written (a multicast address may carry `/ttl/count`).
    public var address: String

    /// Creates connection data; `ConnectionData()` is WebRTC's `IN IP4 0.0.0.0`.
    public init(networkType: String = "IN", addressType: String = "IP4", address: String = "0.0.0.0") {
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }

    /// Parses the value of a `c=` line.
    init(parsing value: String) throws(SDPError) {
        let fields = TextScanning.fields(value[...])
        guard fields.count == 3, fields.allSatisfy(TextScanning.isToken) else {
            throw SDPError(.invalidConnection, "c= needs <nettype> <addrtype> <address>")
        }
        self.init(networkType: String(fields[0]), addressType: String(fields[1]), address: String(fields[2]))
    }

    /// The value of the `c=` line.
    public var description: String { "\(networkType) \(addressType) \(address)" }
}
