// Rate–distortion charts (RDChart, as compressai.utils.plot draws them): the SVG's text, the PNG's
// size and pixels, tick choice, the stroke font, and the errors.
import XCTest
import Tinify
import TestSupport

final class PlotTests: XCTestCase {
    private func curves() throws -> [RDCurve] {
        [try RDCurve(name: "bmshj2018-hyperprior", metric: .psnr, rates: [0.109, 0.170, 0.259, 0.385, 0.565, 0.806, 1.112, 1.490],
                     qualities: [27.55, 29.10, 30.80, 32.50, 34.35, 36.25, 38.10, 39.95]),
         try RDCurve(name: "VTM <4:4:4> & co", metric: .psnr, rates: [1.420, 0.101, 0.157, 0.241, 0.363, 0.531, 0.762, 1.056],
                     qualities: [40.35, 27.95, 29.45, 31.20, 32.95, 34.75, 36.65, 38.55])]
    }

    func testSVGHasNamesLabelsAndStyles() throws {
        let chart = try RDChart(curves: curves(), title: "Kodak")
        let svg = chart.svg
        XCTAssertTrue(svg.hasPrefix("<?xml"))
        XCTAssertTrue(svg.contains("width=\"900\" height=\"600\""))
        for text in [">bmshj2018-hyperprior</text>", ">VTM &lt;4:4:4&gt; &amp; co</text>", ">Bit-rate [bpp]</text>", ">PSNR [dB]</text>",
                     ">Kodak</text>", "rotate(-90", "stroke=\"#1f77b4\"", "stroke=\"#ff7f0e\""] {
            XCTAssertTrue(svg.contains(text), text)
        }
        // The hybrid codec (a name with "VTM") is dashed, the learned one is not.
        XCTAssertEqual(svg.components(separatedBy: "stroke-dasharray").count - 1, 2, "the curve and its legend sample")
        // Tick labels at 1-2-5 steps: PSNR 28…40 every 2 dB, rate 0.2…1.4 every 0.2.
        for label in ["28", "30", "40", "0.2", "1.4"] { XCTAssertTrue(svg.contains(">\(label)</text>"), label) }
        XCTAssertFalse(svg.contains(">29</text>"))

        let ms = try RDChart(results: [EvaluationResult(name: "m", description: "", results: [("bpp", [0.1, 0.5]), ("ms-ssim-rgb", [0.9, 0.99])])],
                             metric: .msSSIM)
        XCTAssertTrue(ms.svg.contains(">MS-SSIM [dB]</text>"))
        // -10 log10(1 - v): 10 and 20 dB.
        XCTAssertEqual(ms.curves[0].qualities[0], 10, accuracy: 1e-12)
        XCTAssertEqual(ms.curves[0].qualities[1], 20, accuracy: 1e-12)
    }

