// Tinify: Bjøntegaard deltas between two rate–distortion curves — G. Bjøntegaard, "Calculation of
// average PSNR differences between RD-curves", ITU-T VCEG-M33, Austin, 2001 — as the PyPI package
// `bjontegaard` 1.3.0 (FAU Erlangen-Nürnberg, https://github.com/FAU-LMS/bjontegaard) computes
// them with `min_overlap=0`:
//
//   BD-rate: x = quality (dB), y = log10(bpp); both curves interpolated, integrated over the
//            overlap of their quality ranges, the mean difference Δ as (10^Δ − 1) · 100 %.
//   BD-PSNR: x = log10(bpp), y = quality (dB); the mean difference over the overlap of the
//            log-rate ranges, in dB.
//
// "pchip" interpolates piecewise (scipy's PchipInterpolator, PCHIP.swift), "cubic" fits one
// least-squares cubic per curve (numpy.polyfit / polyint, CubicFit.swift) as VCEG-M33 did.
// Curves are sorted by rate first and must be strictly increasing in both rate and quality (the
// package's pchip raises on abscissas that are not strictly increasing); curves that do not
// overlap, which the package answers with NaN and a warning, are refused.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Bjøntegaard delta rate and delta quality of a test curve against an anchor, by the
/// piecewise cubic (pchip) and the cubic-polynomial method.
///
/// ```swift
/// let anchor = try EvaluationResult(contentsOfFile: "bmshj2018-hyperprior.json")
/// let test = try EvaluationResult(contentsOfFile: "mbt2018.json")
/// let bd = try BjontegaardDelta.compute(anchor: anchor, test: test)
/// print(bd.pchip.bdRate)   // −12.3: the test needs 12.3 % fewer bits for the same PSNR
/// ```
public struct BjontegaardDelta: Sendable, Equatable {
    /// How a curve is interpolated between its points.
    public enum Method: String, CaseIterable, Sendable {
        /// Piecewise cubic Hermite interpolation (scipy's `PchipInterpolator`).
        case pchip
        /// One least-squares cubic polynomial per curve (Bjøntegaard's VCEG-M33 method).
        case cubic
    }

    /// The two deltas of one method.
    public struct Figures: Sendable, Equatable {
        /// The mean rate difference at equal quality, in percent of the anchor's rate (negative
        /// when the test needs fewer bits).
        public let bdRate: Double
        /// The mean quality difference at equal rate, in dB (positive when the test is better);
        /// MS-SSIM in dB for ``QualityMetric/msSSIM``.
        public let bdPSNR: Double

        /// The two figures.
        public init(bdRate: Double, bdPSNR: Double) {
            self.bdRate = bdRate
            self.bdPSNR = bdPSNR
        }
    }

    /// The quality the deltas were computed on.
    public let metric: QualityMetric
    /// The piecewise cubic (pchip) figures.
    public let pchip: Figures
    /// The cubic-polynomial figures.
    public let cubic: Figures

    /// The figures of `method`.
    public subscript(method: Method) -> Figures { method == .pchip ? pchip : cubic }

    /// The deltas of `test` against `anchor` on `metric` (`bpp` is the rate).
    /// - Throws: `EvaluationError.unusableCurve` when a document lacks `bpp` or `metric`, a
    ///   curve has fewer than 4 points, a value that is not finite, a rate not above 0, rates or
    ///   qualities that are not strictly increasing (once sorted by rate), or the curves do not
    ///   overlap in quality or in rate.
    public static func compute(anchor: EvaluationResult, test: EvaluationResult, metric: QualityMetric = .psnr) throws -> BjontegaardDelta {
        try compute(anchor: RDCurve(anchor, metric: metric), test: RDCurve(test, metric: metric))
    }

