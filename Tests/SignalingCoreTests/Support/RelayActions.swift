import SignalingCore

/// Reading what the relay asked the driver to do.
extension [RelayAction] {
    /// The text frames sent to `id`, in order, exactly as the relay produced them.
    func texts(to id: ConnectionID) -> [String] {
        compactMap { action in
            guard case .send(let text, let recipient) = action, recipient == id else { return nil }
            return text
        }
    }

    /// The frames sent to `id`, parsed.
    func messages(to id: ConnectionID) throws -> [SignalingMessage] {
        try texts(to: id).map { try SignalingMessage(json: $0) }
    }

    /// The codes of the error replies sent to `id`, in order.
    func errorCodes(to id: ConnectionID) throws -> [SignalingError.Code] {
        try messages(to: id).compactMap(\.errorCode)
    }

    /// Every connection that was sent anything.
    var recipients: Set<ConnectionID> {
        Set(compactMap { action in
            guard case .send(_, let recipient) = action else { return nil }
            return recipient
        })
    }

    /// The reasons `id` was closed for (at most one, normally).
    func closeReasons(of id: ConnectionID) -> [RelayCloseReason] {
        compactMap { action in
            guard case .close(let closed, let reason) = action, closed == id else { return nil }
            return reason
        }
    }

    /// Every connection that was closed.
    var closedConnections: Set<ConnectionID> {
        Set(compactMap { action in
            guard case .close(let closed, _) = action else { return nil }
            return closed
        })
    }
}

extension SignalingMessage {
    /// The code of an `error` message, `nil` for any other message.
    var errorCode: SignalingError.Code? {
        guard case .error(let error) = self else { return nil }
        return error.code
    }
}

extension RelayStateMachine {
    /// Opens `id` in `room` and, when `role` is given, registers it; returns
    /// the actions of both steps.
    @discardableResult
    mutating func join(
        _ id: ConnectionID, as role: SignalingRole?, room: String? = nil, at now: ContinuousClock.Instant
    ) -> [RelayAction] {
        var actions = connectionOpened(id, room: room, at: now)
        if let role {
            actions += textReceived(SignalingMessage.register(role).jsonText(), from: id, at: now)
        }
        return actions
    }
}
