import Foundation

/// What the example programs print: JSON events on stdout (with `--json`)
/// and a live statistics line on stderr.
public struct ProgramOutput: Sendable {
    /// Whether JSON events go to stdout.
    public let json: Bool
    private let start = ContinuousClock.now

    /// Creates the output.
    public init(json: Bool) {
        self.json = json
    }

    /// Milliseconds since the program started.
    public var elapsedMilliseconds: Int {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        return Int(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    /// Prints `{"event": name, ...fields}` as one line on stdout when `--json` is on.
    public func event(_ name: String, _ fields: [String: any Sendable] = [:]) {
        guard json else { return }
        var object: [String: Any] = ["event": name]
        for (key, value) in fields { object[key] = value }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    /// Rewrites the statistics line on stderr.
    public func status(_ line: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
    }

    /// Prints a line on stderr (ends the statistics line first).
    public func note(_ line: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line + "\n").utf8))
    }
}
