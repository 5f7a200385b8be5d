/// The built-in 5×7 bitmap digits the test pattern draws its frame counter
/// with, and the geometry shared by drawing and reading it back (internal).
enum FrameCounterFont {
    static let glyphWidth = 5
    static let glyphHeight = 7
    /// Glyph columns plus one blank column between digits.
    static let advance = 6

    /// Rows of each digit, top to bottom; "#" is lit.
    private static let rows: [[String]] = [
        [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."],  // 0
        ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."],  // 1
        [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"],  // 2
        ["#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."],  // 3
        ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],  // 4
        ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],  // 5
        ["..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."],  // 6
        ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],  // 7
        [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],  // 8
        [".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."],  // 9
    ]

    /// Each digit as 35 bits, row-major from the top-left cell (bit 34) down.
    static let bitmaps: [UInt64] = rows.map { glyph in
        glyph.joined().utf8.reduce(UInt64(0)) { $0 << 1 | ($1 == UInt8(ascii: "#") ? 1 : 0) }
    }

    /// Whether cell (`column`, `row`) of `digit`'s glyph is lit.
    static func isLit(digit: Int, column: Int, row: Int) -> Bool {
        let bit = glyphWidth * glyphHeight - 1 - (row * glyphWidth + column)
        return bitmaps[digit] >> UInt64(bit) & 1 == 1
    }

    /// Where the counter sits in a picture of a given size.
    struct Layout {
        /// Pixels per glyph cell.
        var scale: Int
        /// The dark plate behind the digits.
        var plateX: Int
        var plateY: Int
        var plateWidth: Int
        var plateHeight: Int
        /// The top-left pixel of the first glyph.
        var glyphX: Int
        var glyphY: Int

        init(width: Int, height: Int, digitCount: Int) {
            scale = max(1, min(width, height * 4 / 3) / 80)
            let padding = scale
            plateX = 2 * scale
            plateY = 2 * scale
            plateWidth = 2 * padding + digitCount * FrameCounterFont.advance * scale - scale
            plateHeight = 2 * padding + FrameCounterFont.glyphHeight * scale
            glyphX = plateX + padding
            glyphY = plateY + padding
        }

        /// Whether the whole plate lies inside a picture of the given size.
        func fits(width: Int, height: Int) -> Bool {
            plateX + plateWidth <= width && plateY + plateHeight <= height
        }

        /// The top-left pixel of glyph cell (`column`, `row`) of digit `index`.
        func cellOrigin(digit index: Int, column: Int, row: Int) -> (x: Int, y: Int) {
            (glyphX + (index * FrameCounterFont.advance + column) * scale, glyphY + row * scale)
        }
    }
}
