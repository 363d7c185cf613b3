// tinify bd-rate: Bjøntegaard delta rate and delta PSNR (ITU-T VCEG-M33) of one eval_model result
// document against another, by the pchip and the cubic method, as the PyPI package bjontegaard
// 1.3.0 computes them with min_overlap=0.
import ArgumentParser
import Tinify

/// `tinify bd-rate ANCHOR TEST [--metric] [--json]`.
struct BDRate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bd-rate",
        abstract: "Bjøntegaard delta rate (%) and delta PSNR (dB) of TEST against ANCHOR (eval_model result documents), pchip and cubic.",
        discussion: """
            As bjontegaard 1.3.0's bd_rate / bd_psnr with min_overlap=0. Points are sorted by bpp; \
            each curve needs at least 4 points with rate and quality strictly increasing, and the \
            curves must overlap. MS-SSIM is taken in dB, -10*log10(1 - MS-SSIM), as CompressAI's plot draws it. \
            A negative BD-rate means TEST needs fewer bits for the same quality.
            """)

    @Argument(help: "The anchor's result document (eval_model JSON).") var anchor: String
    @Argument(help: "The tested codec's result document.") var test: String
    @Option(help: "The quality: psnr-rgb or ms-ssim-rgb (also psnr, ms-ssim).") var metric = "psnr-rgb"
    @Flag(help: "Print one JSON object: {\"metric\", \"pchip\": {\"bd_rate\", \"bd_psnr\"}, \"cubic\": {…}}.") var json = false

    func run() throws {
        let metric = try qualityMetric(self.metric)
        let a = try readCurve(anchor, metric: metric), t = try readCurve(test, metric: metric)
        try reportingErrors(test) {
            let bd = try BjontegaardDelta.compute(anchor: a, test: t)
            if json {
                func figures(_ f: BjontegaardDelta.Figures) -> JSON { .object([("bd_rate", .number(f.bdRate)), ("bd_psnr", .number(f.bdPSNR))]) }
                print(JSON.object([("metric", .string(metric.rawValue)), ("pchip", figures(bd.pchip)), ("cubic", figures(bd.cubic))]).pretty)
            } else {
                print("anchor: \(a.name) (\(anchor), \(a.count) points)")
                print("test:   \(t.name) (\(test), \(t.count) points)")
                for method in BjontegaardDelta.Method.allCases {
                    let f = bd[method]
                    print("\(method.rawValue): BD-rate \(signed(f.bdRate, 2)) %, BD-\(metric.displayName) \(signed(f.bdPSNR, 3)) dB")
                }
            }
        }
    }
}

/// The metric named on the command line (`psnr-rgb`, `ms-ssim-rgb`, `psnr`, `ms-ssim`); an
/// unknown name prints `error: --metric: …` and exits 1.
func qualityMetric(_ name: String) throws -> QualityMetric {
    var metric: QualityMetric?
    try reportingErrors("--metric") {
        metric = QualityMetric(name: name)
        if metric == nil {
            throw EvaluationError.badRequest("unknown metric \"\(name)\" (use psnr-rgb or ms-ssim-rgb)")
        }
    }
    guard let metric else { throw ExitCode(1) }
    return metric
}

/// The rate–distortion curve of `metric` in the result document at `path`; problems print
/// `error: <path>: …` and exit 1.
func readCurve(_ path: String, metric: QualityMetric) throws -> RDCurve {
    var curve: RDCurve?
    try reportingErrors(path) {
        curve = try RDCurve(EvaluationResult(contentsOfFile: path), metric: metric)
    }
    guard let curve else { throw ExitCode(1) }
    return curve
}

/// `v` with `digits` decimals and a sign (`+0.123`, `-12.35`).
func signed(_ v: Double, _ digits: Int) -> String {
    let text = decimal(v, digits)
    return v.isFinite && !text.hasPrefix("-") ? "+" + text : text
}
