// tinify plot: the rate–distortion curves of eval_model result documents on one chart, as
// compressai.utils.plot draws them, written as PNG or SVG.
import ArgumentParser
import Tinify

/// `tinify plot RESULT… -o OUT [--metric] [--title] [--scale]`.
struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw the RD curves of eval_model result documents on one chart (.png or .svg), as compressai.utils.plot does.",
        discussion: """
            Bit-rate [bpp] on x, PSNR or MS-SSIM in dB (-10*log10(1 - MS-SSIM)) on y, one line with \
            markers per document, named by its "name" (dashed for HM, VTM, JPEG, WebP, BPG, AV1). \
            The chart is 900x600 pixels (the PNG times --scale); OUT is replaced if it exists.
            """)

    @Argument(help: "eval_model result documents (JSON).") var results: [String]
    @Option(name: .shortAndLong, help: "The chart to write: .png or .svg.") var output: String
    @Option(help: "The quality: psnr-rgb or ms-ssim-rgb (also psnr, ms-ssim).") var metric = "psnr-rgb"
    @Option(help: "A title above the chart.") var title: String?
    @Option(help: "PNG pixels per chart pixel, 1-8 (2 gives 1800x1200).") var scale = 1

    func run() throws {
        let metric = try qualityMetric(self.metric)
        let curves = try results.map { try readCurve($0, metric: metric) }
        try reportingErrors(output) {
            let chart = try RDChart(curves: curves, title: title)
            try chart.write(toFile: output, scale: scale)
            print("\(output): \(curves.count) curve\(curves.count == 1 ? "" : "s") of \(metric.rawValue)")
        }
    }
}
