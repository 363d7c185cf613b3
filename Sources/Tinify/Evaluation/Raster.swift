// Tinify: a small anti-aliasing rasteriser for the PNG charts of `tinify plot`: an RGB canvas in
// [0, 1], axis-aligned rectangles with exact fractional coverage, and shapes sampled 4×4 per
// pixel — thick polylines (round caps and joins: the union of capsules, so overlapping segments
// do not darken), filled discs, rounded rectangles and stroke-font text. Colours are blended
// straight (no gamma), as most plotting back ends do.

/// An sRGB colour, each channel in [0, 1].
package struct ChartColor: Sendable, Equatable {
    /// Red.
    package var r: Double
    /// Green.
    package var g: Double
    /// Blue.
    package var b: Double

    /// The colour `0xRRGGBB`.
    package init(hex: UInt32) {
        r = Double((hex >> 16) & 0xFF) / 255
        g = Double((hex >> 8) & 0xFF) / 255
        b = Double(hex & 0xFF) / 255
    }

    /// `#rrggbb`.
    package var hex: String {
        let digits = Array("0123456789abcdef")
        var out = "#"
        for c in [r, g, b] {
            let v = Int((min(max(c, 0), 1) * 255).rounded())
            out.append(digits[v >> 4]); out.append(digits[v & 15])
        }
        return out
    }

    /// White.
    package static let white = ChartColor(hex: 0xFFFFFF)
    /// Black.
    package static let black = ChartColor(hex: 0x000000)
}

