import CSRTP
import Synchronization

/// libsrtp2's process-wide state.
///
/// `srtp_init` runs under a lock the first time a session is created, and every
/// `srtp_create` runs under the same lock. This module never calls
/// `srtp_shutdown`: sessions may exist at any time, and libsrtp2 needs its crypto
/// kernel to create them. If other code in the process shut libsrtp2 down anyway,
/// `srtp_create` reports `srtp_err_status_init_fail`; the library is then
/// initialized again and the creation retried once. (Other code that calls
/// `srtp_shutdown` *while* a session is being created cannot be guarded against.)
/// Existing sessions keep working after a shutdown: their ciphers do not go
/// through the kernel.
enum SRTPLibrary {
    /// Whether libsrtp2 is initialized, as far as this module knows.
    private static let state = Mutex(false)

    /// Runs `create` (an `srtp_create` call) with libsrtp2 initialized.
    static func create(_ create: () -> srtp_err_status_t) throws -> srtp_err_status_t {
        try state.withLock { initialized in
            if !initialized {
                try initialize()
                initialized = true
            }
            var status = create()
            if status == srtp_err_status_init_fail {
                try initialize()
                status = create()
            }
            return status
        }
    }

    private static func initialize() throws {
        // When other code in the process initialised libsrtp2 first, a second
        // srtp_init re-runs the self-tests and then fails to register its debug
        // module again with bad_param: the library is ready all the same.
        let status = srtp_init()
        guard status == srtp_err_status_ok || status == srtp_err_status_bad_param else {
            throw SecureTransportError(.srtpFailure, "srtp_init failed with status \(status.rawValue)")
        }
    }

    /// Maps a libsrtp2 status to this module's error.
    static func error(for status: srtp_err_status_t, operation: String) -> SecureTransportError {
        switch status {
        case srtp_err_status_auth_fail:
            SecureTransportError(.authenticationFailed, "\(operation): authentication tag did not verify")
        case srtp_err_status_cant_check:
            // SRTCP with the E flag cleared although the policy encrypts: forged or altered.
            SecureTransportError(.authenticationFailed, "\(operation): packet does not carry the protection the policy requires")
        case srtp_err_status_replay_fail:
            SecureTransportError(.replay, "\(operation): packet already seen")
        case srtp_err_status_replay_old:
            SecureTransportError(.replay, "\(operation): packet older than the replay window")
        case srtp_err_status_bad_param, srtp_err_status_parse_err:
            SecureTransportError(.invalidPacket, "\(operation): malformed packet (status \(status.rawValue))")
        default:
            SecureTransportError(.srtpFailure, "\(operation) failed with libsrtp2 status \(status.rawValue)")
        }
    }
}
