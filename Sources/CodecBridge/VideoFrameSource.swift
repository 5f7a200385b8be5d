/// Something that produces uncompressed pictures one at a time (a test
/// pattern, a file, a camera), so a sender can take any of them.
///
/// Conforming types also have their own `nextFrame()`; this requirement has a
/// different name so that a source that never ends (``TestPatternSource``) can
/// return a non-optional frame there.
public protocol VideoFrameSource {
    /// The next picture, or `nil` when the source has ended.
    mutating func readFrame() throws -> I420Frame?
}