/// An RGB image being drawn on: row-major, 3 doubles per pixel.
package struct Raster: Sendable {
    /// Width in pixels.
    package let width: Int
    /// Height in pixels.
    package let height: Int
    /// The pixels, row-major, r g b interleaved.
    package private(set) var pixels: [Double]

    /// The samples per pixel along each axis.
    private static let grid = 4

    /// A canvas of `width × height` filled with `background`.
    package init(width: Int, height: Int, background: ChartColor = .white) {
        self.width = width
        self.height = height
        pixels = [Double](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            pixels[3 * i] = background.r; pixels[3 * i + 1] = background.g; pixels[3 * i + 2] = background.b
        }
    }

    /// The colour at pixel (x, y).
    package func color(x: Int, y: Int) -> ChartColor {
        var c = ChartColor.white
        let i = 3 * (y * width + x)
        c.r = pixels[i]; c.g = pixels[i + 1]; c.b = pixels[i + 2]
        return c
    }

    /// Blends `color` into pixel (x, y) with weight `alpha`.
    private mutating func blend(_ x: Int, _ y: Int, _ color: ChartColor, _ alpha: Double) {
        guard alpha > 0 else { return }
        let i = 3 * (y * width + x), a = min(alpha, 1)
        pixels[i] += (color.r - pixels[i]) * a
        pixels[i + 1] += (color.g - pixels[i + 1]) * a
        pixels[i + 2] += (color.b - pixels[i + 2]) * a
    }

    // MARK: - Rectangles

    /// Fills the rectangle [x0, x1) × [y0, y1) (pixel edges at integers), partial pixels by
    /// their covered area.
    package mutating func fillRect(x0: Double, y0: Double, x1: Double, y1: Double, color: ChartColor, opacity: Double = 1) {
        let left = max(0, Int(x0.rounded(.down))), right = min(width, Int(x1.rounded(.up)))
        let top = max(0, Int(y0.rounded(.down))), bottom = min(height, Int(y1.rounded(.up)))
        guard left < right, top < bottom else { return }
        for py in top..<bottom {
            let cy = min(Double(py + 1), y1) - max(Double(py), y0)
            guard cy > 0 else { continue }
            for px in left..<right {
                let cx = min(Double(px + 1), x1) - max(Double(px), x0)
                if cx > 0 { blend(px, py, color, cx * cy * opacity) }
            }
        }
    }

    // MARK: - Sampled shapes

    /// Paints the union of `shapes` with `color`: each pixel gets the fraction of its 4×4 samples
    /// that fall inside any of them.
    package mutating func fill(_ shapes: [Shape], color: ChartColor, opacity: Double = 1) {
        guard !shapes.isEmpty else { return }
        var box = shapes[0].bounds
        for s in shapes.dropFirst() { box = (min(box.0, s.bounds.0), min(box.1, s.bounds.1), max(box.2, s.bounds.2), max(box.3, s.bounds.3)) }
        let left = max(0, Int(box.0.rounded(.down))), right = min(width, Int(box.2.rounded(.up)))
        let top = max(0, Int(box.1.rounded(.down))), bottom = min(height, Int(box.3.rounded(.up)))
        guard left < right, top < bottom else { return }
        let w = right - left
        var mask = [UInt16](repeating: 0, count: w * (bottom - top))
        let g = Self.grid, all = UInt16.max
        for shape in shapes {
            let b = shape.bounds
            let sx0 = max(left, Int(b.0.rounded(.down))), sx1 = min(right, Int(b.2.rounded(.up)))
            let sy0 = max(top, Int(b.1.rounded(.down))), sy1 = min(bottom, Int(b.3.rounded(.up)))
            guard sx0 < sx1, sy0 < sy1 else { continue }
            for py in sy0..<sy1 {
                for px in sx0..<sx1 {
                    let m = (py - top) * w + (px - left)
                    if mask[m] == all { continue }
                    // The pixel's centre decides at once unless it is near the shape's edge.
                    switch shape.classify(Double(px) + 0.5, Double(py) + 0.5) {
                    case .inside: mask[m] = all
                    case .outside: continue
                    case .edge:
                        var bits = mask[m]
                        for j in 0..<g {
                            for i in 0..<g where shape.contains(Double(px) + (Double(i) + 0.5) / Double(g), Double(py) + (Double(j) + 0.5) / Double(g)) {
                                bits |= 1 << UInt16(j * g + i)
                            }
                        }
                        mask[m] = bits
                    }
                }
            }
        }
        for py in top..<bottom {
            for px in left..<right {
                let bits = mask[(py - top) * w + (px - left)]
                if bits != 0 { blend(px, py, color, Double(bits.nonzeroBitCount) / Double(g * g) * opacity) }
            }
        }
    }

    /// A polyline `width` pixels thick with round caps and joins, optionally dashed (`dash`:
    /// on, off, on, … lengths in pixels).
    package mutating func polyline(_ points: [ChartPoint], color: ChartColor, width: Double, dash: [Double]? = nil, opacity: Double = 1) {
        let r = width / 2
        var shapes: [Shape] = []
        for piece in Self.dashed(points, dash) {
            if piece.count == 1 { shapes.append(.disc(piece[0], r)); continue }
            for (a, b) in zip(piece, piece.dropFirst()) { shapes.append(.capsule(a, b, r)) }
        }
        fill(shapes, color: color, opacity: opacity)
    }

    /// A filled disc.
    package mutating func disc(_ center: ChartPoint, radius: Double, color: ChartColor, opacity: Double = 1) {
        fill([.disc(center, radius)], color: color, opacity: opacity)
    }

    /// Text in the stroke font at `size` pixels, from `origin` on the baseline.
    package mutating func text(_ s: String, origin: ChartPoint, size: Double, color: ChartColor, vertical: Bool = false) {
        let r = StrokeFont.strokeWidth(size: size) / 2
        var shapes: [Shape] = []
        for line in StrokeFont.polylines(s, size: size, origin: origin, vertical: vertical) {
            for (a, b) in zip(line, line.dropFirst()) { shapes.append(.capsule(a, b, r)) }
        }
        fill(shapes, color: color)
    }

    /// The on-pieces of `points` under the dash pattern (the whole line without one).
    private static func dashed(_ points: [ChartPoint], _ dash: [Double]?) -> [[ChartPoint]] {
        guard let dash, dash.count >= 2, dash.allSatisfy({ $0 > 0 }), points.count >= 2 else { return [points] }
        var pieces: [[ChartPoint]] = [], current: [ChartPoint] = [points[0]]
        var k = 0, left = dash[0], on = true
        for (a, b) in zip(points, points.dropFirst()) {
            let dx = b.x - a.x, dy = b.y - a.y, length = (dx * dx + dy * dy).squareRoot()
            var t = 0.0
            while length - t > left {
                t += left
                let p = ChartPoint(a.x + dx * t / length, a.y + dy * t / length)
                if on { current.append(p); pieces.append(current); current = [] } else { current = [p] }
                on.toggle()
                k = (k + 1) % dash.count
                left = dash[k]
            }
            left -= length - t
            if on { current.append(b) }
        }
        if on, current.count >= 2 { pieces.append(current) }
        return pieces
    }

    /// A shape the sampler tests points against.
    package enum Shape: Sendable {
        /// The points within `r` of the segment a–b.
        case capsule(ChartPoint, ChartPoint, Double)
        /// The points within `r` of a centre.
        case disc(ChartPoint, Double)
        /// The rectangle (x0, y0)–(x1, y1) with corners rounded by `r`.
        case roundedRect(x0: Double, y0: Double, x1: Double, y1: Double, r: Double)

        /// The bounding box (x0, y0, x1, y1).
        var bounds: (Double, Double, Double, Double) {
            switch self {
            case let .capsule(a, b, r): return (min(a.x, b.x) - r, min(a.y, b.y) - r, max(a.x, b.x) + r, max(a.y, b.y) + r)
            case let .disc(c, r): return (c.x - r, c.y - r, c.x + r, c.y + r)
            case let .roundedRect(x0, y0, x1, y1, _): return (x0, y0, x1, y1)
            }
        }

        /// The signed distance from (x, y) to the shape's edge (negative inside).
        func distance(_ x: Double, _ y: Double) -> Double {
            switch self {
            case let .capsule(a, b, r):
                let dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy
                let t = l2 > 0 ? min(max(((x - a.x) * dx + (y - a.y) * dy) / l2, 0), 1) : 0
                let ex = x - (a.x + t * dx), ey = y - (a.y + t * dy)
                return (ex * ex + ey * ey).squareRoot() - r
            case let .disc(c, r):
                let ex = x - c.x, ey = y - c.y
                return (ex * ex + ey * ey).squareRoot() - r
            case let .roundedRect(x0, y0, x1, y1, r):
                let cx = (x0 + x1) / 2, cy = (y0 + y1) / 2
                let qx = abs(x - cx) - ((x1 - x0) / 2 - r), qy = abs(y - cy) - ((y1 - y0) / 2 - r)
                let ox = max(qx, 0), oy = max(qy, 0)
                return (ox * ox + oy * oy).squareRoot() + min(max(qx, qy), 0) - r
            }
        }

        /// Whether (x, y) is inside.
        func contains(_ x: Double, _ y: Double) -> Bool { distance(x, y) <= 0 }

        /// Where a pixel centred at (x, y) lies: wholly inside, wholly outside, or on the edge
        /// (a pixel reaches at most √2 / 2 from its centre).
        func classify(_ x: Double, _ y: Double) -> Coverage {
            let d = distance(x, y)
            return d <= -0.71 ? .inside : (d >= 0.71 ? .outside : .edge)
        }
    }

    /// How a pixel meets a shape.
    package enum Coverage: Sendable { case inside, outside, edge }
}

