import Testing
import WebRTC

/// How an encoder's bitrate follows the connection's target.
@Suite("Encoder bitrate follower")
struct EncoderBitrateFollowerTests {
    @Test("the encoder follows the target under the application's maximum, ignores changes under 5%, and goes back to the maximum once the target is gone")
    func followsTarget() {
        var follower = EncoderBitrateFollower(maximum: 1_000_000)
        #expect(follower.bitrate(forTarget: nil) == nil, "no target: it stays at the maximum")
        #expect(follower.bitrate(forTarget: 600_000) == 600_000)
        #expect(follower.bitrate(forTarget: 620_000) == nil, "3% is too small a change")
        #expect(follower.bitrate(forTarget: 700_000) == 700_000)
        #expect(follower.bitrate(forTarget: 5_000_000) == 1_000_000, "never above the maximum")
        #expect(follower.bitrate(forTarget: 400_000) == 400_000)
        #expect(follower.bitrate(forTarget: nil) == 1_000_000)
    }

    @Test("a new maximum applies at once when the encoder was at the old one or above the new one; under a lower target it waits")
    func newMaximum() {
        var follower = EncoderBitrateFollower(maximum: 1_000_000)
        #expect(follower.setMaximum(2_000_000) == 2_000_000)
        #expect(follower.bitrate(forTarget: 500_000) == 500_000)
        #expect(follower.setMaximum(800_000) == nil, "the target keeps it lower")
        #expect(follower.setMaximum(300_000) == 300_000)
        #expect(follower.maximum == 300_000 && follower.current == 300_000)
    }

    @Test("video keeps every frame from 120 kbit/s up, 15 a second below it and 10 a second below 60 kbit/s")
    func frameRate() {
        var follower = EncoderBitrateFollower(maximum: 1_000_000)
        #expect(follower.minimumFrameInterval == nil)
        _ = follower.bitrate(forTarget: 100_000)
        #expect(follower.minimumFrameInterval == .seconds(1) / 15)
        _ = follower.bitrate(forTarget: 50_000)
        #expect(follower.minimumFrameInterval == .seconds(1) / 10)
        _ = follower.bitrate(forTarget: 200_000)
        #expect(follower.minimumFrameInterval == nil)
    }
}
