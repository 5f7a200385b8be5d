/// A `SignalingChannel` connected to a `SignalingHub` in the same process,
/// with the same rules as the WebSocket server but no sockets: for tests and
/// for two native peers in one program.
public final class InMemorySignalingChannel: SignalingChannel {
    /// Messages the hub sent to this connection.
    public let inbound: AsyncThrowingStream<String, any Error>
    private let hub: SignalingHub
    private let id: ConnectionID

    /// Opens a connection to `hub` in `room` (the default room when `nil`).
    public init(hub: SignalingHub, room: String? = nil) async {
        let (id, outputs) = await hub.open(room: room)
        self.hub = hub
        self.id = id
        self.inbound = AsyncThrowingStream { continuation in
            let forward = Task {
                for await output in outputs {
                    switch output {
                    case .text(let text):
                        continuation.yield(text)
                    case .close(let reason):
                        continuation.finish(throwing: SignalingError(.connectionClosed, "the server closed the connection: \(reason.reason)"))
                        return
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in forward.cancel() }
        }
    }

    /// Delivers `text` to the hub as if it came over a WebSocket.
    public func send(text: String) async throws {
        guard await hub.receive(text: text, from: id) else {
            throw SignalingError(.connectionClosed, "the in-memory connection is closed")
        }
    }

    /// Delivers a binary frame of no content, as a misbehaving client would.
    public func sendBinary() async {
        await hub.receiveBinary(from: id)
    }

    /// Leaves the hub.
    public func close() async {
        await hub.close(id)
    }
}
