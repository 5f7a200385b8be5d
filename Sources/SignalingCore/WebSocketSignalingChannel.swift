public import Logging
public import NIOSSL
import NIOCore
import Synchronization
import WSClient

/// A `SignalingChannel` over a WebSocket (`ws://` or `wss://`).
///
/// It is a plain text WebSocket; nothing in it is specific to the relay, so
/// it also serves other JSON-over-WebSocket protocols.
public final class WebSocketSignalingChannel: SignalingChannel {
    private enum Command: Sendable {
        case text(String)
        case close
    }

    /// Text frames from the server, in order.
    public let inbound: AsyncThrowingStream<String, any Error>
    private let commands: AsyncStream<Command>.Continuation
    private let connection: Task<Void, Never>
    private let isClosed = Mutex(false)

    private init(inbound: AsyncThrowingStream<String, any Error>, commands: AsyncStream<Command>.Continuation, connection: Task<Void, Never>) {
        self.inbound = inbound
        self.commands = commands
        self.connection = connection
    }

    /// Connects to `url` and returns once the WebSocket is open.
    ///
    /// - Parameters:
    ///   - url: `ws://host:port/path?query` or `wss://...`.
    ///   - tlsConfiguration: TLS settings for `wss://`; the system's trust roots when `nil`.
    ///   - maxMessageBytes: The largest message accepted from the server.
    ///   - logger: Where connection events are logged.
    /// - Throws: `SignalingError` `.connectionClosed` when the connection
    ///   cannot be opened, and `.invalidMessage` for a `wss://` URL whose host
    ///   is an IP address unless `tlsConfiguration` pins the certificate
    ///   (its own trust roots and `.noHostnameVerification`): TLS cannot send
    ///   an address as SNI, and the address is then not checked against the
    ///   certificate, only the pinned certificate is trusted.
    public static func connect(
        url: String,
        tlsConfiguration: TLSConfiguration? = nil,
        maxMessageBytes: Int = 1 << 20,
        logger: Logger = Logger(label: "signaling.websocket")
    ) async throws -> WebSocketSignalingChannel {
        var configuration = WebSocketClientConfiguration()
        configuration.maxFrameSize = maxMessageBytes
        if url.lowercased().hasPrefix("wss://"), hostIsIPAddress(in: url) {
            guard let tlsConfiguration, tlsConfiguration.certificateVerification == .noHostnameVerification else {
                throw SignalingError(
                    .invalidMessage, "\(url): wss:// to an IP address needs the server's certificate pinned (webrtc-send/-recv: --ca-cert), or a host name")
            }
            // SNI must be a name; the server does not need one.
            configuration.sniHostname = "signalling.invalid"
        }
        let (inbound, inboundContinuation) = AsyncThrowingStream.makeStream(of: String.self, throwing: (any Error).self)
        let (commands, commandContinuation) = AsyncStream.makeStream(of: Command.self)
        // The first element tells whether the socket opened; later ones are ignored.
        let (openResults, openContinuation) = AsyncStream.makeStream(of: Result<Void, SignalingError>.self)

        let connection = Task { [configuration] in
            do {
                try await WebSocketClient.connect(
                    url: url, configuration: configuration, tlsConfiguration: tlsConfiguration, logger: logger
                ) { inboundFrames, outbound, _ in
                    openContinuation.yield(.success(()))
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for try await message in inboundFrames.messages(maxSize: maxMessageBytes) {
                                if case .text(let text) = message {
                                    inboundContinuation.yield(text)
                                }
                            }
                        }
                        group.addTask {
                            for await command in commands {
                                switch command {
                                case .text(let text):
                                    try await outbound.write(.text(text))
                                case .close:
                                    try await outbound.close(.normalClosure, reason: nil)
                                    return
                                }
                            }
                        }
                        // Whichever side ends first ends the connection.
                        try await group.next()
                        group.cancelAll()
                    }
                }
                inboundContinuation.finish()
            } catch {
                logger.debug("websocket ended with an error", metadata: ["error": "\(error)"])
                inboundContinuation.finish(throwing: SignalingError(.connectionClosed, "websocket to \(url) failed: \(error)"))
                openContinuation.yield(.failure(SignalingError(.connectionClosed, "could not open a websocket to \(url): \(error)")))
            }
            commandContinuation.finish()
            openContinuation.yield(.failure(SignalingError(.connectionClosed, "the websocket to \(url) closed")))
            openContinuation.finish()
        }

        var results = openResults.makeAsyncIterator()
        switch await results.next() ?? .failure(SignalingError(.connectionClosed, "cancelled while connecting to \(url)")) {
        case .success:
            return WebSocketSignalingChannel(inbound: inbound, commands: commandContinuation, connection: connection)
        case .failure(let error):
            connection.cancel()
            throw error
        }
    }

    /// Whether the host part of `url` is an IPv4 or bracketed IPv6 literal.
    public static func hostIsIPAddress(in url: String) -> Bool {
        guard let schemeEnd = url.range(of: "://") else { return false }
        let rest = url[schemeEnd.upperBound...]
        if rest.hasPrefix("[") { return true }
        let host = rest.prefix { $0 != ":" && $0 != "/" && $0 != "?" }
        return !host.isEmpty && host.allSatisfy { $0.isNumber || $0 == "." }
    }

    /// Sends one text frame.
    public func send(text: String) async throws {
        guard !isClosed.withLock({ $0 }) else {
            throw SignalingError(.connectionClosed, "the websocket is closed")
        }
        if case .terminated = commands.yield(.text(text)) {
            throw SignalingError(.connectionClosed, "the websocket is closed")
        }
    }

    /// Sends a close frame and waits up to `closeTimeout` for the close
    /// handshake; after that the connection is dropped.
    public func close() async {
        let wasClosed = isClosed.withLock { closed in
            defer { closed = true }
            return closed
        }
        if !wasClosed {
            commands.yield(.close)
            commands.finish()
        }
        let connection = self.connection
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let waiter = ResumeOnce(continuation)
            Task {
                await connection.value
                waiter.resume()
            }
            Task {
                // Over TLS some servers hold the socket open after the close
                // frame; a client that is leaving need not wait for that.
                try? await Task.sleep(for: Self.closeTimeout)
                connection.cancel()
                waiter.resume()
            }
        }
    }

    /// How long `close()` waits for the server to finish the close handshake.
    static let closeTimeout: Duration = .seconds(1)
}

/// Resumes a continuation the first time `resume()` is called, from any task.
private final class ResumeOnce: Sendable {
    private let continuation: Mutex<CheckedContinuation<Void, Never>?>

    init(_ continuation: CheckedContinuation<Void, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume() {
        continuation.withLock { $0.take() }?.resume()
    }
}
