// Tinify: the rate–distortion curve of an eval_model result document, as `tinify bd-rate` and
// `tinify plot` take it: bpp against a quality in dB — PSNR as reported, MS-SSIM as
// `compressai.utils.plot` draws it, −10·log10(1 − MS-SSIM) — one point per checkpoint, sorted by
// rate (eval_model lists checkpoints in the order it was given them).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The quality axis of a rate–distortion curve.
public enum QualityMetric: String, CaseIterable, Sendable {
    /// PSNR over RGB in dB (the document's `psnr-rgb`).
    case psnr = "psnr-rgb"
    /// MS-SSIM over RGB (the document's `ms-ssim-rgb`), in dB on curves: −10·log10(1 − MS-SSIM).
    case msSSIM = "ms-ssim-rgb"

    /// The metric called `name`: its document key (`psnr-rgb`, `ms-ssim-rgb`) or
    /// `compressai.utils.plot`'s short name (`psnr`, `ms-ssim`); nil for anything else.
    public init?(name: String) {
        switch name {
        case "psnr", "psnr-rgb": self = .psnr
        case "ms-ssim", "ms-ssim-rgb": self = .msSSIM
        default: return nil
        }
    }

    /// What the quantity is called: `PSNR` or `MS-SSIM`.
    public var displayName: String { self == .psnr ? "PSNR" : "MS-SSIM" }

    /// The label of a value axis: `PSNR [dB]` or `MS-SSIM [dB]`.
    public var axisLabel: String { displayName + " [dB]" }

    /// A document's value in dB: PSNR as it is, MS-SSIM as −10·log10(1 − v) (+∞ for v = 1,
    /// NaN above 1).
    public func decibels(_ value: Double) -> Double {
        switch self {
        case .psnr: return value
        case .msSSIM: return -10 * log10(1 - value)
        }
    }
}

/// One rate–distortion curve: bits per pixel and quality in dB, one point per checkpoint, sorted
/// by rate (points of equal rate keep their document order).
public struct RDCurve: Sendable, Equatable {
    /// The legend: the document's `name`.
    public let name: String
    /// The quality on the curve.
    public let metric: QualityMetric
    /// Bits per pixel, non-decreasing.
    public let rates: [Double]
    /// The quality of each point in dB (see ``QualityMetric/decibels(_:)``).
    public let qualities: [Double]

    /// The number of points.
    public var count: Int { rates.count }

    /// A curve from its points (in any order; `qualities` in dB).
    /// - Throws: `EvaluationError.unusableCurve` when the lists differ in length, are empty or
    ///   hold a value that is not finite.
    public init(name: String, metric: QualityMetric, rates: [Double], qualities: [Double]) throws {
        guard rates.count == qualities.count else {
            throw EvaluationError.unusableCurve(reason: "\(Self.quoted(name)): \(rates.count) bpp values but \(qualities.count) \(metric.rawValue) values")
        }
        guard !rates.isEmpty else {
            throw EvaluationError.unusableCurve(reason: "\(Self.quoted(name)): no points")
        }
        for (i, (r, q)) in zip(rates, qualities).enumerated() where !r.isFinite || !q.isFinite {
            let what = !r.isFinite ? "bpp \(Self.number(r))" : "\(metric.displayName) \(Self.number(q)) dB"
            throw EvaluationError.unusableCurve(reason: "\(Self.quoted(name)): point \(i + 1) has \(what) (not finite)")
        }
        let order = rates.indices.sorted { rates[$0] < rates[$1] || (rates[$0] == rates[$1] && $0 < $1) }
        self.name = name
        self.metric = metric
        self.rates = order.map { rates[$0] }
        self.qualities = order.map { qualities[$0] }
    }

    /// The curve of `metric` against `bpp` in an eval_model result document.
    /// - Throws: `EvaluationError.unusableCurve` when the document has no `bpp` or no `metric`
    ///   results, or as ``init(name:metric:rates:qualities:)``.
    public init(_ result: EvaluationResult, metric: QualityMetric) throws {
        let available = result.results.map(\.metric).joined(separator: ", ")
        guard let rates = result["bpp"] else {
            throw EvaluationError.unusableCurve(reason: "\(Self.quoted(result.name)): no \"bpp\" results (it has \(available.isEmpty ? "none" : available))")
        }
        guard let values = result[metric.rawValue] else {
            throw EvaluationError.unusableCurve(reason: "\(Self.quoted(result.name)): no \"\(metric.rawValue)\" results (it has \(available.isEmpty ? "none" : available))")
        }
        if metric == .msSSIM, let (i, v) = values.enumerated().first(where: { !($0.element < 1) && $0.element.isFinite }) {
            throw EvaluationError.unusableCurve(reason: "\(Self.quoted(result.name)): point \(i + 1) has MS-SSIM \(Self.number(v)), which has no dB value (-10*log10(1 - v) needs v < 1)")
        }
        try self.init(name: result.name, metric: metric, rates: rates, qualities: values.map(metric.decibels))
    }

    /// Checks what a Bjøntegaard delta needs: at least 4 points, rates above 0 (their log10 is
    /// taken), rate and quality both strictly increasing (scipy's `PchipInterpolator` needs
    /// strictly increasing abscissas: the quality for BD-rate, the log-rate for BD-PSNR).
    /// - Throws: `EvaluationError.unusableCurve` naming the curve and the offending values.
    public func checkForBjontegaard() throws {
        let name = Self.quoted(self.name), unit = metric.displayName
        guard count >= 4 else {
            throw EvaluationError.unusableCurve(reason: "\(name): \(count) point\(count == 1 ? "" : "s"), a Bjøntegaard delta needs at least 4")
        }
        if let (i, r) = rates.enumerated().first(where: { $0.element <= 0 }) {
            throw EvaluationError.unusableCurve(reason: "\(name): bpp \(Self.number(r)) at point \(i + 1) (sorted by rate) is not above 0 (its log10 is taken)")
        }
        for i in 1..<count where rates[i] == rates[i - 1] {
            let (q0, q1) = Self.numbers(qualities[i - 1], qualities[i])
            throw EvaluationError.unusableCurve(reason: "\(name): two points have the same rate \(PythonJSON.repr(rates[i])) bpp (\(unit) \(q0) and \(q1) dB); rates must be distinct")
        }
        for i in 1..<count where !(qualities[i] > qualities[i - 1]) {
            let (q0, q1) = Self.numbers(qualities[i - 1], qualities[i]), (r0, r1) = Self.numbers(rates[i - 1], rates[i])
            throw EvaluationError.unusableCurve(reason: "\(name): not monotonic: \(unit) \(q0) dB at \(r0) bpp, then \(q1) dB at \(r1) bpp (quality must rise strictly with rate)")
        }
    }

    /// `"name"` for a message (cut after 80 characters).
    static func quoted(_ name: String) -> String {
        "\"" + (name.count <= 80 ? name : String(name.prefix(77)) + "...") + "\""
    }

    /// A value as a person reads it in a message: 6 significant digits (`nan`, `inf` for
    /// non-finite values).
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
        guard v != 0 else { return "0" }
        let magnitude = Int(log10(abs(v)).rounded(.down))
        guard (-6...12).contains(magnitude) else { return PythonJSON.repr(v) }
        return ChartNumber.text(v, decimals: max(0, 5 - magnitude), trimmed: true)
    }

    /// Two values that differ, each with enough digits to show they do.
    static func numbers(_ a: Double, _ b: Double) -> (String, String) {
        let (x, y) = (number(a), number(b))
        return x == y && a != b ? (PythonJSON.repr(a), PythonJSON.repr(b)) : (x, y)
    }
}