    /// The deltas of `test` against `anchor` (curves of the same metric).
    /// - Throws: `EvaluationError.unusableCurve` as ``compute(anchor:test:metric:)``;
    ///   `EvaluationError.badRequest` when the curves' metrics differ.
    public static func compute(anchor: RDCurve, test: RDCurve) throws -> BjontegaardDelta {
        guard anchor.metric == test.metric else {
            throw EvaluationError.badRequest("the anchor is a \(anchor.metric.rawValue) curve but the test a \(test.metric.rawValue) curve")
        }
        let pchip = Figures(bdRate: try bdRate(anchor: anchor, test: test, method: .pchip),
                            bdPSNR: try bdPSNR(anchor: anchor, test: test, method: .pchip))
        let cubic = Figures(bdRate: try bdRate(anchor: anchor, test: test, method: .cubic),
                            bdPSNR: try bdPSNR(anchor: anchor, test: test, method: .cubic))
        return BjontegaardDelta(metric: anchor.metric, pchip: pchip, cubic: cubic)
    }

    /// The BD-rate in percent (`bjontegaard.bd_rate(…, method=, min_overlap=0)`).
    /// - Throws: `EvaluationError.unusableCurve` for unusable curves or quality ranges that do not overlap.
    public static func bdRate(anchor: RDCurve, test: RDCurve, method: Method) throws -> Double {
        try anchor.checkForBjontegaard()
        try test.checkForBjontegaard()
        let delta = try meanDifference(
            anchor: (anchor.qualities, anchor.rates.map { log10($0) }), test: (test.qualities, test.rates.map { log10($0) }),
            method: method, overlapFailure: { overlapMessage(anchor, test, inRate: false) })
        return (pow(10, delta) - 1) * 100
    }

    /// The BD-PSNR in dB (`bjontegaard.bd_psnr(…, method=, min_overlap=0)`).
    /// - Throws: `EvaluationError.unusableCurve` for unusable curves or rate ranges that do not overlap.
    public static func bdPSNR(anchor: RDCurve, test: RDCurve, method: Method) throws -> Double {
        try anchor.checkForBjontegaard()
        try test.checkForBjontegaard()
        return try meanDifference(
            anchor: (anchor.rates.map { log10($0) }, anchor.qualities), test: (test.rates.map { log10($0) }, test.qualities),
            method: method, overlapFailure: { overlapMessage(anchor, test, inRate: true) })
    }

    // MARK: - The package's bjontegaard_delta

    /// The mean of f_test − f_anchor over the overlap of the two x ranges (x strictly increasing).
    private static func meanDifference(anchor: (x: [Double], y: [Double]), test: (x: [Double], y: [Double]), method: Method,
                                       overlapFailure: () -> String) throws -> Double {
        let low = max(anchor.x[0], test.x[0]), high = min(anchor.x[anchor.x.count - 1], test.x[test.x.count - 1])
        guard high > low else { throw EvaluationError.unusableCurve(reason: overlapFailure()) }
        let integrals: (Double, Double)?
        switch method {
        case .pchip:
            integrals = PCHIP(x: anchor.x, y: anchor.y).flatMap { a in
                PCHIP(x: test.x, y: test.y).map { t in (a.integral(from: low, to: high), t.integral(from: low, to: high)) }
            }
        case .cubic:
            integrals = CubicFit(x: anchor.x, y: anchor.y).flatMap { a in
                CubicFit(x: test.x, y: test.y).map { t in (a.integral(from: low, to: high), t.integral(from: low, to: high)) }
            }
        }
        guard let (a, t) = integrals else {
            throw EvaluationError.unusableCurve(reason: "the \(method.rawValue) interpolation failed on these curves")
        }
        let mean = (t - a) / (high - low)
        guard mean.isFinite else { throw EvaluationError.unusableCurve(reason: "the \(method.rawValue) delta is not finite on these curves") }
        return mean
    }

    /// Why two curves have no common range.
    private static func overlapMessage(_ anchor: RDCurve, _ test: RDCurve, inRate: Bool) -> String {
        func range(_ c: RDCurve) -> String {
            inRate ? "\(RDCurve.number(c.rates[0]))–\(RDCurve.number(c.rates[c.count - 1])) bpp"
                : "\(RDCurve.number(c.qualities[0]))–\(RDCurve.number(c.qualities[c.count - 1])) dB"
        }
        let what = inRate ? "rate" : anchor.metric.displayName, needs = inRate ? "BD-\(anchor.metric.displayName)" : "BD-rate"
        return "the curves do not overlap in \(what): anchor \(RDCurve.quoted(anchor.name)) \(range(anchor)), test \(RDCurve.quoted(test.name)) \(range(test)) (\(needs) averages over the common range)"
    }
}
