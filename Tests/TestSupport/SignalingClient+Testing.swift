public import SignalingCore

extension SignalingClient {
    /// The next message from the server, failing after `limit` instead of hanging.
    public func nextMessage(within limit: Duration = .seconds(5)) async throws -> SignalingMessage {
        let messages = self.messages
        return try await withDeadline(limit, "a signalling message") {
            for try await message in messages {
                return message
            }
            throw SignalingError(.connectionClosed, "the message stream ended")
        }
    }

    /// Skips messages until one satisfies `match`, failing after `limit`.
    public func nextMessage(
        within limit: Duration = .seconds(5), where match: @escaping @Sendable (SignalingMessage) -> Bool
    ) async throws -> SignalingMessage {
        let messages = self.messages
        return try await withDeadline(limit, "a matching signalling message") {
            for try await message in messages where match(message) {
                return message
            }
            throw SignalingError(.connectionClosed, "the message stream ended")
        }
    }
}
