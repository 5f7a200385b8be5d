/// What a session remembers of one SSRC: its SRTP index and replay window, and
/// its SRTCP index and window.
final class SRTPStreamState {
    let ssrc: UInt32
    var rtp: SRTPReplayWindow
    var rtcp = SRTCPReplayWindow()

    init(ssrc: UInt32, windowSize: Int) {
        self.ssrc = ssrc
        self.rtp = SRTPReplayWindow(minimumSize: windowSize)
    }
}
