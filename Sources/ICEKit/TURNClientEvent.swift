/// Something a ``TURNClient`` reports to its owner.
public enum TURNClientEvent: Hashable, Sendable {
    /// The server granted an allocation: `relayed` is the relayed transport
    /// address (a `relay` candidate), `mapped` the client's address as the
    /// server saw it (the candidate's related address).
    case allocated(relayed: ICETransportAddress, mapped: ICETransportAddress?, lifetime: Duration)
    /// No allocation could be made, or the one there was is lost (a refresh
    /// failed, the stream broke). The client is `failed`.
    case failed(TURNClientError)
}

/// Why a ``TURNClient`` failed.
public struct TURNClientError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The server's error code, if it sent one.
    public var errorCode: STUNErrorCode?
    /// What happened.
    public var message: String

    /// An error from its parts.
    public init(errorCode: STUNErrorCode? = nil, _ message: String) {
        self.errorCode = errorCode
        self.message = message
    }

    /// The message, with the server's code if any.
    public var description: String {
        errorCode.map { "\(message) (\($0))" } ?? message
    }
}
