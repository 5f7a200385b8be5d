/// A bidirectional text pipe to a signalling server: the seam under
/// `SignalingClient`. `WebSocketSignalingChannel` is the real one;
/// `InMemorySignalingChannel` talks to an in-process `SignalingHub`.
public protocol SignalingChannel: Sendable {
    /// Text messages from the server, in order. The stream finishes when the
    /// channel closes, and throws if it failed.
    var inbound: AsyncThrowingStream<String, any Error> { get }

    /// Sends one text message.
    /// - Throws: `SignalingError` `.connectionClosed` once the channel is closed.
    func send(text: String) async throws

    /// Closes the channel. Safe to call more than once.
    func close() async
}
