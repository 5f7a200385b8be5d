/// Something that produces uncompressed audio one frame at a time (a tone
/// generator, a WAV file, a microphone), so a sender can take any of them.
///
/// Every frame has the source's sample rate and channel count. Conforming
/// types may also have their own `nextFrame()`; this requirement has a
/// different name so that a source that never ends (``ToneSource``) can
/// return a non-optional frame there.
public protocol AudioFrameSource {
    /// The sample rate of every frame, in Hz.
    var sampleRate: Int { get }
    /// The number of interleaved channels of every frame.
    var channelCount: Int { get }
    /// The next frame, or `nil` when the source has ended.
    mutating func readFrame() throws -> AudioFrame?
}