/// A `ChartCanvas` on a `Raster`, every coordinate multiplied by `scale` (a 900×600 chart at
/// scale 2 is an 1800×1200 image with everything twice as large).
package struct RasterCanvas: ChartCanvas {
    /// The image drawn so far.
    package private(set) var raster: Raster
    /// Device pixels per chart pixel.
    package let scale: Double

    /// A white canvas for a `width × height` chart at `scale`.
    package init(width: Int, height: Int, scale: Int = 1) {
        raster = Raster(width: width * scale, height: height * scale)
        self.scale = Double(scale)
    }

    /// `q` in device pixels.
    private func p(_ q: ChartPoint) -> ChartPoint { ChartPoint(q.x * scale, q.y * scale) }

    /// Fills an axis-aligned rectangle.
    package mutating func rect(x0: Double, y0: Double, x1: Double, y1: Double, color: ChartColor) {
        raster.fillRect(x0: x0 * scale, y0: y0 * scale, x1: x1 * scale, y1: y1 * scale, color: color)
    }

    /// A rounded box with a 1-pixel border.
    package mutating func box(x0: Double, y0: Double, x1: Double, y1: Double, radius: Double, fill: ChartColor, stroke: ChartColor) {
        let s = scale
        raster.fill([.roundedRect(x0: x0 * s, y0: y0 * s, x1: x1 * s, y1: y1 * s, r: radius * s)], color: stroke)
        raster.fill([.roundedRect(x0: (x0 + 1) * s, y0: (y0 + 1) * s, x1: (x1 - 1) * s, y1: (y1 - 1) * s, r: max(radius - 1, 0) * s)], color: fill)
    }

    /// A thick polyline, optionally dashed.
    package mutating func polyline(_ points: [ChartPoint], color: ChartColor, width: Double, dash: [Double]?) {
        raster.polyline(points.map(p), color: color, width: width * scale, dash: dash?.map { $0 * scale })
    }

    /// A filled disc.
    package mutating func disc(_ center: ChartPoint, radius: Double, color: ChartColor) {
        raster.disc(p(center), radius: radius * scale, color: color)
    }

    /// Text on a baseline, anchored at its start, middle or end.
    package mutating func text(_ s: String, at: ChartPoint, size: Double, anchor: TextAnchor, color: ChartColor, vertical: Bool) {
        let w = StrokeFont.width(of: s, size: size)
        let shift = anchor == .start ? 0 : (anchor == .middle ? w / 2 : w)
        let origin = vertical ? ChartPoint(at.x, at.y + shift) : ChartPoint(at.x - shift, at.y)
        raster.text(s, origin: p(origin), size: size * scale, color: color, vertical: vertical)
    }
}
