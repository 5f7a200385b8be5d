import HummingbirdWebSocket
import NIOWebSocket
import SignalingCore

/// Moves one WebSocket connection's frames into a `SignalingHub` and the
/// hub's outputs back onto the socket, until either side ends.
enum WebSocketRelayConnection {
    static func run(
        hub: SignalingHub,
        room: String?,
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        maxFrameBytes: Int
    ) async throws {
        let (id, outputs) = await hub.open(room: room)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await output in outputs {
                        switch output {
                        case .text(let text):
                            try await outbound.write(.text(text))
                        case .close(let reason):
                            try await outbound.close(WebSocketErrorCode(codeNumber: Int(reason.code)), reason: reason.reason)
                            return
                        }
                    }
                }
                group.addTask {
                    for try await message in inbound.messages(maxSize: maxFrameBytes) {
                        switch message {
                        case .text(let text):
                            await hub.receive(text: text, from: id)
                        case .binary:
                            await hub.receiveBinary(from: id)
                        }
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            await hub.close(id)
            throw error
        }
        await hub.close(id)
    }
}
