public import ArgumentParser
public import SecureTransport

/// The `--srtp-backend` option `webrtc-send` and `webrtc-recv` share: which
/// library protects the media (both put the same bytes on the wire).
public struct SRTPOptions: ParsableArguments, Sendable {
    @Option(
        name: .customLong("srtp-backend"),
        help: "The SRTP library: \(SRTPBackend.allCases.map(\.rawValue).joined(separator: " or ")) (default \(SRTPBackend.default)).")
    public var backendName: String = SRTPBackend.default.rawValue

    /// Creates the default options.
    public init() {}

    /// Refuses a name that is no backend.
    public func validate() throws {
        guard SRTPBackend(rawValue: backendName) != nil else {
            throw ValidationError(
                "--srtp-backend must be \(SRTPBackend.allCases.map(\.rawValue).joined(separator: " or ")), not \(backendName)")
        }
    }

    /// The chosen backend.
    public var backend: SRTPBackend { SRTPBackend(rawValue: backendName) ?? .default }
}
