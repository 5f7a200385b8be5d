/// The DTLS machinery under a `DTLSEndpoint`: the handshake, record protection and
/// the retransmission timer, behind a seam so the endpoint's own logic (datagram
/// packing, events, state, mapping the timer onto the caller's time) does not
/// depend on OpenSSL.
///
/// **The clock lives here.** The endpoint is sans-IO and takes time as a
/// parameter, but OpenSSL's DTLS retransmission timer reads the wall clock
/// (`gettimeofday`) when it is armed, when `DTLSv1_get_timeout` reports the time
/// left and when `DTLSv1_handle_timeout` decides whether it expired; OpenSSL also
/// retransmits by itself inside a read once that wall-clock timer expired. So
/// `retransmitTimeRemaining()` is measured against the wall clock, and
/// `handleRetransmitTimer()` does nothing until the wall-clock timer expired.
/// The endpoint anchors the time left at the `now` of the input that produced
/// it, which matches a driver running on real time. A simulation on virtual time
/// either lets real time pass before losses are repaired, or puts a fake engine
/// here.
protocol DTLSEngine: AnyObject {
    /// Runs the handshake as far as the input so far allows (the client's first call
    /// writes the ClientHello).
    func continueHandshake() -> DTLSEngineStatus

    /// Hands one received datagram to the engine; a following `continueHandshake()`
    /// or `readApplicationData()` consumes it.
    func receive(_ datagram: UnsafeRawBufferPointer)

    /// After the handshake: the next piece of decrypted application data, `.none`
    /// when the input is used up, or how the connection ended.
    func readApplicationData() -> DTLSEngineRead

    /// Encrypts application data into one record; throws `.connectionFailed`.
    func writeApplicationData(_ bytes: UnsafeRawBufferPointer) throws

    /// The most application data one record within the MTU carries.
    var maximumApplicationDataSize: Int { get }

    /// Time left on the retransmission timer (see the type's note on the clock),
    /// or nil when no timer runs.
    func retransmitTimeRemaining() -> Duration?

    /// Retransmits the last flight if the timer expired; throws `.handshakeTimeout`
    /// once the engine gives up.
    func handleRetransmitTimer() throws

    /// Appends the DTLS records written since the last call, back to back, to `buffer`.
    func drainOutgoingRecords(into buffer: inout [UInt8])

    /// After the handshake: checks the peer's certificate against the expected
    /// fingerprint once more and exports the SRTP keys.
    func exportKeyingMaterial() throws -> SRTPKeyingMaterial

    /// Writes a `close_notify` alert.
    func shutdown()
}

/// Where a handshake stands after `DTLSEngine.continueHandshake()`.
enum DTLSEngineStatus {
    /// More input is needed.
    case inProgress
    /// The handshake finished.
    case complete
    /// The peer closed the connection.
    case closed
    /// The handshake failed.
    case failed(SecureTransportError)
}

/// One result of `DTLSEngine.readApplicationData()`.
enum DTLSEngineRead {
    /// Decrypted application data.
    case data([UInt8])
    /// Nothing more to read now.
    case none
    /// The peer sent `close_notify`.
    case closed
    /// A fatal error.
    case failed(SecureTransportError)
}
