public import Logging
public import NIOSSL

/// The signalling client a native peer uses: take a role, send the call
/// messages, and read what the other side sends.
///
/// ```swift
/// let client = try await SignalingClient.connect(to: "ws://127.0.0.1:8080/", room: "demo")
/// try await client.register(as: .sender)
/// try await client.send(.createOffer(SessionDescription(type: .offer, sdp: sdp)))
/// for try await message in client.messages { ... }
/// ```
public actor SignalingClient {
    /// Every message from the server, in order, except the `registered` reply
    /// and the errors that `register(as:timeout:)` consumes, and `ice-servers`
    /// (kept in ``iceServers``). Finishes when the channel closes.
    public nonisolated let messages: AsyncThrowingStream<SignalingMessage, any Error>

    private let channel: any SignalingChannel
    private let logger: Logger
    private let messagesContinuation: AsyncThrowingStream<SignalingMessage, any Error>.Continuation
    private var registrationWaiter: CheckedContinuation<String, any Error>?

    /// The ICE servers the signalling server handed out (its `ice-servers`
    /// message, which comes before `registered`); empty when it sent none.
    /// Read it after ``register(as:timeout:)`` returns.
    public private(set) var iceServers: [SignalingICEServer] = []
    private var pump: Task<Void, Never>?
    /// Set once the server's side of the channel has ended.
    private var inboundEnded = false

    /// Wraps a channel. Start reading with `messages`.
    public init(channel: any SignalingChannel, logger: Logger = Logger(label: "signaling.client")) {
        self.channel = channel
        self.logger = logger
        (messages, messagesContinuation) = AsyncThrowingStream.makeStream(of: SignalingMessage.self, throwing: (any Error).self)
    }

    /// Connects over a WebSocket to a signalling server.
    ///
    /// - Parameters:
    ///   - url: The server's WebSocket URL, such as `ws://127.0.0.1:8080/`.
    ///   - room: The room to join, added as `?room=`; the server's default room when `nil`.
    ///   - tlsConfiguration: TLS settings for `wss://` URLs.
    public static func connect(
        to url: String,
        room: String? = nil,
        tlsConfiguration: TLSConfiguration? = nil,
        logger: Logger = Logger(label: "signaling.client")
    ) async throws -> SignalingClient {
        let channel = try await WebSocketSignalingChannel.connect(
            url: Self.url(url, joining: room), tlsConfiguration: tlsConfiguration, logger: logger)
        return SignalingClient(channel: channel, logger: logger)
    }

    /// `url` with `room=NAME` added to its query.
    static func url(_ url: String, joining room: String?) -> String {
        guard let room else { return url }
        let encoded = room.addingPercentEncodingForQuery()
        return url + (url.contains("?") ? "&" : "?") + "room=" + encoded
    }

    /// Claims `role` in the room and waits for the server to accept it.
    ///
    /// - Returns: The name of the room joined.
    /// - Throws: The server's `SignalingError` (such as `.roleTaken`), or
    ///   `.timeout` / `.connectionClosed`.
    @discardableResult
    public func register(as role: SignalingRole, timeout: Duration = .seconds(10)) async throws -> String {
        startPumpIfNeeded()
        precondition(registrationWaiter == nil, "register(as:) is already waiting")
        if inboundEnded {
            throw SignalingError(.connectionClosed, "the signalling connection closed")
        }
        let timer = Task { [weak self] in
            // A cancelled timer means the reply came in time.
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            await self?.failRegistration(SignalingError(.timeout, "no reply to the \(role.rawValue) registration within \(timeout)"))
        }
        defer { timer.cancel() }
        let channel = self.channel
        return try await withCheckedThrowingContinuation { continuation in
            // The waiter is in place before the claim goes out, so a reply
            // that arrives while `send` is still returning is not missed.
            registrationWaiter = continuation
            Task {
                do {
                    try await channel.send(text: SignalingMessage.register(role).jsonText())
                } catch {
                    self.registrationSendFailed(error)
                }
            }
        }
    }

    /// Sends one message to the server.
    public func send(_ message: SignalingMessage) async throws {
        startPumpIfNeeded()
        try await channel.send(text: message.jsonText())
    }

    /// Closes the connection; `messages` finishes.
    public func close() async {
        await channel.close()
        pump?.cancel()
        inboundEnded = true
        failRegistration(SignalingError(.connectionClosed, "the signalling connection was closed"))
        messagesContinuation.finish()
    }

    // MARK: Reading

    private func startPumpIfNeeded() {
        guard pump == nil else { return }
        let inbound = channel.inbound
        pump = Task { [weak self] in
            do {
                for try await text in inbound {
                    await self?.handle(text)
                }
                await self?.finish(throwing: nil)
            } catch {
                await self?.finish(throwing: error)
            }
        }
    }

    private func handle(_ text: String) {
        let message: SignalingMessage
        do {
            message = try SignalingMessage(json: text)
        } catch {
            logger.warning("dropping a message the client cannot parse", metadata: ["error": "\(error)"])
            return
        }
        if case .iceServers(let servers) = message {
            iceServers = servers
            return
        }
        if let waiter = registrationWaiter {
            switch message {
            case .registered(_, let room):
                registrationWaiter = nil
                waiter.resume(returning: room)
                return
            case .error(let error):
                registrationWaiter = nil
                waiter.resume(throwing: error)
                return
            default:
                break
            }
        }
        messagesContinuation.yield(message)
    }

    private func failRegistration(_ error: any Error) {
        registrationWaiter?.resume(throwing: error)
        registrationWaiter = nil
    }

    /// The claim could not be sent. A server that refuses a connection (an
    /// invalid room, say) sends its reason and closes at once, so the send
    /// can fail before that reason has been read: while the server's side is
    /// still open, the end of `inbound` settles the registration instead,
    /// with the server's error when it sent one.
    private func registrationSendFailed(_ error: any Error) {
        if inboundEnded { failRegistration(error) }
    }

    private func finish(throwing error: (any Error)?) {
        inboundEnded = true
        failRegistration(SignalingError(.connectionClosed, "the signalling connection closed"))
        messagesContinuation.finish(throwing: error)
    }
}

extension String {
    /// Percent-encodes everything but the URL query's unreserved characters.
    fileprivate func addingPercentEncodingForQuery() -> String {
        var result = ""
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.append(Character(UnicodeScalar(byte)))
            default:
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }

    private func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
