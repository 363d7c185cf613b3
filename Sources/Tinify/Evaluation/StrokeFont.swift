// Tinify: a stroke font for the PNG charts of `tinify plot` — each glyph a few polylines (lines
// and elliptic arcs) on a grid where the cap height is 10 units, the x-height 7, the descender −3
// and the em 14, drawn by the rasteriser as round-capped strokes. It covers 0-9, a-z, A-Z, space
// and . , - + ( ) [ ] % / : _ = ' " # & * < > ? ! @ ×; anything else is drawn as an open box.
// (The SVG charts name a system font instead and use this font's widths to lay text out.)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point of a chart, in pixels (y down) or, inside the font, in glyph units (y up).
package struct ChartPoint: Sendable, Equatable {
    /// The horizontal coordinate.
    package var x: Double
    /// The vertical coordinate.
    package var y: Double
    /// The point (x, y).
    package init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// The stroke font: glyph outlines as polylines and their advance widths.
package enum StrokeFont {
    /// Glyph units per em (a font size in pixels is one em).
    package static let unitsPerEm = 14.0
    /// The cap height and height of digits, in ems.
    package static let capHeight = 10.0 / 14.0
    /// The stroke width for text of `size` pixels.
    package static func strokeWidth(size: Double) -> Double { max(1.0, size * 0.09) }

    /// One glyph: its advance (units) and strokes (polylines in units, baseline y = 0, y up).
    package struct Glyph: Sendable {
        /// The horizontal advance in units.
        package let advance: Double
        /// The polylines.
        package let strokes: [[ChartPoint]]
    }

    /// The width of `text` at `size` pixels.
    package static func width(of text: String, size: Double) -> Double {
        text.reduce(0.0) { $0 + glyph($1).advance } * size / unitsPerEm
    }

    /// The room to leave for `text` at `size` pixels in a layout shared by the PNG (this font)
    /// and the SVG (a system font, usually DejaVu Sans): the larger of the two widths.
    package static func layoutWidth(of text: String, size: Double) -> Double {
        let sans = text.unicodeScalars.reduce(0.0) { total, u in
            let i = Int(u.value) - 32
            return total + (i >= 0 && i < dejaVuSans.count ? Double(dejaVuSans[i]) : (u == "×" ? 838 : 650))
        }
        return max(width(of: text, size: size), sans * size / 1000)
    }

    /// DejaVu Sans's advance widths of ASCII 32…126 per 1000 units of em.
    private static let dejaVuSans: [Int16] = [
        318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636,
        636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775,
        752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390,
        337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
        635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
    ]

    /// The polylines of `text` at `size` pixels, in pixels (y down), starting at `origin` on the
    /// baseline; `vertical` runs the text upwards (rotated 90° counter-clockwise).
    package static func polylines(_ text: String, size: Double, origin: ChartPoint, vertical: Bool = false) -> [[ChartPoint]] {
        let s = size / unitsPerEm
        var pen = 0.0, out: [[ChartPoint]] = []
        for ch in text {
            let g = glyph(ch)
            for stroke in g.strokes {
                out.append(stroke.map { p in
                    let gx = (pen + p.x) * s, gy = p.y * s
                    return vertical ? ChartPoint(origin.x - gy, origin.y - gx) : ChartPoint(origin.x + gx, origin.y - gy)
                })
            }
            pen += g.advance
        }
        return out
    }

    /// The glyph of `ch` (an open box for characters the font lacks).
    package static func glyph(_ ch: Character) -> Glyph {
        glyphs[ch] ?? glyphs["\u{FFFD}"]!
    }

    // MARK: - The glyphs

    /// Every glyph, parsed once from `sources`.
    private static let glyphs: [Character: Glyph] = {
        var table: [Character: Glyph] = [:]
        for (ch, advance, path) in sources { table[ch] = Glyph(advance: advance, strokes: parse(path)) }
        return table
    }()

    /// Glyph paths: `M x y` starts a stroke, `L x y` continues it with a line, `A cx cy rx ry a0
    /// a1` with an elliptic arc from angle a0 to a1 (degrees, counter-clockwise positive; the arc
    /// joins the current stroke, or starts one), `O cx cy rx ry` is a closed ellipse.
    private static let sources: [(Character, Double, String)] = [
        (" ", 4.5, ""),
        ("0", 8, "O 4 5 3 5"),
        ("1", 8, "M 1.8 7.8 L 4.4 10 L 4.4 0 M 1.6 0 L 7 0"),
        ("2", 8, "A 4 7.1 2.9 2.9 155 -35 L 1 0 L 7 0"),
        ("3", 8, "A 3.9 7.6 2.6 2.4 150 -90 A 4 2.7 3 2.7 90 -150"),
        ("4", 8, "M 5.6 0 L 5.6 10 L 0.8 3 L 7.4 3"),
        ("5", 8, "M 6.7 10 L 1.9 10 L 1.5 5.4 A 4 3.3 3 3.3 135 -145"),
        ("6", 8, "O 4 3.2 3 3.2 M 1 3.4 A 6.3 3.4 5.3 6.6 180 100"),
        ("7", 8, "M 1 10 L 7 10 L 2.8 0"),
        ("8", 8, "O 4 7.6 2.6 2.4 O 4 2.7 3 2.7"),
        ("9", 8, "O 4 6.8 3 3.2 M 7 6.6 A 1.7 6.6 5.3 6.6 0 -80"),
        ("a", 8, "O 3.8 3.5 2.8 3.5 M 6.6 7 L 6.6 0"),
        ("b", 8, "M 1.2 10 L 1.2 0 O 4 3.5 2.8 3.5"),
        ("c", 7.2, "A 4 3.5 2.9 3.5 50 310"),
        ("d", 8, "O 3.8 3.5 2.8 3.5 M 6.6 10 L 6.6 0"),
        ("e", 8, "M 1 3.6 L 6.9 3.6 A 3.95 3.5 2.95 3.5 2 315"),
        ("f", 5, "A 4.6 8.4 1.6 1.6 15 180 L 3 0 M 1 7 L 5 7"),
        ("g", 8, "O 3.8 3.5 2.8 3.5 M 6.6 7 L 6.6 -0.6 A 3.8 -0.6 2.8 2.4 0 -155"),
        ("h", 8, "M 1.2 10 L 1.2 0 M 1.2 4.2 A 3.9 4.2 2.7 2.8 180 0 L 6.6 0"),
        ("i", 3.6, "M 1.8 0 L 1.8 7 M 1.8 9.3 L 1.8 9.6"),
        ("j", 3.6, "M 2 7 L 2 -1.4 A 0.4 -1.4 1.6 1.6 0 -120 M 2 9.3 L 2 9.6"),
        ("k", 7.4, "M 1.2 10 L 1.2 0 M 6.4 7 L 1.2 2.6 M 3.2 4.3 L 6.8 0"),
        ("l", 3.6, "M 1.8 10 L 1.8 0"),
        ("m", 12, "M 1.2 7 L 1.2 0 M 1.2 4.4 A 3.6 4.4 2.4 2.6 180 0 L 6 0 M 6 4.4 A 8.4 4.4 2.4 2.6 180 0 L 10.8 0"),
        ("n", 8, "M 1.2 7 L 1.2 0 M 1.2 4.2 A 3.9 4.2 2.7 2.8 180 0 L 6.6 0"),
        ("o", 8, "O 4 3.5 3 3.5"),
        ("p", 8, "M 1.2 7 L 1.2 -3 O 4 3.5 2.8 3.5"),
        ("q", 8, "O 3.8 3.5 2.8 3.5 M 6.6 7 L 6.6 -3"),
        ("r", 5.4, "M 1.2 7 L 1.2 0 M 1.2 3.6 A 4.6 3.6 3.4 3.3 180 80"),
        ("s", 7, "A 3.5 5.3 2.4 1.7 25 270 A 3.5 1.75 2.6 1.75 90 -155"),
        ("t", 5.4, "M 2.4 9.2 L 2.4 1.6 A 4.1 1.6 1.7 1.6 180 285 M 0.6 7 L 5 7"),
        ("u", 8, "M 1.4 7 L 1.4 2.8 A 4.1 2.8 2.7 2.8 180 360 M 6.8 7 L 6.8 0"),
        ("v", 7.4, "M 0.7 7 L 3.7 0 L 6.7 7"),
        ("w", 10.6, "M 0.6 7 L 2.9 0 L 5.3 6.2 L 7.7 0 L 10 7"),
        ("x", 7.4, "M 1 7 L 6.4 0 M 1 0 L 6.4 7"),
        ("y", 7.4, "M 0.7 7 L 3.8 0 M 6.7 7 L 2.7 -3"),
        ("z", 7.2, "M 1.2 7 L 6 7 L 1.2 0 L 6.2 0"),
        ("A", 9, "M 0.6 0 L 4.5 10 L 8.4 0 M 2 3.4 L 7 3.4"),
        ("B", 8.8, "M 1.3 5.2 L 1.3 10 L 4.9 10 A 4.9 7.6 2.4 2.4 90 -90 L 1.3 5.2 M 1.3 5.2 L 5.2 5.2 A 5.2 2.6 2.6 2.6 90 -90 L 1.3 0 L 1.3 5.2"),
        ("C", 9.4, "A 5.2 5 4.1 5 45 315"),
        ("D", 9.6, "M 1.3 0 L 1.3 10 L 4.2 10 A 4.2 5 4.2 5 90 -90 L 1.3 0"),
        ("E", 8.2, "M 7 10 L 1.3 10 L 1.3 0 L 7 0 M 1.3 5 L 6.4 5"),
        ("F", 7.6, "M 6.8 10 L 1.3 10 L 1.3 0 M 1.3 5 L 6.2 5"),
        ("G", 9.8, "A 5.2 5 4.1 5 45 340 M 9.05 3.3 L 9.05 4.7 L 5.8 4.7"),
        ("H", 9.6, "M 1.3 0 L 1.3 10 M 8.3 0 L 8.3 10 M 1.3 5 L 8.3 5"),
        ("I", 3.8, "M 1.9 0 L 1.9 10"),
        ("J", 4.2, "M 2.6 10 L 2.6 0.4 A 0.9 0.4 1.7 1.9 0 -120"),
        ("K", 8.6, "M 1.3 0 L 1.3 10 M 8 10 L 1.3 3.5 M 3.7 5.8 L 8.2 0"),
        ("L", 7.2, "M 1.3 10 L 1.3 0 L 6.8 0"),
        ("M", 11.2, "M 1.3 0 L 1.3 10 L 5.6 1.5 L 9.9 10 L 9.9 0"),
        ("N", 9.6, "M 1.3 0 L 1.3 10 L 8.3 0 L 8.3 10"),
        ("O", 10.4, "O 5.2 5 4.2 5"),
        ("P", 8.2, "M 1.3 0 L 1.3 10 L 4.8 10 A 4.8 7.3 2.7 2.7 90 -90 L 1.3 4.6"),
        ("Q", 10.4, "O 5.2 5 4.2 5 M 6.2 2.2 L 9.4 -1.2"),
        ("R", 8.8, "M 1.3 0 L 1.3 10 L 4.8 10 A 4.8 7.4 2.6 2.6 90 -90 L 1.3 4.8 M 4.6 4.8 L 8 0"),
        ("S", 8.6, "A 4.3 7.6 3.1 2.4 35 270 A 4.3 2.6 3.3 2.6 90 -150"),
        ("T", 8.4, "M 0.4 10 L 8 10 M 4.2 10 L 4.2 0"),
        ("U", 9.6, "M 1.3 10 L 1.3 3.6 A 4.8 3.6 3.5 3.6 180 360 L 8.3 10"),
        ("V", 8.8, "M 0.4 10 L 4.4 0 L 8.4 10"),
        ("W", 12.8, "M 0.4 10 L 3.2 0 L 6.4 8.8 L 9.6 0 L 12.4 10"),
        ("X", 8.6, "M 0.8 10 L 7.8 0 M 0.8 0 L 7.8 10"),
        ("Y", 8.4, "M 0.4 10 L 4.2 5 L 8 10 M 4.2 5 L 4.2 0"),
        ("Z", 8.6, "M 1 10 L 7.6 10 L 1 0 L 7.8 0"),
        (".", 4, "M 2 0 L 2 0.3"),
        (",", 4, "M 2.2 0.5 L 1.2 -2"),
        ("-", 5.6, "M 1 3.8 L 4.6 3.8"),
        ("+", 9, "M 1.3 4.3 L 7.7 4.3 M 4.5 1.1 L 4.5 7.5"),
        ("×", 9, "M 2 1.8 L 7 6.8 M 2 6.8 L 7 1.8"),
        ("=", 9, "M 1.3 2.8 L 7.7 2.8 M 1.3 5.8 L 7.7 5.8"),
        ("(", 5, "A 5.6 3.8 3.6 7.2 118 242"),
        (")", 5, "A -0.6 3.8 3.6 7.2 62 -62"),
        ("[", 5, "M 4 10.6 L 1.8 10.6 L 1.8 -2.6 L 4 -2.6"),
        ("]", 5, "M 1 10.6 L 3.2 10.6 L 3.2 -2.6 L 1 -2.6"),
        ("%", 11.6, "O 3 7.6 1.9 2.4 O 8.6 2.4 1.9 2.4 M 8.8 10 L 2.8 0"),
        ("/", 5.2, "M 0.6 -1 L 4.6 10.4"),
        (":", 4, "M 2 0 L 2 0.3 M 2 6.7 L 2 7"),
        ("_", 7, "M 0 -2.4 L 7 -2.4"),
        ("'", 3, "M 1.5 10 L 1.5 7"),
        ("\"", 5, "M 1.5 10 L 1.5 7 M 3.5 10 L 3.5 7"),
        ("#", 10, "M 3.6 10 L 2.6 0 M 7.4 10 L 6.4 0 M 1.2 6.6 L 9 6.6 M 1 3.4 L 8.8 3.4"),
        ("&", 10, "M 8.8 0 L 2.8 6.6 A 4.3 8.1 1.9 1.9 225 -45 L 1.8 3.4 A 4 2.4 2.7 2.4 160 330 L 8.6 4.8"),
        ("*", 7, "M 3.5 10 L 3.5 5 M 1.3 9 L 5.7 6 M 1.3 6 L 5.7 9"),
        ("<", 9, "M 7.6 8 L 1.4 4.3 L 7.6 0.6"),
        (">", 9, "M 1.4 8 L 7.6 4.3 L 1.4 0.6"),
        ("?", 7, "A 3.5 7.6 2.5 2.4 160 -60 L 3.5 3.2 M 3.5 0 L 3.5 0.3"),
        ("!", 4, "M 2 10 L 2 3 M 2 0 L 2 0.3"),
        ("@", 12.4, "O 6.2 4.2 1.9 2.2 M 8.1 6.4 L 8.1 2.6 A 9.3 2.6 1.2 1.4 180 360 A 6.2 4.2 5 6 0 330"),
        ("\u{FFFD}", 8, "M 1.2 0 L 6.8 0 L 6.8 10 L 1.2 10 L 1.2 0"),
    ]

    /// The strokes of a glyph path (see `sources`).
    private static func parse(_ path: String) -> [[ChartPoint]] {
        let tokens = path.split(separator: " ")
        var strokes: [[ChartPoint]] = [], current: [ChartPoint] = []
        var i = 0
        func numbers(_ n: Int) -> [Double] {
            let v = tokens[(i + 1)..<(i + 1 + n)].map { Double($0) ?? 0 }
            i += n + 1
            return v
        }
        func arc(_ cx: Double, _ cy: Double, _ rx: Double, _ ry: Double, _ a0: Double, _ a1: Double) -> [ChartPoint] {
            let steps = max(2, Int((abs(a1 - a0) / 10).rounded(.up)))
            return (0...steps).map { k in
                let a = (a0 + (a1 - a0) * Double(k) / Double(steps)) * Double.pi / 180
                return ChartPoint(cx + rx * cos(a), cy + ry * sin(a))
            }
        }
        while i < tokens.count {
            switch tokens[i] {
            case "M":
                if current.count > 1 { strokes.append(current) }
                let v = numbers(2)
                current = [ChartPoint(v[0], v[1])]
            case "L":
                let v = numbers(2)
                current.append(ChartPoint(v[0], v[1]))
            case "A":
                let v = numbers(6)
                current += arc(v[0], v[1], v[2], v[3], v[4], v[5])
            case "O":
                if current.count > 1 { strokes.append(current) }
                let v = numbers(4)
                strokes.append(arc(v[0], v[1], v[2], v[3], 0, 360))
                current = []
            default:
                i += 1
            }
        }
        if current.count > 1 { strokes.append(current) }
        return strokes
    }
}
