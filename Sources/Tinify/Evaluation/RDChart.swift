// Tinify: rate–distortion charts as `compressai.utils.plot` draws them with matplotlib — bits per
// pixel on x ("Bit-rate [bpp]"), PSNR or MS-SSIM in dB on y, one line with markers per result
// document (dashed for the hybrid codecs compressai names: HM, VTM, JPEG, WebP, BPG, AV1), the
// legend from each document's `name` in the lower right, a grid, 9 × 6 in (900 × 600 px) — as SVG
// text or as a PNG this package rasterises itself (Raster.swift, StrokeFont.swift). Axes span the
// data plus 5 % (matplotlib's margins) with ticks at 1-2-5 steps.
import TinifyCore
import TinifyRuntime
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A rate–distortion chart of one or more curves of the same metric.
///
/// ```swift
/// let docs = try ["mbt2018.json", "bmshj2018.json"].map { try EvaluationResult(contentsOfFile: $0) }
/// let chart = try RDChart(results: docs, metric: .psnr, title: "Kodak")
/// try chart.write(toFile: "rd.png")
/// ```
public struct RDChart: Sendable {
    /// The curves, drawn in order (colours follow ``palette``).
    public let curves: [RDCurve]
    /// The title above the plot, if any.
    public var title: String?
    /// The width in pixels (of the SVG; the PNG's times its scale).
    public let width: Int
    /// The height in pixels.
    public let height: Int

    /// The quality on the value axis.
    public var metric: QualityMetric { curves[0].metric }

    /// matplotlib's `tab10` colours, cycled over the curves.
    public static let palette: [UInt32] = [0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD,
                                           0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF]
    /// Curves whose name contains one of these are dashed (compressai's `hybrid_matches`).
    public static let hybridCodecs = ["HM", "VTM", "JPEG", "JPEG2000", "WebP", "BPG", "AV1"]
    /// The sizes accepted, in pixels, per side.
    public static let sizes = 200...4096
    /// The most points a curve may have (eval_model writes one per checkpoint).
    public static let maxPoints = 10_000
    /// Legend entries and the title longer than this many characters are cut, ending in `...`.
    public static let maxTextLength = 80

    /// A chart of `curves`.
    /// - Throws: `EvaluationError.badRequest` without curves, for curves of different metrics or
    ///   a size outside ``sizes``.
    public init(curves: [RDCurve], title: String? = nil, width: Int = 900, height: Int = 600) throws {
        guard let first = curves.first else { throw EvaluationError.badRequest("no curves to plot") }
        if let other = curves.first(where: { $0.metric != first.metric }) {
            throw EvaluationError.badRequest("\"\(other.name)\" is a \(other.metric.rawValue) curve, \"\(first.name)\" a \(first.metric.rawValue) curve")
        }
        if let long = curves.first(where: { $0.count > Self.maxPoints }) {
            throw EvaluationError.badRequest("\"\(long.name.prefix(Self.maxTextLength))\" has \(long.count) points (a chart takes at most \(Self.maxPoints) per curve)")
        }
        guard Self.sizes.contains(width), Self.sizes.contains(height) else {
            throw EvaluationError.badRequest("a chart of \(width)×\(height) pixels (each side must be \(Self.sizes.lowerBound)…\(Self.sizes.upperBound))")
        }
        self.curves = curves
        self.title = title
        self.width = width
        self.height = height
    }

    /// A chart of the `metric` curves of eval_model result documents.
    /// - Throws: `EvaluationError.unusableCurve` for a document without `bpp` or `metric`
    ///   results or with values that are not finite; as ``init(curves:title:width:height:)``.
    public init(results: [EvaluationResult], metric: QualityMetric, title: String? = nil, width: Int = 900, height: Int = 600) throws {
        try self.init(curves: results.map { try RDCurve($0, metric: metric) }, title: title, width: width, height: height)
    }

    // MARK: - Output

    /// The chart as an SVG document.
    public var svg: String {
        var canvas = SVGCanvas(width: width, height: height)
        draw(on: &canvas)
        return canvas.document
    }

