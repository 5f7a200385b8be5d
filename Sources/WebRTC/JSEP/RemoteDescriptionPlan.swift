import SDPKit
import SecureTransport

/// What a remote description would do, worked out before anything is
/// changed: the transport values it gives and, per m-section, which
/// transceiver takes it and with what codec, extension ids, SSRCs and
/// direction. Building the plan is where a description is refused (with a
/// typed error), so that applying it cannot fail half way.
struct RemoteDescriptionPlan {
    /// One m-section of the description.
    struct Section {
        /// Who takes the section.
        enum Target {
            /// A transceiver we have (by mid, or one not yet associated).
            case existing(Int)
            /// A new receiving transceiver of this kind (a remote offer's new track).
            case new(TrackKind)
            /// Nobody: not audio or video over RTP (a data channel, say); the answer rejects it.
            case none
        }

        var index: Int
        var mid: String
        var target: Target
        var isRejected: Bool
        /// The codec and extensions, or nil when nothing offered is ours.
        var negotiated: Transceiver.Negotiated?
        /// The section's direction from the remote side's point of view.
        var remoteDirection: Direction
        var remoteSSRCs: [UInt32]
        var remoteStreamIDs: [String]
        var remoteTrackID: String?
        /// A stopped transceiver whose m-line the remote side reuses for a new mid.
        var replaces: Int?
    }

    /// At most this many m-sections are taken from a remote description (each
    /// can become a transceiver with a decoder).
    static var maxMediaSections: Int { 32 }

    var sections: [Section] = []
    var credentials: SDPKit.ICECredentials
    /// Whether the credentials differ from those in force: an ICE restart.
    var restartsICE = false
    var fingerprint: DTLSFingerprint
    var remoteSetup: SetupRole?
    var candidates: [SDPKit.ICECandidate] = []
    var endOfCandidates = false

    /// Plans a remote description.
    ///
    /// - Parameters:
    ///   - localOffer: for an answer, the offer it answers.
    ///   - currentRemote: the remote description in force (renegotiation) and its fingerprint.
    init(
        _ description: SDPKit.SessionDescription, isOffer: Bool, codecs: [MediaCodec], media: MediaTable,
        localOffer: SDPKit.SessionDescription?, currentRemote: (SDPKit.SessionDescription, DTLSFingerprint?)?
    ) throws(PeerConnectionError) {
        let bundled = description.bundleGroup?.first.flatMap { description.mediaSection(mid: $0) }
        guard let transport = bundled ?? description.mediaSections.first(where: { !$0.isRejected }) else {
            throw PeerConnectionError(.noCommonCodec, "every m-section of the remote description is rejected")
        }
        guard description.mediaSections.count <= Self.maxMediaSections else {
            throw PeerConnectionError(
                .invalidDescription, "the remote description has \(description.mediaSections.count) m-sections; at most \(Self.maxMediaSections) are taken")
        }
        guard let credentials = description.iceCredentials(for: transport) else {
            throw PeerConnectionError(.invalidDescription, "the remote description has no ice-ufrag/ice-pwd")
        }
        guard credentials.isValid else {
            throw PeerConnectionError(.invalidDescription, "the remote ICE ufrag (4-256) or pwd (22-256 ice-chars) is malformed")
        }
        guard let sdpFingerprint = description.fingerprints(for: transport).first,
            let fingerprint = try? DTLSFingerprint(parsing: sdpFingerprint.description)
        else {
            throw PeerConnectionError(.invalidDescription, "the remote description has no usable DTLS fingerprint")
        }
        if let (current, currentFingerprint) = currentRemote {
            let currentTransport = current.mediaSections.first { !$0.isRejected }
            // New credentials are an ICE restart (RFC 8445 9).
            if let currentTransport, let old = current.iceCredentials(for: currentTransport), old != credentials {
                restartsICE = true
            }
            if let currentFingerprint, currentFingerprint != fingerprint {
                throw PeerConnectionError(.invalidDescription, "the DTLS fingerprint changed in a renegotiation")
            }
        }
        self.credentials = credentials
        self.fingerprint = fingerprint
        remoteSetup = description.setup(for: transport)
        if localOffer != nil, remoteSetup == nil { remoteSetup = .active }  // RFC 4145's default

        if let localOffer, localOffer.mediaSections.count != description.mediaSections.count {
            throw PeerConnectionError(
                .invalidDescription,
                "the answer has \(description.mediaSections.count) m-sections for the offer's \(localOffer.mediaSections.count)")
        }
        var seenMids = Set<String>()
        var claimed = Set<Int>()
        var accepted = 0
        for (index, section) in description.mediaSections.enumerated() {
            guard let mid = section.mid, seenMids.insert(mid).inserted else {
                throw PeerConnectionError(.invalidDescription, "m-section \(index) has no a=mid, or repeats one")
            }
            if let localOffer, localOffer.mediaSections[index].mid != mid {
                throw PeerConnectionError(.invalidDescription, "the answer's m-section \(index) has mid \(mid), not the offer's")
            }
            var replaces: Int?
            if let bound = media.transceivers.first(where: { $0.mLineIndex == index }), let boundMid = bound.mid, boundMid != mid {
                // Only a stopped m-line may be reused for a new mid (RFC 8829 5.2.2).
                guard bound.isStopped, isOffer else {
                    throw PeerConnectionError(.invalidDescription, "m-line \(index) changed its mid from \(boundMid) to \(mid)")
                }
                replaces = bound.id
            }
            // An m-line our offer held with port 0 stays rejected whatever the answer says.
            let isRejected = section.isRejected || (localOffer?.mediaSections[index].isRejected ?? false)
            let kind: TrackKind? = section.isRTP ? (section.kind == .audio ? .audio : section.kind == .video ? .video : nil) : nil
            var target = Section.Target.none
            if let kind {
                if let existing = media.transceiver(mid: mid) {
                    guard existing.kind == kind else {
                        throw PeerConnectionError(.invalidDescription, "m-section \(mid) changed its kind to \(kind)")
                    }
                    target = .existing(existing.id)
                } else if !isOffer {
                    guard isRejected else {
                        throw PeerConnectionError(.invalidDescription, "the answer names mid \(mid), which no transceiver has")
                    }
                } else if !isRejected {
                    let reusable = media.transceivers.first {
                        $0.kind == kind && $0.mid == nil && !$0.isStopped && !claimed.contains($0.id)
                    }
                    if let reusable {
                        claimed.insert(reusable.id)
                        target = .existing(reusable.id)
                    } else {
                        target = .new(kind)
                    }
                }
            }
            let negotiated = kind.flatMap { isRejected ? nil : Self.negotiate(section, kind: $0, codecs: codecs, isOffer: isOffer) }
            if negotiated != nil {
                accepted += 1
                // What the answer to it must repeat back has to be there (checked now, not when answering).
                guard description.iceCredentials(for: section) != nil, !description.fingerprints(for: section).isEmpty else {
                    throw PeerConnectionError(.invalidDescription, "m-section \(mid) has no ICE credentials or fingerprint")
                }
                if description.setup(for: section) == .holdconn {
                    throw PeerConnectionError(.invalidDescription, "m-section \(mid) says a=setup:holdconn")
                }
            }
            let primarySSRC = section.ssrcGroups.first { $0.semantics == "FID" }?.ssrcs.first ?? section.ssrcs.first
            sections.append(Section(
                index: index, mid: mid, target: target, isRejected: isRejected, negotiated: negotiated,
                remoteDirection: section.direction, remoteSSRCs: primarySSRC.map { [$0] } ?? [],
                remoteStreamIDs: section.msid.map { [$0.streamID] } ?? [], remoteTrackID: section.msid?.trackID,
                replaces: replaces))
            candidates += section.candidates
            if section.hasEndOfCandidates { endOfCandidates = true }
        }
        if isOffer, accepted == 0 {
            let offered = description.mediaSections.map { "\($0.kind) " + $0.codecs.map(\.name).joined(separator: ",") }
            throw PeerConnectionError(
                .noCommonCodec, "the offer has nothing this connection can send or receive (offered: \(offered.joined(separator: "; ")))")
        }
    }

