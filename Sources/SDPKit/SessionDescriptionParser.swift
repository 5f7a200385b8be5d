extension SessionDescription {
    /// Parses a session description. Lines may end in CRLF or LF alone; the
    /// order of lines must follow RFC 8866 section 5. Errors carry the 1-based
    /// line number and the line's text.
    public init(parsing text: String) throws(SDPError) {
        self = try SessionDescriptionParser.parse(text)
    }

    /// Parses a session description from UTF-8 bytes.
    public init(parsing bytes: some Collection<UInt8>) throws(SDPError) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SDPError(.invalidEncoding, "a session description must be UTF-8 text")
        }
        try self.init(parsing: text)
    }
}

/// The line-order rules of RFC 8866 section 5 and the line dispatch.
enum SessionDescriptionParser {
    /// Session-level line types in their required order; types sharing a
    /// rank's position may repeat if listed in `repeatable`.
    static let sessionRank: [Character: Int] = ["i": 1, "u": 2, "e": 3, "p": 4, "c": 5, "b": 6, "t": 7, "r": 7, "z": 8, "k": 9, "a": 10]
    static let sessionRepeatable: Set<Character> = ["e", "p", "b", "t", "r", "a"]
    static let mediaRank: [Character: Int] = ["i": 1, "c": 2, "b": 3, "k": 4, "a": 5]
    static let mediaRepeatable: Set<Character> = ["c", "b", "a"]
    /// Every type letter RFC 8866 defines; others are kept verbatim anywhere.
    static let knownTypes: Set<Character> = ["v", "o", "s", "i", "u", "e", "p", "c", "b", "t", "r", "z", "k", "a", "m"]
    /// Attributes that belong to a media section only.
    static let mediaOnlyAttributes: Set<String> = ["mid", "rtpmap", "fmtp", "ssrc", "ssrc-group", "msid", "candidate"]
    /// Attributes that belong to the session level only.
    static let sessionOnlyAttributes: Set<String> = ["group", "msid-semantic"]

    struct Line {
        var number: Int
        var type: Character
        var value: String
        var text: String
    }

    static func splitLines(_ text: String) throws(SDPError) -> [Line] {
        var pieces = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { slice in
            var end = slice.endIndex
            if let last = slice.last, last == 0x0D { end = slice.index(before: end) }
            return text[slice.startIndex..<end]
        }
        while let last = pieces.last, last.isEmpty { pieces.removeLast() }
        var lines: [Line] = []
        lines.reserveCapacity(pieces.count)
        for (index, piece) in pieces.enumerated() {
            let number = index + 1
            let bytes = piece.utf8
            guard bytes.count >= 2, let first = bytes.first, first >= 0x61, first <= 0x7A,
                bytes[bytes.index(after: bytes.startIndex)] == 0x3D
            else {
                throw SDPError(.invalidLine, "a line must be <lowercase letter>=<value>", line: number, text: String(piece))
            }
            guard !bytes.contains(0x0D), !bytes.contains(0x00) else {
                throw SDPError(.invalidLine, "a line must not contain CR or NUL", line: number, text: String(piece))
            }
            let type = Character(Unicode.Scalar(first))
            let value = String(piece.dropFirst(2))
            lines.append(Line(number: number, type: type, value: value, text: String(piece)))
        }
        return lines
    }

    static func parse(_ text: String) throws(SDPError) -> SessionDescription {
        let lines = try splitLines(text)
        func required(_ index: Int, _ type: Character) throws(SDPError) -> Line {
            guard index < lines.count else {
                throw SDPError(.missingLine, "the description ends before its \(type)= line")
            }
            guard lines[index].type == type else {
                throw SDPError(.missingLine, "line \(index + 1) must be the \(type)= line", line: lines[index].number, text: lines[index].text)
            }
            return lines[index]
        }

        let version = try required(0, "v")
        guard version.value == "0" else {
            throw SDPError(.invalidVersion, "only SDP version 0 exists", line: version.number, text: version.text)
        }
        let originLine = try required(1, "o")
        let origin: Origin
        do { origin = try Origin(parsing: originLine.value) } catch { throw error.located(line: originLine.number, text: originLine.text) }
        let sessionName = try required(2, "s").value

        var description = SessionDescription(origin: origin, sessionName: sessionName, lines: [], mediaSections: [])
        var rank = 0
        var previousType: Character = "s"
        var sawTiming = false

        for line in lines.dropFirst(3) {
            func misplaced(_ why: String) -> SDPError {
                SDPError(.misplacedLine, why, line: line.number, text: line.text)
            }
            let isKnown = knownTypes.contains(line.type)
            if line.type == "m" {
                guard sawTiming else {
                    throw SDPError(.missingLine, "a t= line must come before the first m= line", line: line.number, text: line.text)
                }
                do {
                    description.mediaSections.append(try MediaSection(parsingMediaLine: line.value))
                } catch {
                    throw error.located(line: line.number, text: line.text)
                }
                rank = 0
                previousType = "m"
                continue
            }

            let inMedia = !description.mediaSections.isEmpty
            if isKnown {
                let ranks = inMedia ? mediaRank : sessionRank
                let repeatable = inMedia ? mediaRepeatable : sessionRepeatable
                guard let lineRank = ranks[line.type] else {
                    throw misplaced("a \(line.type)= line cannot appear \(inMedia ? "in a media section" : "here")")
                }
                if !inMedia, lineRank > 7, !sawTiming {
                    throw misplaced("a \(line.type)= line must come after the t= line")
                }
                if line.type == "r", previousType != "t", previousType != "r" {
                    throw misplaced("an r= line must follow a t= or r= line")
                }
                if lineRank < rank || (lineRank == rank && !repeatable.contains(line.type)) {
                    throw misplaced("a \(line.type)= line is out of the order RFC 8866 section 5 requires")
                }
                rank = lineRank
                previousType = line.type
                if line.type == "t" { sawTiming = true }
            }

            let parsed: SDPLine
            do {
                parsed = try SDPLine.parse(type: line.type, value: line.value)
            } catch {
                throw error.located(line: line.number, text: line.text)
            }
            if case .attribute(let attribute) = parsed {
                if !inMedia, mediaOnlyAttributes.contains(attribute.name) {
                    throw misplaced("a=\(attribute.name) belongs in a media section")
                }
                if inMedia, sessionOnlyAttributes.contains(attribute.name) {
                    throw misplaced("a=\(attribute.name) belongs at session level")
                }
            }
            if inMedia {
                description.mediaSections[description.mediaSections.count - 1].lines.append(parsed)
            } else {
                description.lines.append(parsed)
            }
        }
        guard sawTiming else {
            throw SDPError(.missingLine, "a session description needs a t= line")
        }
        return description
    }
}
