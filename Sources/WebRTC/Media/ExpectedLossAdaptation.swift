/// Turns the loss a remote receiver reports into the packet loss an audio
/// encoder should prepare for (Opus adds in-band FEC for it).
///
/// The reports' fraction lost is smoothed, then rounded down to a few
/// levels (0, 1, 5, 10 and 20 percent, as libwebrtc's Opus encoder does), so
/// the encoder is told again only when the loss moves from one level to
/// another. Going down a level takes the loss below 80% of that level's
/// threshold, so a loss near a threshold does not flap.
public struct ExpectedLossAdaptation: Sendable, Hashable {
    /// The levels, in percent.
    public static let levels = [0, 1, 5, 10, 20]
    /// Weight of a new report in the smoothed loss.
    static let smoothing = 0.3

    /// The smoothed fraction lost, 0 to 1, once a report came.
    public private(set) var smoothedLoss: Double?
    /// The level the encoder was last told, in percent.
    public private(set) var percent = 0
    /// The reports counted so far (``RemoteLossReport/reportsReceived`` of the last one noted).
    public private(set) var reportsSeen = 0

    /// Creates an adaptation that starts at 0%.
    public init() {}

    /// Notes what the remote receiver reported, if it is a new report.
    ///
    /// - Returns: The new expected loss in percent, when it changed.
    public mutating func note(_ report: RemoteLossReport) -> Int? {
        guard report.reportsReceived > reportsSeen else { return nil }
        reportsSeen = report.reportsReceived
        return update(fractionLost: report.fractionLost)
    }

    /// Notes the fraction lost (0 to 1) of a new report.
    ///
    /// - Returns: The new expected loss in percent, when it changed.
    public mutating func update(fractionLost: Double) -> Int? {
        let loss = min(max(fractionLost, 0), 1)
        let smoothed = smoothedLoss.map { $0 + (loss - $0) * Self.smoothing } ?? loss
        smoothedLoss = smoothed
        let up = Self.levels.last { Double($0) / 100 <= smoothed } ?? 0
        var level = percent
        if up > percent {
            level = up
        } else if Double(percent) / 100 * 0.8 > smoothed {
            level = Self.levels.last { Double($0) / 100 * 0.8 <= smoothed && $0 < percent } ?? 0
        }
        guard level != percent else { return nil }
        percent = level
        return level
    }
}