    /// The chart as PNG file bytes, `scale` device pixels per chart pixel (1…8).
    /// - Throws: `EvaluationError.badRequest` for a scale outside 1…8 or an image over 16384
    ///   pixels a side; `RuntimeError.image` when libpng cannot encode it.
    public func png(scale: Int = 1) throws -> [UInt8] {
        let image = try rendered(scale: scale)
        return try PNGImage.encode(image, levels: .nearest, path: "chart")
    }

    /// The chart as a 1×3×H×W image tensor in [0, 1] (the pixels of ``png(scale:)``).
    /// - Throws: `EvaluationError.badRequest` for a scale outside 1…8 or an image over 16384 pixels a side.
    public func rendered(scale: Int = 1) throws -> ImageTensor {
        guard (1...8).contains(scale), width * scale <= 16384, height * scale <= 16384 else {
            throw EvaluationError.badRequest("scale \(scale) is not 1…8 or makes the image over 16384 pixels a side")
        }
        var canvas = RasterCanvas(width: width, height: height, scale: scale)
        draw(on: &canvas)
        let raster = canvas.raster, plane = raster.width * raster.height
        return FloatTensor(shape: [1, 3, raster.height, raster.width]) { out in
            raster.pixels.withUnsafeBufferPointer { px in
                for i in 0..<plane {
                    out[i] = Float(px[3 * i]); out[plane + i] = Float(px[3 * i + 1]); out[2 * plane + i] = Float(px[3 * i + 2])
                }
            }
        }
    }

    /// Writes the chart to `path` atomically: SVG for a `.svg` name, PNG (at `scale`) for `.png`.
    /// An existing file is replaced.
    /// - Throws: `EvaluationError.badRequest` for another extension or a bad scale;
    ///   `FileError.cannotWrite` when the file cannot be written.
    public func write(toFile path: String, scale: Int = 1) throws {
        let lower = path.lowercased()
        let bytes: [UInt8]
        if lower.hasSuffix(".svg") {
            bytes = Array(svg.utf8)
        } else if lower.hasSuffix(".png") {
            bytes = try png(scale: scale)
        } else {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            let ext = name.lastIndex(of: ".").map { String(name[$0...]) } ?? "no extension"
            throw EvaluationError.badRequest("a chart is written as .png or .svg, not \(ext)")
        }
        try AtomicFile.write(to: path) { out in try out.write(bytes) }
    }

    // MARK: - Axes

    /// An axis: its limits, tick values and the decimals their labels show.
    package struct Axis: Sendable, Equatable {
        /// The value at the axis's start.
        package let lower: Double
        /// The value at its end.
        package let upper: Double
        /// The tick values, all within the limits.
        package let ticks: [Double]
        /// The decimals of the tick labels (those of the step).
        package let decimals: Int
        /// The tick labels.
        package var labels: [String] { ticks.map { ChartNumber.text($0, decimals: decimals) } }
    }

    /// The axis over data from `low` to `high`: 5 % margins each side (a single value gets ±5 %
    /// of itself, at least ±0.05), at most `maxTicks` ticks at a 1-2-5 step.
    package static func axis(low: Double, high: Double, maxTicks: Int) -> Axis {
        var lo = low, hi = high
        if hi > lo {
            let m = (hi - lo) * 0.05
            lo -= m; hi += m
        } else {
            let m = max(abs(lo) * 0.05, 0.05)
            lo -= m; hi += m
        }
        let (values, step) = ticks(from: lo, to: hi, maxCount: maxTicks)
        let decimals = max(0, -Int((log10(step) + 1e-9).rounded(.down)))
        return Axis(lower: lo, upper: hi, ticks: values, decimals: decimals)
    }

    /// Tick values from `lo` to `hi` (inclusive): the multiples of the smallest step of the form
    /// 1, 2 or 5 × 10ᵏ that gives at most `maxCount` of them (at least 2 are allowed).
    package static func ticks(from lo: Double, to hi: Double, maxCount: Int) -> (values: [Double], step: Double) {
        guard lo.isFinite, hi.isFinite, hi > lo else { return ([], 1) }
        let limit = Double(max(2, maxCount))
        var exponent = Int((log10((hi - lo) / limit)).rounded(.down)) - 1
        while true {
            let power = exponent >= 0 ? pow10(exponent) : 1 / pow10(-exponent)
            for m in [1.0, 2.0, 5.0] {
                let step = m * power
                let first = (lo / step - 1e-9).rounded(.up), last = (hi / step + 1e-9).rounded(.down)
                if last - first + 1 <= limit {
                    return (last < first ? [] : (Int(first)...Int(last)).map { Double($0) * step }, step)
                }
            }
            exponent += 1
        }
    }

