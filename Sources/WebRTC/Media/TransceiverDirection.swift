/// Whether a transceiver sends, receives, both or neither, as
/// `RTCRtpTransceiverDirection` in a browser.
public enum TransceiverDirection: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Sends and receives.
    case sendrecv
    /// Sends only.
    case sendonly
    /// Receives only.
    case recvonly
    /// Neither.
    case inactive

    /// Creates the direction with the given halves.
    public init(sends: Bool, receives: Bool) {
        switch (sends, receives) {
        case (true, true): self = .sendrecv
        case (true, false): self = .sendonly
        case (false, true): self = .recvonly
        case (false, false): self = .inactive
        }
    }

    /// Whether this side sends.
    public var sends: Bool { self == .sendrecv || self == .sendonly }
    /// Whether this side receives.
    public var receives: Bool { self == .sendrecv || self == .recvonly }

    /// `sendrecv`, `sendonly`, ….
    public var description: String { rawValue }
}