    /// The codec of an m-section that we have (the first in the section's
    /// order), with the extension ids and feedback to use.
    static func negotiate(_ section: MediaSection, kind: TrackKind, codecs: [MediaCodec], isOffer: Bool) -> Transceiver.Negotiated? {
        let ours = codecs.filter { $0.kind == kind }
        guard let codec = section.codecs.first(where: { offered in
            ours.contains { $0.matches(name: offered.name, clockRate: offered.clockRate, channels: offered.channels) }
        }) else { return nil }
        let supported = PeerConnectionCore.supportedFeedback(kind)
        let feedback = isOffer ? codec.feedback.filter(supported.contains) : codec.feedback
        func id(_ uri: String) -> UInt8? {
            section.headerExtensions.first { $0.uri == uri }.flatMap { (1...14).contains($0.id) ? UInt8($0.id) : nil }
        }
        return Transceiver.Negotiated(
            codec: NegotiatedCodec(
                name: codec.name, payloadType: codec.payloadType, clockRate: Int(codec.clockRate), channels: codec.channels,
                formatParameters: codec.formatParameters),
            midExtensionID: id(SDPKit.RTPHeaderExtension.midURI),
            audioLevelExtensionID: kind == .audio ? id(SDPKit.RTPHeaderExtension.audioLevelURI) : nil,
            transportSequenceExtensionID: id(SDPKit.RTPHeaderExtension.transportWideCCURI),
            nack: feedback.contains(.nack), pli: feedback.contains(.pli), fir: feedback.contains(.fir),
            rtxPayloadType: kind == .video ? rtxPayloadType(in: section, for: codec.payloadType) : nil)
    }

    /// The payload type of the section's `rtx` codec whose `apt` is `payloadType`.
    static func rtxPayloadType(in section: MediaSection, for payloadType: UInt8) -> UInt8? {
        section.codecs.first { $0.name.lowercased() == "rtx" && $0.parameter("apt") == String(payloadType) }?.payloadType
    }
}
