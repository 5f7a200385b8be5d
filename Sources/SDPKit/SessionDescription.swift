/// A session description (RFC 8866): `v=0`, the `o=` and `s=` lines, the
/// other session-level lines in order, and the media sections.
///
/// Parse with `init(parsing:)` (text or UTF-8 bytes), print with ``description`` or
/// ``serialized()``: a parsed description prints back exactly as it was
/// read (with CRLF line endings), unknown attributes and lines included.
public struct SessionDescription: Sendable, Hashable, CustomStringConvertible {
    /// The `o=` line.
    public var origin: Origin
    /// The `s=` line's text (`-` in WebRTC).
    public var sessionName: String
    /// The session-level lines after `s=` (`i= u= e= p= c= b= t= r= z= k= a=` and
    /// unknown ones), in order.
    public var lines: [SDPLine]
    /// The media sections, in order.
    public var mediaSections: [MediaSection]

    /// Creates a description.
    public init(origin: Origin, sessionName: String = "-", lines: [SDPLine] = [.timing(Timing())], mediaSections: [MediaSection] = []) {
        self.origin = origin
        self.sessionName = sessionName
        self.lines = lines
        self.mediaSections = mediaSections
    }

    // MARK: Printing

    /// The whole description, each line ending in CRLF.
    public var description: String {
        var text = "v=0\r\no=\(origin)\r\ns=\(sessionName)\r\n"
        for line in lines { text += "\(line)\r\n" }
        for section in mediaSections { text += section.description }
        return text
    }

    /// The description as UTF-8 bytes.
    public func serialized() -> [UInt8] { Array(description.utf8) }

    /// Appends the description's UTF-8 bytes.
    public func serialize(into buffer: inout [UInt8]) { buffer.append(contentsOf: description.utf8) }

    /// The number of bytes ``serialized()`` returns.
    public var serializedSize: Int { description.utf8.count }

    // MARK: Session-level accessors

    /// The session-level `a=` attributes, in order.
    public var attributes: [SDPAttribute] { lines.compactMap(\.attribute) }

    /// The first session-level attribute with the given name.
    public func attribute(named name: String) -> SDPAttribute? {
        attributes.first { $0.name == name }
    }

    /// Appends a session-level attribute line.
    public mutating func append(_ content: SDPAttribute.Content) {
        lines.append(.attribute(SDPAttribute(content)))
    }

    /// The session-level `c=` line, if any.
    public var connection: ConnectionData? {
        for case .connection(let connection) in lines { return connection }
        return nil
    }

    /// The `t=` line (the first one), if any.
    public var timing: Timing? {
        for case .timing(let timing) in lines { return timing }
        return nil
    }

    /// The `a=group` attributes.
    public var groups: [GroupAttribute] {
        attributes.compactMap { if case .group(let group) = $0.content { group } else { nil } }
    }

    /// The mids of the first `a=group:BUNDLE`, or nil when there is none.
    public var bundleGroup: [String]? {
        groups.first { $0.semantics == "BUNDLE" }?.mids
    }

    /// Whether the session allows mixing one- and two-byte header extensions (`a=extmap-allow-mixed`).
    public var isExtmapAllowMixed: Bool { attributes.contains { $0.content == .extmapAllowMixed } }

    /// The media section with the given mid.
    public func mediaSection(mid: String) -> MediaSection? {
        mediaSections.first { $0.mid == mid }
    }

    // MARK: Values that may be given at either level (media wins)

    /// The ICE ufrag and password of a media section: its own, else the session's.
    public func iceCredentials(for section: MediaSection) -> ICECredentials? {
        let sessionUfrag = attributes.lazy.compactMap { if case .iceUfrag(let ufrag) = $0.content { ufrag } else { nil } }.first
        let sessionPwd = attributes.lazy.compactMap { if case .icePwd(let pwd) = $0.content { pwd } else { nil } }.first
        guard let ufrag = section.iceUfrag ?? sessionUfrag, let pwd = section.icePwd ?? sessionPwd else { return nil }
        return ICECredentials(ufrag: ufrag, pwd: pwd)
    }

    /// The ICE options of a media section: its own, else the session's.
    public func iceOptions(for section: MediaSection) -> [String] {
        let own = section.iceOptions
        if !own.isEmpty { return own }
        return attributes.flatMap { attribute -> [String] in
            if case .iceOptions(let options) = attribute.content { return options }
            return []
        }
    }

    /// The DTLS fingerprints of a media section: its own, else the session's.
    public func fingerprints(for section: MediaSection) -> [Fingerprint] {
        let own = section.fingerprints
        if !own.isEmpty { return own }
        return attributes.compactMap { if case .fingerprint(let fingerprint) = $0.content { fingerprint } else { nil } }
    }

    /// The DTLS setup role of a media section: its own, else the session's.
    public func setup(for section: MediaSection) -> SetupRole? {
        if let own = section.setup { return own }
        for attribute in attributes { if case .setup(let role) = attribute.content { return role } }
        return nil
    }
}

/// An ICE username fragment and password (`a=ice-ufrag`, `a=ice-pwd`).
public struct ICECredentials: Sendable, Hashable {
    /// The username fragment.
    public var ufrag: String
    /// The password.
    public var pwd: String

    /// Creates credentials.
    public init(ufrag: String, pwd: String) {
        self.ufrag = ufrag
        self.pwd = pwd
    }

    /// Whether both follow RFC 8839: `ice-char`s only, a ufrag of 4 to 256 and a
    /// password of 22 to 256 characters.
    public var isValid: Bool {
        TextScanning.isICEChars(ufrag[...]) && (4...256).contains(ufrag.utf8.count)
            && TextScanning.isICEChars(pwd[...]) && (22...256).contains(pwd.utf8.count)
    }
}
