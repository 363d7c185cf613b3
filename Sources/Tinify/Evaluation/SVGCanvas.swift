// Tinify: what a chart is drawn on — the `ChartCanvas` operations `RDChart` lays a chart out
// with — and the two canvases: SVG text (this file; text as <text> in a system sans-serif font,
// so names and labels stay searchable) and the rasteriser (RasterCanvas, for PNG).

/// Where a text's anchor point lies along it.
package enum TextAnchor: Sendable {
    /// The anchor is where the text starts.
    case start
    /// The anchor is the text's middle.
    case middle
    /// The anchor is where the text ends.
    case end
}

/// The drawing operations of a chart, in pixels (y down).
package protocol ChartCanvas {
    /// Fills the axis-aligned rectangle (x0, y0)–(x1, y1).
    mutating func rect(x0: Double, y0: Double, x1: Double, y1: Double, color: ChartColor)
    /// A box with rounded corners: filled, with a 1-pixel border of `stroke`.
    mutating func box(x0: Double, y0: Double, x1: Double, y1: Double, radius: Double, fill: ChartColor, stroke: ChartColor)
    /// A polyline `width` pixels wide, round caps and joins, dashed by `dash` (on, off, … pixels).
    mutating func polyline(_ points: [ChartPoint], color: ChartColor, width: Double, dash: [Double]?)
    /// A filled disc.
    mutating func disc(_ center: ChartPoint, radius: Double, color: ChartColor)
    /// Text of `size` pixels with its baseline through `at`; `vertical` runs it upwards.
    mutating func text(_ s: String, at: ChartPoint, size: Double, anchor: TextAnchor, color: ChartColor, vertical: Bool)
}

/// A chart as SVG 1.1 text.
package struct SVGCanvas: ChartCanvas {
    /// The elements so far.
    private var body = ""
    /// The drawing's size in pixels.
    private let width: Int, height: Int

    /// An empty `width × height` drawing.
    package init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// The document.
    package var document: String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
        font-family="DejaVu Sans, Helvetica, Arial, sans-serif">

        """ + body + "</svg>\n"
    }

    /// Fills an axis-aligned rectangle.
    package mutating func rect(x0: Double, y0: Double, x1: Double, y1: Double, color: ChartColor) {
        body += "<rect x=\"\(n(x0))\" y=\"\(n(y0))\" width=\"\(n(x1 - x0))\" height=\"\(n(y1 - y0))\" fill=\"\(color.hex)\"/>\n"
    }

    /// A rounded box with a 1-pixel border.
    package mutating func box(x0: Double, y0: Double, x1: Double, y1: Double, radius: Double, fill: ChartColor, stroke: ChartColor) {
        body += "<rect x=\"\(n(x0 + 0.5))\" y=\"\(n(y0 + 0.5))\" width=\"\(n(x1 - x0 - 1))\" height=\"\(n(y1 - y0 - 1))\" rx=\"\(n(radius))\" "
            + "fill=\"\(fill.hex)\" stroke=\"\(stroke.hex)\" stroke-width=\"1\"/>\n"
    }

    /// A thick polyline, optionally dashed.
    package mutating func polyline(_ points: [ChartPoint], color: ChartColor, width: Double, dash: [Double]?) {
        let list = points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
        let dashing = dash.map { " stroke-dasharray=\"" + $0.map(n).joined(separator: ",") + "\"" } ?? ""
        body += "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(color.hex)\" stroke-width=\"\(n(width))\" "
            + "stroke-linecap=\"round\" stroke-linejoin=\"round\"\(dashing)/>\n"
    }

    /// A filled disc.
    package mutating func disc(_ center: ChartPoint, radius: Double, color: ChartColor) {
        body += "<circle cx=\"\(n(center.x))\" cy=\"\(n(center.y))\" r=\"\(n(radius))\" fill=\"\(color.hex)\"/>\n"
    }

    /// Text on a baseline, anchored at its start, middle or end.
    package mutating func text(_ s: String, at: ChartPoint, size: Double, anchor: TextAnchor, color: ChartColor, vertical: Bool) {
        let a = anchor == .start ? "start" : (anchor == .middle ? "middle" : "end")
        let rotation = vertical ? " transform=\"rotate(-90 \(n(at.x)) \(n(at.y)))\"" : ""
        body += "<text x=\"\(n(at.x))\" y=\"\(n(at.y))\" font-size=\"\(n(size))\" text-anchor=\"\(a)\" fill=\"\(color.hex)\"\(rotation)>"
            + Self.escape(s) + "</text>\n"
    }

    /// A coordinate with at most two decimals.
    private func n(_ v: Double) -> String { ChartNumber.text(v, decimals: 2, trimmed: true) }

    /// `s` with XML's special characters escaped.
    package static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                // Control characters are not allowed in XML 1.0.
                if ch.value < 0x20 && ch != "\t" { out += " " } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }
}

/// Numbers as a chart prints them, without Foundation.
package enum ChartNumber {
    /// `v` with `decimals` decimals, rounded half away from zero; `trimmed` drops trailing zeros
    /// (and the point). Never `-0`.
    package static func text(_ v: Double, decimals: Int, trimmed: Bool = false) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<max(decimals, 0) { scale *= 10 }
        let r = (abs(v) * scale).rounded()
        guard r < 9e15 else { return String(v) }
        let whole = Int(r / scale), frac = Int(r - Double(whole) * scale)
        var f = decimals > 0 ? String(frac) : ""
        while f.count < decimals { f = "0" + f }
        if trimmed { while f.hasSuffix("0") { f.removeLast() } }
        return (v < 0 && r > 0 ? "-" : "") + String(whole) + (f.isEmpty ? "" : "." + f)
    }
}