    func testPNGSizeAndPixels() throws {
        let dir = Fixtures.scratch("plot")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let chart = try RDChart(curves: curves())
        let path = dir + "/rd.png"
        try chart.write(toFile: path)
        let image = try ImageTensor(contentsOfFile: path)
        XCTAssertEqual(image.shape, [1, 3, 600, 900])
        let (w, h) = (900, 600), plane = w * h
        func pixel(_ x: Int, _ y: Int) -> (Int, Int, Int) {
            (Int((image[y * w + x] * 255).rounded()), Int((image[plane + y * w + x] * 255).rounded()), Int((image[2 * plane + y * w + x] * 255).rounded()))
        }
        XCTAssertTrue(pixel(2, 2) == (255, 255, 255), "white background")
        // The plot area (the middle of the chart) is not blank, and holds tab10's blue and orange exactly.
        var inked = 0, blue = 0, orange = 0
        for y in 100..<500 {
            for x in 150..<800 {
                let p = pixel(x, y)
                if p != (255, 255, 255) { inked += 1 }
                if p == (0x1F, 0x77, 0xB4) { blue += 1 }
                if p == (0xFF, 0x7F, 0x0E) { orange += 1 }
            }
        }
        XCTAssertGreaterThan(inked, 5000)
        XCTAssertGreaterThan(blue, 100)
        XCTAssertGreaterThan(orange, 100)
        // Text is drawn: the x-axis label's row below the plot has dark pixels.
        var dark = 0
        for y in 570..<598 { for x in 300..<600 where pixel(x, y).0 < 100 { dark += 1 } }
        XCTAssertGreaterThan(dark, 50)

        let doubled = try chart.rendered(scale: 2)
        XCTAssertEqual(doubled.shape, [1, 3, 1200, 1800])
        let svgPath = dir + "/rd.svg"
        try chart.write(toFile: svgPath)
        XCTAssertTrue(try String(contentsOfFile: svgPath, encoding: .utf8).contains("bmshj2018-hyperprior"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["rd.png", "rd.svg"], "no temporary file left")
    }

    func testTicks() {
        let unit = RDChart.ticks(from: 0, to: 1, maxCount: 8)
        XCTAssertEqual(unit.step, 0.2)
        XCTAssertEqual(unit.values.count, 6)
        zip(unit.values, [0, 0.2, 0.4, 0.6, 0.8, 1]).forEach { XCTAssertEqual($0, $1, accuracy: 1e-12) }
        XCTAssertEqual(RDChart.ticks(from: 26.9, to: 41, maxCount: 9).values, [28, 30, 32, 34, 36, 38, 40])
        XCTAssertEqual(RDChart.ticks(from: 0.05, to: 1.6, maxCount: 9).step, 0.2)
        XCTAssertEqual(RDChart.ticks(from: 0.05, to: 1.6, maxCount: 20).step, 0.1)
        XCTAssertEqual(RDChart.ticks(from: 8, to: 3700, maxCount: 8).step, 500)
        XCTAssertEqual(RDChart.ticks(from: 0.50005, to: 0.50035, maxCount: 8).step, 0.00005, accuracy: 1e-15)
        XCTAssertEqual(RDChart.ticks(from: 0.50005, to: 0.50035, maxCount: 8).values.count, 7)
        XCTAssertEqual(RDChart.ticks(from: 1, to: 1, maxCount: 8).values, [])

        let x = RDChart.axis(low: 0.101, high: 1.49, maxTicks: 9)
        XCTAssertEqual(x.labels, ["0.2", "0.4", "0.6", "0.8", "1.0", "1.2", "1.4"])
        XCTAssertLessThan(x.lower, 0.101)
        XCTAssertGreaterThan(x.upper, 1.49)
        XCTAssertEqual(RDChart.axis(low: 27.55, high: 40.35, maxTicks: 9).labels, ["28", "30", "32", "34", "36", "38", "40"])
        XCTAssertEqual(RDChart.axis(low: 0.1, high: 0.5, maxTicks: 10).labels.first, "0.10")
        // A single value gets a range around it.
        let single = RDChart.axis(low: 30, high: 30, maxTicks: 8)
        XCTAssertEqual(single.lower, 28.5, accuracy: 1e-12)
        XCTAssertFalse(single.ticks.isEmpty)
    }

    func testStrokeFontCoversTheLabels() {
        // Every character the brief lists has a glyph of its own (not the open box of unknowns).
        let box = StrokeFont.glyph("\u{FFFD}").strokes
        XCTAssertEqual(StrokeFont.glyph("\u{263A}").strokes, box)
        for ch in "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,-+()[]%/:_=" {
            let g = StrokeFont.glyph(ch)
            XCTAssertFalse(g.strokes.isEmpty, "\(ch)")
            XCTAssertNotEqual(g.strokes, box, "\(ch)")
            XCTAssertGreaterThan(g.advance, 0, "\(ch)")
            // Every point lies between the descender and above the cap height, within the advance (f overhangs a little).
            for p in g.strokes.joined() {
                XCTAssertTrue((-3.5...11).contains(p.y) && (-1...g.advance + 1.5).contains(p.x), "\(ch): \(p)")
            }
        }
        XCTAssertTrue(StrokeFont.glyph(" ").strokes.isEmpty)
        XCTAssertGreaterThan(StrokeFont.width(of: "PSNR [dB]", size: 15), 50)
        XCTAssertGreaterThanOrEqual(StrokeFont.layoutWidth(of: "mbt2018", size: 13), StrokeFont.width(of: "mbt2018", size: 13))
    }

    func testErrors() throws {
        XCTAssertThrowsError(try RDChart(curves: [])) { XCTAssertEqual("\($0)", "no curves to plot") }
        let ms = try RDCurve(name: "m", metric: .msSSIM, rates: [0.1], qualities: [10])
        XCTAssertThrowsError(try RDChart(curves: curves() + [ms])) { XCTAssertTrue("\($0)".contains("\"m\" is a ms-ssim-rgb curve")) }
        XCTAssertThrowsError(try RDChart(curves: curves(), width: 10))
        XCTAssertThrowsError(try RDChart(curves: curves()).write(toFile: "/tmp/rd.jpg")) {
            XCTAssertEqual("\($0)", "a chart is written as .png or .svg, not .jpg")
        }
        XCTAssertThrowsError(try RDChart(curves: curves()).rendered(scale: 9))
        let many = try RDCurve(name: "many", metric: .psnr, rates: (1...10_001).map { Double($0) }, qualities: (1...10_001).map { Double($0) })
        XCTAssertThrowsError(try RDChart(curves: [many])) { XCTAssertTrue("\($0)".contains("10001 points")) }
        // A long name is cut in the legend.
        let long = try RDCurve(name: String(repeating: "x", count: 500), metric: .psnr, rates: [0.1, 0.2], qualities: [30, 31])
        XCTAssertTrue(try RDChart(curves: [long]).svg.contains(">" + String(repeating: "x", count: 77) + "...</text>"))
        let psnrOnly = EvaluationResult(name: "p", description: "", results: [("bpp", [0.1]), ("psnr-rgb", [30])])
        XCTAssertThrowsError(try RDChart(results: [psnrOnly], metric: .msSSIM)) {
            XCTAssertEqual("\($0)", "\"p\": no \"ms-ssim-rgb\" results (it has bpp, psnr-rgb)")
        }
        XCTAssertThrowsError(try RDCurve(name: "n", metric: .psnr, rates: [0.1, 0.2], qualities: [30, .nan])) {
            XCTAssertTrue("\($0)".contains("point 2 has PSNR nan dB (not finite)"))
        }
    }
}
