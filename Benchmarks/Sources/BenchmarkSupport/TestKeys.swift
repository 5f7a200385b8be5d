/// Fixed SRTP master keys and salts (benchmark material, not secrets).
public enum TestKeys {
    /// The master key for `profile`.
    public static func key(for profile: RawSRTPContext.Profile) -> [UInt8] {
        (0..<profile.keyLength).map { UInt8(truncatingIfNeeded: 0xA0 &+ $0) }
    }

    /// The master salt for `profile`.
    public static func salt(for profile: RawSRTPContext.Profile) -> [UInt8] {
        (0..<profile.saltLength).map { UInt8(truncatingIfNeeded: 0x50 &+ $0) }
    }
}
