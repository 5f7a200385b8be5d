import Foundation
import SignalingCore

/// The DevTools protocol over Chromium's `--remote-debugging-pipe`: JSON
/// messages ended by a NUL byte, commands on the browser's fd 3 and replies
/// on its fd 4. Unlike the WebSocket endpoint it needs no network, so it
/// reaches a browser in another network namespace.
final class DevToolsPipe: SignalingChannel, @unchecked Sendable {
    let inbound: AsyncThrowingStream<String, any Error>
    private let continuation: AsyncThrowingStream<String, any Error>.Continuation
    private let commands: FileHandle
    private let lock = NSLock()
    private var pending: [UInt8] = []
    private var closed = false

    /// Reads replies from `replies` and writes commands to `commands`.
    init(commands: FileHandle, replies: FileHandle) {
        self.commands = commands
        (inbound, continuation) = AsyncThrowingStream.makeStream(of: String.self, throwing: (any Error).self)
        replies.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            if data.isEmpty {
                handle.readabilityHandler = nil
                self.continuation.finish()
                return
            }
            let messages: [String] = self.lock.withLock {
                pending.append(contentsOf: data)
                var found: [String] = []
                while let end = pending.firstIndex(of: 0) {
                    found.append(String(decoding: pending[..<end], as: UTF8.self))
                    pending.removeSubrange(...end)
                }
                // A browser that never ends a message cannot grow this without bound.
                if pending.count > 64 << 20 { pending.removeAll() }
                return found
            }
            for message in messages { self.continuation.yield(message) }
        }
    }

    func send(text: String) async throws {
        let open = lock.withLock { !closed }
        guard open else { throw SignalingError(.connectionClosed, "the DevTools pipe is closed") }
        try commands.write(contentsOf: Data(text.utf8) + [0])
    }

    func close() async {
        let wasOpen = lock.withLock { () -> Bool in
            defer { closed = true }
            return !closed
        }
        if wasOpen { try? commands.close() }
        continuation.finish()
    }
}