    /// 10ᵏ for k ≥ 0, exactly.
    private static func pow10(_ k: Int) -> Double { (0..<k).reduce(1.0) { r, _ in r * 10 } }

    // MARK: - Layout

    /// Sizes in pixels: text, lines, markers.
    private enum Style {
        static let tickText = 13.0, labelText = 15.0, titleText = 17.0, legendText = 13.0
        static let line = 2.0, marker = 3.5, tick = 5.0
        static let ink = ChartColor(hex: 0x262626), grid = ChartColor(hex: 0xD5D5D5), frame = ChartColor(hex: 0x000000)
        static let legendBorder = ChartColor(hex: 0xCCCCCC)
        static let dash = [7.0, 4.0]
    }

    /// The x of a 1-pixel line nearest `v` that covers whole pixels.
    private static func crisp(_ v: Double) -> Double { v.rounded(.down) + 0.5 }

    /// Draws the chart on `canvas`.
    package func draw<C: ChartCanvas>(on canvas: inout C) {
        let w = Double(width), h = Double(height), cap = StrokeFont.capHeight
        let rates = curves.flatMap(\.rates), qualities = curves.flatMap(\.qualities)
        let top = (title?.isEmpty ?? true) ? 20.0 : 48.0
        let bottom = h - (Style.tick + 6 + Style.tickText * cap + 14 + Style.labelText * cap + 14).rounded()
        let yAxis = Self.axis(low: qualities.min() ?? 0, high: qualities.max() ?? 1,
                              maxTicks: min(9, max(3, Int((bottom - top) / 55))))
        let yLabelWidth = yAxis.labels.map { StrokeFont.layoutWidth(of: $0, size: Style.tickText) }.max() ?? 0
        let left = (14 + Style.labelText * cap + 14 + yLabelWidth + 6 + Style.tick).rounded()
        // The last x tick label may reach past the plot's right edge by half its width.
        var right = w - 24
        var xMax = min(12, max(3, Int((right - left) / 60)))
        var xAxis = Self.axis(low: rates.min() ?? 0, high: rates.max() ?? 1, maxTicks: xMax)
        while xMax > 3 {
            let widest = xAxis.labels.map { StrokeFont.layoutWidth(of: $0, size: Style.tickText) }.max() ?? 0
            if (widest + 18) * Double(xAxis.ticks.count) <= right - left { break }
            xMax -= 1
            xAxis = Self.axis(low: rates.min() ?? 0, high: rates.max() ?? 1, maxTicks: xMax)
        }
        if let last = xAxis.labels.last {
            right = min(right, w - 6 - StrokeFont.layoutWidth(of: last, size: Style.tickText) / 2)
        }
        let px = { (x: Double) in left + (x - xAxis.lower) / (xAxis.upper - xAxis.lower) * (right - left) }
        let py = { (y: Double) in bottom - (y - yAxis.lower) / (yAxis.upper - yAxis.lower) * (bottom - top) }

        // Background and grid.
        canvas.rect(x0: 0, y0: 0, x1: w, y1: h, color: .white)
        for x in xAxis.ticks.map(px) { let c = Self.crisp(x); canvas.rect(x0: c - 0.5, y0: top, x1: c + 0.5, y1: bottom, color: Style.grid) }
        for y in yAxis.ticks.map(py) { let c = Self.crisp(y); canvas.rect(x0: left, y0: c - 0.5, x1: right, y1: c + 0.5, color: Style.grid) }

        // The curves.
        for (k, curve) in curves.enumerated() {
            let color = ChartColor(hex: Self.palette[k % Self.palette.count])
            let points = zip(curve.rates, curve.qualities).map { ChartPoint(px($0), py($1)) }
            canvas.polyline(points, color: color, width: Style.line, dash: isHybrid(curve) ? Style.dash : nil)
            for p in points { canvas.disc(p, radius: Style.marker, color: color) }
        }

        // Frame, ticks and their labels.
        let (fl, fr, ft, fb) = (Self.crisp(left) - 0.5, Self.crisp(right) + 0.5, Self.crisp(top) - 0.5, Self.crisp(bottom) + 0.5)
        canvas.rect(x0: fl, y0: ft, x1: fr, y1: ft + 1, color: Style.frame)
        canvas.rect(x0: fl, y0: fb - 1, x1: fr, y1: fb, color: Style.frame)
        canvas.rect(x0: fl, y0: ft, x1: fl + 1, y1: fb, color: Style.frame)
        canvas.rect(x0: fr - 1, y0: ft, x1: fr, y1: fb, color: Style.frame)
        for (x, label) in zip(xAxis.ticks.map(px), xAxis.labels) {
            let c = Self.crisp(x)
            canvas.rect(x0: c - 0.5, y0: fb, x1: c + 0.5, y1: fb + Style.tick, color: Style.frame)
            canvas.text(label, at: ChartPoint(x, fb + Style.tick + 5 + Style.tickText * cap), size: Style.tickText,
                        anchor: .middle, color: Style.ink, vertical: false)
        }
        for (y, label) in zip(yAxis.ticks.map(py), yAxis.labels) {
            let c = Self.crisp(y)
            canvas.rect(x0: fl - Style.tick, y0: c - 0.5, x1: fl, y1: c + 0.5, color: Style.frame)
            canvas.text(label, at: ChartPoint(fl - Style.tick - 5, y + Style.tickText * cap / 2), size: Style.tickText,
                        anchor: .end, color: Style.ink, vertical: false)
        }

        // Axis labels and title.
        canvas.text("Bit-rate [bpp]", at: ChartPoint((left + right) / 2, h - 14), size: Style.labelText,
                    anchor: .middle, color: Style.ink, vertical: false)
        canvas.text(metric.axisLabel, at: ChartPoint(14 + Style.labelText * cap, (top + bottom) / 2), size: Style.labelText,
                    anchor: .middle, color: Style.ink, vertical: true)
        if let title, !title.isEmpty {
            canvas.text(Self.shortened(title), at: ChartPoint((left + right) / 2, top - 16), size: Style.titleText,
                        anchor: .middle, color: Style.ink, vertical: false)
        }

        drawLegend(on: &canvas, right: right - 10, bottom: bottom - 10)
    }

