/// What a session remembers of one SSRC: its SRTP index and replay window, and
/// its SRTCP index and window.
///
/// The windows live in memory of their own, reached through pointers: every
/// packet reads and changes them, and a class's stored properties would cost a
/// dynamic exclusivity check on each of those accesses.
final class SRTPStreamState {
    let ssrc: UInt32
    let rtp: UnsafeMutablePointer<SRTPReplayWindow>
    let rtcp: UnsafeMutablePointer<SRTCPReplayWindow>

    init(ssrc: UInt32, windowSize: Int) {
        self.ssrc = ssrc
        rtp = .allocate(capacity: 1)
        rtp.initialize(to: SRTPReplayWindow(minimumSize: windowSize))
        rtcp = .allocate(capacity: 1)
        rtcp.initialize(to: SRTCPReplayWindow())
    }

    deinit {
        rtp.deinitialize(count: 1)
        rtp.deallocate()
        rtcp.deinitialize(count: 1)
        rtcp.deallocate()
    }
}
