import FuzzSupport
import ICEKit

/// The short-term key a fuzzed message is checked against (any key will do:
/// the check runs over attacker bytes either way).
let integrity = STUNIntegrity.shortTerm(password: "fuzzing-password")

/// STUN and TURN messages (RFC 8489, RFC 8656): parsing, the integrity check,
/// every attribute accessor an ICE agent and a TURN client read, and
/// serialization back.
func fuzzSTUN(_ bytes: UnsafeBufferPointer<UInt8>) {
    _ = STUNMessage.verifyIntegrity(of: bytes, using: integrity)
    guard let message = try? STUNMessage(parsing: bytes) else { return }
    _ = (message.username, message.xorMappedAddress, message.mappedAddress, message.errorCode)
    _ = (message.unknownAttributes, message.software, message.priority, message.useCandidate)
    _ = (message.iceControlling, message.iceControlled, message.messageIntegrity, message.fingerprint)
    _ = (message.lifetime, message.data)
    for attribute in message.attributes {
        _ = message.xorAddress(attribute.type)
        _ = message.text(attribute.type)
    }
    _ = message.serialized(integrity: integrity, fingerprint: true)
}

FuzzDriver.run(fuzzSTUN)
