import ICEKit
import SDPKit

/// Moves candidates between the SDP form (SDPKit) and the ICE agent's form (ICEKit).
enum CandidateConversion {
    /// The agent's candidate for an SDP candidate; `nil` for what a UDP agent
    /// cannot use (unknown types).
    static func iceCandidate(from sdp: SDPKit.ICECandidate) -> ICEKit.ICECandidate? {
        guard let type = ICECandidateType(rawValue: sdp.type.rawValue) else { return nil }
        let related: ICEKit.ICECandidate.Address? =
            if let address = sdp.relatedAddress, let port = sdp.relatedPort {
                .init(host: address, port: port)
            } else { nil }
        return ICEKit.ICECandidate(
            foundation: sdp.foundation, component: Int(sdp.component),
            transport: ICETransportProtocol(rawValue: sdp.transport.rawValue), priority: sdp.priority,
            address: .init(host: sdp.address, port: sdp.port), type: type, relatedAddress: related, ufrag: sdp.ufrag)
    }

    /// The SDP candidate for one of the agent's candidates.
    static func sdpCandidate(from ice: ICEKit.ICECandidate) -> SDPKit.ICECandidate {
        SDPKit.ICECandidate(
            foundation: ice.foundation, component: UInt16(clamping: ice.component),
            transport: .init(rawValue: ice.transport.rawValue), priority: ice.priority,
            address: ice.address.host, port: ice.address.port, type: .init(rawValue: ice.type.rawValue),
            relatedAddress: ice.relatedAddress?.host, relatedPort: ice.relatedAddress?.port,
            generation: 0, ufrag: ice.ufrag)
    }
}
