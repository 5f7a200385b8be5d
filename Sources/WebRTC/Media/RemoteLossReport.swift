/// What a remote receiver's RTCP report blocks said about a stream this side sends.
public struct RemoteLossReport: Sendable, Hashable {
    /// How many report blocks about the stream have come.
    public var reportsReceived: Int
    /// The share of packets (0 to 1) the last block says were lost since the block before.
    public var fractionLost: Double

    /// Creates a report.
    public init(reportsReceived: Int, fractionLost: Double) {
        self.reportsReceived = reportsReceived
        self.fractionLost = fractionLost
    }
}
