internal import Foundation

/// One message of the signalling protocol: the seed's three call messages,
/// the two role claims, and the server's compatible extensions.
///
/// On the wire every message is a JSON object with a `type` field; see
/// `Documentation/Signaling.md`. Unknown extra fields are ignored when
/// decoding (the server relays call messages unchanged, so they survive).
public enum SignalingMessage: Sendable, Hashable {
    /// `{"type":"sender"}` or `{"type":"receiver"}`: take a role in the room.
    case register(SignalingRole)
    /// `{"type":"createOffer","sdp":{...}}`: the sender's offer.
    case createOffer(SessionDescription)
    /// `{"type":"createAnswer","sdp":{...}}`: the receiver's answer.
    case createAnswer(SessionDescription)
    /// `{"type":"iceCandidate","candidate":{...}}`: a trickled candidate;
    /// `nil` (JSON `null`) marks the end of candidates.
    case iceCandidate(ICECandidateInit?)
    /// `{"type":"registered","role":"sender","room":"default"}`: the server accepted the role.
    case registered(role: SignalingRole, room: String)
    /// `{"type":"peer-joined","role":"receiver"}`: the other role is present in the room.
    case peerJoined(SignalingRole)
    /// `{"type":"peer-left","role":"receiver"}`: the other role left the room.
    case peerLeft(SignalingRole)
    /// `{"type":"error","code":"role-taken","message":"..."}`: the server refused something.
    case error(SignalingError)
    /// `{"type":"ice-servers","iceServers":[{"urls":[...],"username":"...","credential":"..."}]}`:
    /// the STUN and TURN servers to use, sent by a server configured with
    /// them just before `registered`. Clients written against the seed ignore it.
    case iceServers([SignalingICEServer])

    /// The value of the `type` field for this message.
    public var type: String {
        switch self {
        case .register(let role): role.rawValue
        case .createOffer: "createOffer"
        case .createAnswer: "createAnswer"
        case .iceCandidate: "iceCandidate"
        case .registered: "registered"
        case .peerJoined: "peer-joined"
        case .peerLeft: "peer-left"
        case .error: "error"
        case .iceServers: "ice-servers"
        }
    }
}

// MARK: - JSON

extension SignalingMessage {
    /// Parses one message from its JSON text.
    ///
    /// - Throws: `SignalingError` with `.malformedJSON` when the text is not
    ///   JSON, `.invalidMessage` when it is not an object with the fields its
    ///   type needs, and `.unknownType` for a `type` the protocol lacks.
    public init(json text: String) throws(SignalingError) {
        guard StrictJSON.isValid(text) else {
            throw SignalingError(.malformedJSON, "the message is not valid JSON")
        }
        do {
            self = try JSONDecoder().decode(SignalingMessage.self, from: Data(text.utf8))
        } catch let error as SignalingError {
            throw error
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw SignalingError(.malformedJSON, "the message is not valid JSON")
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
            throw SignalingError(.invalidMessage, "a message must be a JSON object")
        } catch {
            throw SignalingError(.invalidMessage, "the message does not have the fields its type needs")
        }
    }

    /// The message as compact JSON text, in the shape the seed's pages use.
    public func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain value types cannot fail.
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self)
    }
}

extension SignalingMessage: Codable {
    private enum Key: String, CodingKey {
        case type, sdp, candidate, role, room, code, message, iceServers
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard let type = try? container.decode(String.self, forKey: .type) else {
            throw SignalingError(.invalidMessage, "a message needs a string field \"type\"")
        }
        switch type {
        case "sender":
            self = .register(.sender)
        case "receiver":
            self = .register(.receiver)
        case "createOffer":
            self = .createOffer(try Self.decodeDescription(in: container, defaultKind: .offer))
        case "createAnswer":
            self = .createAnswer(try Self.decodeDescription(in: container, defaultKind: .answer))
        case "iceCandidate":
            self = .iceCandidate(try Self.decodeCandidate(in: container))
        case "registered":
            self = .registered(
                role: try Self.decodeField(SignalingRole.self, .role, in: container, type: type),
                room: try Self.decodeField(String.self, .room, in: container, type: type)
            )
        case "peer-joined":
            self = .peerJoined(try Self.decodeField(SignalingRole.self, .role, in: container, type: type))
        case "peer-left":
            self = .peerLeft(try Self.decodeField(SignalingRole.self, .role, in: container, type: type))
        case "error":
            let code = try Self.decodeField(String.self, .code, in: container, type: type)
            let message = (try? container.decode(String.self, forKey: .message)) ?? ""
            self = .error(SignalingError(.init(rawValue: code), message))
        case "ice-servers":
            self = .iceServers(try Self.decodeField([SignalingICEServer].self, .iceServers, in: container, type: type))
        default:
            throw SignalingError(.unknownType, "unknown message type \"\(type)\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .register:
            break
        case .createOffer(let description), .createAnswer(let description):
            try container.encode(description, forKey: .sdp)
        case .iceCandidate(let candidate?):
            try container.encode(candidate, forKey: .candidate)
        case .iceCandidate(nil):
            try container.encodeNil(forKey: .candidate)
        case .registered(let role, let room):
            try container.encode(role, forKey: .role)
            try container.encode(room, forKey: .room)
        case .peerJoined(let role), .peerLeft(let role):
            try container.encode(role, forKey: .role)
        case .error(let error):
            try container.encode(error.code.rawValue, forKey: .code)
            try container.encode(error.message, forKey: .message)
        case .iceServers(let servers):
            try container.encode(servers, forKey: .iceServers)
        }
    }

    private static func decodeField<T: Decodable>(
        _: T.Type, _ key: Key, in container: KeyedDecodingContainer<Key>, type: String
    ) throws -> T {
        guard let value = try? container.decode(T.self, forKey: key) else {
            throw SignalingError(.invalidMessage, "\"\(type)\" needs a valid field \"\(key.rawValue)\"")
        }
        return value
    }

    /// `sdp` is an `RTCSessionDescriptionInit` object in the seed, or a bare SDP string.
    private static func decodeDescription(
        in container: KeyedDecodingContainer<Key>, defaultKind: SessionDescription.Kind
    ) throws -> SessionDescription {
        if let text = try? container.decode(String.self, forKey: .sdp) {
            return SessionDescription(type: defaultKind, sdp: text)
        }
        if let description = try? container.decode(SessionDescription.self, forKey: .sdp) {
            return description
        }
        throw SignalingError(
            .invalidMessage, "\"\(defaultKind == .offer ? "createOffer" : "createAnswer")\" needs a field \"sdp\" holding a session description")
    }

    /// `candidate` is an `RTCIceCandidateInit` object, `null` (end of candidates), or a bare candidate string.
    private static func decodeCandidate(in container: KeyedDecodingContainer<Key>) throws -> ICECandidateInit? {
        guard container.contains(.candidate) else {
            throw SignalingError(.invalidMessage, "\"iceCandidate\" needs a field \"candidate\"")
        }
        if (try? container.decodeNil(forKey: .candidate)) == true {
            return nil
        }
        if let text = try? container.decode(String.self, forKey: .candidate) {
            return ICECandidateInit(candidate: text)
        }
        if let candidate = try? container.decode(ICECandidateInit.self, forKey: .candidate) {
            return candidate
        }
        throw SignalingError(.invalidMessage, "\"candidate\" must be an RTCIceCandidateInit object, a string or null")
    }
}