    /// The legend box with its lower-right corner at (right, bottom): a line with a marker and
    /// the name per curve.
    private func drawLegend<C: ChartCanvas>(on canvas: inout C, right: Double, bottom: Double) {
        let row = 21.0, pad = 8.0, sample = 30.0, gap = 8.0
        let names = curves.map { Self.shortened($0.name) }
        let textWidth = names.map { StrokeFont.layoutWidth(of: $0, size: Style.legendText) }.max() ?? 0
        let boxWidth = (pad + sample + gap + textWidth + pad + 4).rounded(), boxHeight = (Double(curves.count) * row + 2 * (pad - 3)).rounded()
        let x0 = right.rounded() - boxWidth, y0 = bottom.rounded() - boxHeight
        canvas.box(x0: x0, y0: y0, x1: x0 + boxWidth, y1: y0 + boxHeight, radius: 4, fill: .white, stroke: Style.legendBorder)
        for (k, curve) in curves.enumerated() {
            let color = ChartColor(hex: Self.palette[k % Self.palette.count])
            let y = y0 + pad - 3 + row * (Double(k) + 0.5)
            let a = ChartPoint(x0 + pad, y), b = ChartPoint(x0 + pad + sample, y)
            canvas.polyline([a, b], color: color, width: Style.line, dash: isHybrid(curve) ? Style.dash : nil)
            canvas.disc(ChartPoint((a.x + b.x) / 2, y), radius: Style.marker, color: color)
            canvas.text(names[k], at: ChartPoint(b.x + gap, y + Style.legendText * StrokeFont.capHeight / 2), size: Style.legendText,
                        anchor: .start, color: Style.ink, vertical: false)
        }
    }

    /// `text` cut to ``maxTextLength`` characters.
    private static func shortened(_ text: String) -> String {
        text.count <= maxTextLength ? text : String(text.prefix(maxTextLength - 3)) + "..."
    }

    /// Whether `curve` is drawn dashed (a hybrid codec's name).
    private func isHybrid(_ curve: RDCurve) -> Bool { Self.hybridCodecs.contains { curve.name.contains($0) } }
}
