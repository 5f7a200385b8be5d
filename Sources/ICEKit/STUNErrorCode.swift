/// The value of an ERROR-CODE attribute: a code from 300 to 699 and a reason phrase.
public struct STUNErrorCode: Hashable, Sendable, CustomStringConvertible {
    /// The numeric code, 300 through 699.
    public var code: Int
    /// The reason phrase.
    public var reason: String

    /// A code and its reason phrase. `code` must be in 300...699.
    public init(code: Int, reason: String) {
        precondition((300...699).contains(code), "STUN error codes are 300 through 699")
        self.code = code
        self.reason = reason
    }

    /// 300 Try Alternate.
    public static let tryAlternate = STUNErrorCode(code: 300, reason: "Try Alternate")
    /// 400 Bad Request.
    public static let badRequest = STUNErrorCode(code: 400, reason: "Bad Request")
    /// 401 Unauthenticated.
    public static let unauthenticated = STUNErrorCode(code: 401, reason: "Unauthenticated")
    /// 420 Unknown Attribute.
    public static let unknownAttribute = STUNErrorCode(code: 420, reason: "Unknown Attribute")
    /// 438 Stale Nonce.
    public static let staleNonce = STUNErrorCode(code: 438, reason: "Stale Nonce")
    /// 487 Role Conflict (RFC 8445).
    public static let roleConflict = STUNErrorCode(code: 487, reason: "Role Conflict")
    /// 500 Server Error.
    public static let serverError = STUNErrorCode(code: 500, reason: "Server Error")

    /// For example `487 Role Conflict`.
    public var description: String { "\(code) \(reason)" }
}
