import ExampleSupport
import SignalingCore
import WebRTC

/// The running call of `webrtc-recv`: answers the offer and relays candidates.
actor ReceiveSession {
    let connection: PeerConnection
    let client: SignalingClient
    let output: ProgramOutput
    private(set) var connectedAfterMilliseconds: Int?

    init(connection: PeerConnection, client: SignalingClient, output: ProgramOutput) {
        self.connection = connection
        self.client = client
        self.output = output
    }

    /// Answers offers and applies candidates; returns when the sender leaves.
    func relaySignalling() async throws -> Outcome {
        for try await message in client.messages {
            switch message {
            case .createOffer(let offer):
                try await connection.setRemoteDescription(SignalingBridge.description(from: offer))
                let answer = try await connection.createAnswer()
                try await connection.setLocalDescription(answer)
                try await client.send(SignalingBridge.message(for: answer))
            case .iceCandidate(let candidate):
                try? await connection.addIceCandidate(SignalingBridge.candidate(from: candidate))
            case .peerLeft:
                output.note("the sender left")
                return .senderLeft
            case .error(let error):
                output.note("signalling error: \(error)")
            default:
                break
            }
        }
        return .failed
    }

    /// Sends local candidates and follows the connection state.
    func relayEvents() async -> Outcome {
        for await event in connection.events {
            switch event {
            case .localCandidate(let candidate):
                try? await client.send(SignalingBridge.message(for: candidate))
            case .connectionStateChanged(.connected):
                if connectedAfterMilliseconds == nil {
                    connectedAfterMilliseconds = output.elapsedMilliseconds
                    output.event("connected", ["afterMs": output.elapsedMilliseconds])
                    output.note("connected")
                }
            case .connectionStateChanged(.failed):
                output.note("the connection failed (ICE or DTLS)")
                return .failed
            default:
                break
            }
        }
        return .failed
    }
}
