/// A line chart as SVG, written by the tests themselves (no plotting
/// library): time on x, one or more series on y, with a legend.
struct SVGPlot {
    struct Series {
        var name: String
        var color: String
        var values: [(x: Double, y: Double)]
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series] = []
    var width = 900.0
    var height = 360.0

    func render() -> String {
        let left = 70.0, right = 20.0, top = 40.0, bottom = 50.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let xs = series.flatMap { $0.values.map(\.x) }
        let ys = series.flatMap { $0.values.map(\.y) }
        let xMax = max(xs.max() ?? 1, 1), yMax = Self.niceCeiling(ys.max() ?? 1)
        func px(_ x: Double) -> Double { left + x / xMax * plotWidth }
        func py(_ y: Double) -> Double { top + plotHeight - y / yMax * plotHeight }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(Int(width / 2))" y="20" text-anchor="middle" font-size="14">\(title)</text>

            """
        for step in 0...5 {
            let y = yMax * Double(step) / 5
            svg += "<line x1=\"\(Self.f(left))\" y1=\"\(Self.f(py(y)))\" x2=\"\(Self.f(left + plotWidth))\" y2=\"\(Self.f(py(y)))\" stroke=\"#ddd\"/>\n"
            svg += "<text x=\"\(Self.f(left - 6))\" y=\"\(Self.f(py(y) + 4))\" text-anchor=\"end\">\(Self.f(y))</text>\n"
        }
        let xStep = xMax > 50 ? 10.0 : 5.0
        var x = 0.0
        while x <= xMax {
            svg += "<text x=\"\(Self.f(px(x)))\" y=\"\(Self.f(top + plotHeight + 16))\" text-anchor=\"middle\">\(Int(x))</text>\n"
            x += xStep
        }
        svg += "<text x=\"\(Self.f(left + plotWidth / 2))\" y=\"\(Self.f(height - 8))\" text-anchor=\"middle\">\(xLabel)</text>\n"
        svg += "<text x=\"16\" y=\"\(Self.f(top + plotHeight / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(Self.f(top + plotHeight / 2)))\">\(yLabel)</text>\n"
        for (index, line) in series.enumerated() {
            let points = line.values.map { "\(Self.f(px($0.x))),\(Self.f(py($0.y)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.5\" points=\"\(points)\"/>\n"
            let legendX = left + 10 + Double(index) * 170
            svg += "<line x1=\"\(Self.f(legendX))\" y1=\"32\" x2=\"\(Self.f(legendX + 20))\" y2=\"32\" stroke=\"\(line.color)\" stroke-width=\"3\"/>\n"
            svg += "<text x=\"\(Self.f(legendX + 25))\" y=\"36\">\(line.name)</text>\n"
        }
        svg += "<rect x=\"\(Self.f(left))\" y=\"\(Self.f(top))\" width=\"\(Self.f(plotWidth))\" height=\"\(Self.f(plotHeight))\" fill=\"none\" stroke=\"#888\"/>\n</svg>\n"
        return svg
    }

    /// One decimal at most, without a trailing ".0".
    static func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// 1, 2 or 5 times a power of ten, at or above `value`.
    static func niceCeiling(_ value: Double) -> Double {
        var power = 1.0
        while power * 10 < value { power *= 10 }
        for factor in [1.0, 2.0, 5.0, 10.0] where factor * power >= value { return factor * power }
        return 10 * power
    }
}
