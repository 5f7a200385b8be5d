/// The `o=` line: who made the session description and its version
/// (RFC 8866 section 5.2).
public struct Origin: Sendable, Hashable, CustomStringConvertible {
    /// The user name, `-` when there is none (as in every WebRTC description).
    public var username: String
    /// The session identifier.
    public var sessionID: UInt64
    /// The session version; bumped on every change of the description.
    public var sessionVersion: UInt64
    /// The network type, `IN`.
    public var networkType: String
    /// The address type, `IP4` or `IP6`.
    public var addressType: String
    /// The originating host's address (WebRTC uses a placeholder such as `127.0.0.1`).
    public var unicastAddress: String

    /// Creates an origin; the defaults are what browsers put there.
    public init(
        username: String = "-", sessionID: UInt64, sessionVersion: UInt64 = 2,
        networkType: String = "IN", addressType: String = "IP4", unicastAddress: String = "127.0.0.1"
    ) {
        self.username = username
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.networkType = networkType
        self.addressType = addressType
        self.unicastAddress = unicastAddress
    }

    /// Parses the value of an `o=` line (what follows `o=`).
    init(parsing value: String) throws(SDPError) {
        let fields = TextScanning.fields(value[...])
        guard fields.count == 6, fields.allSatisfy(TextScanning.isToken) else {
            throw SDPError(.invalidOrigin, "o= needs six space-separated fields")
        }
        guard let id = TextScanning.unsigned(fields[1], as: UInt64.self),
            let version = TextScanning.unsigned(fields[2], as: UInt64.self)
        else {
            throw SDPError(.invalidOrigin, "o= session id and version must be numbers")
        }
        self.init(
            username: String(fields[0]), sessionID: id, sessionVersion: version,
            networkType: String(fields[3]), addressType: String(fields[4]), unicastAddress: String(fields[5]))
    }

    /// The value of the `o=` line.
    public var description: String {
        "\(username) \(sessionID) \(sessionVersion) \(networkType) \(addressType) \(unicastAddress)"
    }
}
