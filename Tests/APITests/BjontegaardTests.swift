// Bjøntegaard deltas (VCEG-M33) against the PyPI package bjontegaard 1.3.0, whose figures below
// were computed with it, and the curves it cannot use. Tests/Evaluation/bdrate_check.py compares
// `tinify bd-rate` with the package on many more curves when it is installed.
import XCTest
import Tinify

final class BjontegaardTests: XCTestCase {
    // Real-looking Kodak curves (bpp, PSNR, MS-SSIM); the test's points are in reverse
    // (checkpoint) order, so the library sorts them by rate.
    private let anchorRates = [0.109, 0.170, 0.259, 0.385, 0.565, 0.806, 1.112, 1.490]
    private let anchorPSNR = [27.55, 29.10, 30.80, 32.50, 34.35, 36.25, 38.10, 39.95]
    private let anchorMSSSIM = [0.9299, 0.9478, 0.9624, 0.9737, 0.9827, 0.9888, 0.9929, 0.9955]
    private let testRates = [0.101, 0.157, 0.241, 0.363, 0.531, 0.762, 1.056, 1.420]
    private let testPSNR = [27.95, 29.45, 31.20, 32.95, 34.75, 36.65, 38.55, 40.35]
    private let testMSSSIM = [0.9321, 0.9497, 0.9643, 0.9752, 0.9838, 0.9896, 0.9934, 0.9958]

    private func document(_ name: String, _ rates: [Double], _ psnr: [Double], _ msssim: [Double]? = nil) -> EvaluationResult {
        var results: [(metric: String, values: [Double])] = [("psnr-rgb", psnr)]
        if let msssim { results.append(("ms-ssim-rgb", msssim)) }
        results.append(("bpp", rates))
        return EvaluationResult(name: name, description: "Inference (ans)", results: results)
    }

    private func assertUnusable(_ body: @autoclosure () throws -> Any, containing text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard case EvaluationError.unusableCurve(let reason) = error else {
                return XCTFail("expected unusableCurve, got \(error)", file: file, line: line)
            }
            XCTAssertTrue(reason.contains(text), "\(reason)", file: file, line: line)
            XCTAssertFalse(reason.contains("\n"), file: file, line: line)
        }
    }

    func testBothMethodsEqualBjontegaard() throws {
        let anchor = document("bmshj2018-hyperprior", anchorRates, anchorPSNR, anchorMSSSIM)
        let test = document("mbt2018-mean", testRates.reversed(), testPSNR.reversed(), testMSSSIM.reversed())
        // python3 -c "import bjontegaard as bd; print(bd.bd_rate(rA, pA, rT, pT, method=m, min_overlap=0),
        //             bd.bd_psnr(rA, pA, rT, pT, method=m, min_overlap=0))"  for m in ('pchip', 'cubic')
        let bd = try BjontegaardDelta.compute(anchor: anchor, test: test)
        XCTAssertEqual(bd.metric, .psnr)
        XCTAssertEqual(bd.pchip.bdRate, -13.792879015121173, accuracy: 1e-9)
        XCTAssertEqual(bd.pchip.bdPSNR, 0.701530142640328, accuracy: 1e-12)
        XCTAssertEqual(bd.cubic.bdRate, -13.793276688795375, accuracy: 1e-7)
        XCTAssertEqual(bd.cubic.bdPSNR, 0.7014182391003357, accuracy: 1e-10)
        XCTAssertEqual(bd[.pchip], bd.pchip)

        // MS-SSIM in dB: the same call on -10 * np.log10(1 - np.array(sA)) and likewise sT.
        let ms = try BjontegaardDelta.compute(anchor: anchor, test: test, metric: .msSSIM)
        XCTAssertEqual(ms.pchip.bdRate, -10.989774596137835, accuracy: 1e-9)
        XCTAssertEqual(ms.pchip.bdPSNR, 0.5321738301287819, accuracy: 1e-12)
        XCTAssertEqual(ms.cubic.bdRate, -10.977069262527628, accuracy: 1e-7)
        XCTAssertEqual(ms.cubic.bdPSNR, 0.5312199054526876, accuracy: 1e-10)

        // Swapped, the rate delta is the inverse ratio and the PSNR delta changes sign.
        let back = try BjontegaardDelta.compute(anchor: test, test: anchor)
        XCTAssertEqual((1 + back.pchip.bdRate / 100) * (1 + bd.pchip.bdRate / 100), 1, accuracy: 1e-12)
        XCTAssertEqual(back.pchip.bdPSNR, -bd.pchip.bdPSNR, accuracy: 1e-12)
    }

    func testPartialOverlapAndDifferentCounts() throws {
        // bd.bd_rate / bd_psnr(rA, pA, rT, pT, method=m, min_overlap=0, require_matching_points=False) with
        // rA=[0.2,0.35,0.6,0.9,1.3], pA=[29.0,31.2,33.4,35.5,37.3], rT=[0.12,0.25,0.45,0.7], pT=[28.4,30.9,33.0,34.6]
        let anchor = try RDCurve(name: "a", metric: .psnr, rates: [0.2, 0.35, 0.6, 0.9, 1.3], qualities: [29.0, 31.2, 33.4, 35.5, 37.3])
        let test = try RDCurve(name: "t", metric: .psnr, rates: [0.7, 0.12, 0.45, 0.25], qualities: [34.6, 28.4, 33.0, 30.9])
        XCTAssertEqual(test.rates, [0.12, 0.25, 0.45, 0.7])
        XCTAssertEqual(test.qualities, [28.4, 30.9, 33.0, 34.6])
        let bd = try BjontegaardDelta.compute(anchor: anchor, test: test)
        XCTAssertEqual(bd.pchip.bdRate, -20.41882899940466, accuracy: 1e-9)
        XCTAssertEqual(bd.pchip.bdPSNR, 0.8589816625463375, accuracy: 1e-12)
        XCTAssertEqual(bd.cubic.bdRate, -20.33974643952041, accuracy: 1e-7)
        XCTAssertEqual(bd.cubic.bdPSNR, 0.854066238419422, accuracy: 1e-10)
    }

    func testInterpolantsEqualScipyAndNumpy() throws {
        // scipy.interpolate.PchipInterpolator([0,1,2,4,5], [0,2,1,1.5,4]): .derivative()(x), .integrate(0.5, 4.5),
        // .integrate(-1, 6) (extrapolated), p(1.5), p(3).
        let p = try XCTUnwrap(PCHIP(x: [0, 1, 2, 4, 5], y: [0, 2, 1, 1.5, 4]))
        XCTAssertEqual(p.slopes, [3.5, 0, 0, 0.5, 3.25])
        XCTAssertEqual(p.integral(from: 0.5, to: 4.5), 5.665364583333334, accuracy: 1e-13)
        XCTAssertEqual(p.integral(from: -1, to: 6), 10.833333333333332, accuracy: 1e-13)
        XCTAssertEqual(p.integral(from: 4.5, to: 0.5), -5.665364583333334, accuracy: 1e-13)
        XCTAssertEqual(p(1.5), 1.5, accuracy: 1e-14)
        XCTAssertEqual(p(3), 1.125, accuracy: 1e-14)
        // The end-slope rules: PchipInterpolator([0,1,3,4], [0,3,3.2,0.1]).derivative()(x).
        let q = try XCTUnwrap(PCHIP(x: [0, 1, 3, 4], y: [0, 3, 3.2, 0.1]))
        zip(q.slopes, [3.966666666666667, 0.2160000000000002, 0, -4.166666666666666]).forEach { XCTAssertEqual($0, $1, accuracy: 1e-14) }
        XCTAssertNil(PCHIP(x: [0, 1, 1], y: [0, 1, 2]))

        // c = np.polyfit([30.1,31.7,33.2,34.9,36.8], [-0.9,-0.6,-0.4,-0.1,0.2], 3); ci = np.polyint(c)
        // np.polyval(ci, 36) - np.polyval(ci, 31), np.polyval(c, 32.5)
        let c = try XCTUnwrap(CubicFit(x: [30.1, 31.7, 33.2, 34.9, 36.8], y: [-0.9, -0.6, -0.4, -0.1, 0.2]))
        XCTAssertEqual(c.integral(from: 31, to: 36), -1.6606312797716214, accuracy: 1e-9)
        XCTAssertEqual(c(32.5), -0.48723465308496827, accuracy: 1e-10)
        // Four points: the cubic interpolates them.
        let exact = try XCTUnwrap(CubicFit(x: [1, 2, 3, 4], y: [1, 8, 27, 64]))
        XCTAssertEqual(exact(2.5), 15.625, accuracy: 1e-10)
        XCTAssertEqual(exact.integral(from: 0, to: 2), 4, accuracy: 1e-10)
        XCTAssertNil(CubicFit(x: [1, 2, 3], y: [1, 2, 3]))
    }

    func testUnusableCurvesAreOneLineErrors() throws {
        let anchor = document("anchor", anchorRates, anchorPSNR)
        assertUnusable(try BjontegaardDelta.compute(anchor: anchor, test: document("three", [0.1, 0.2, 0.3], [27, 28, 29])),
                       containing: "\"three\": 3 points, a Bjøntegaard delta needs at least 4")
        assertUnusable(try BjontegaardDelta.compute(anchor: anchor, test: document("dip", [0.1, 0.2, 0.3, 0.4, 0.5], [27, 28, 29, 28.5, 30])),
                       containing: "not monotonic: PSNR 29 dB at 0.3 bpp, then 28.5 dB at 0.4 bpp")
        assertUnusable(try BjontegaardDelta.compute(anchor: anchor, test: document("same", [0.1, 0.2, 0.2, 0.4], [27, 28, 29, 30])),
                       containing: "two points have the same rate 0.2 bpp")
        assertUnusable(try BjontegaardDelta.compute(anchor: anchor, test: document("nan", [0.1, 0.2, 0.3, 0.4], [27, .nan, 29, 30])),
                       containing: "point 2 has PSNR nan dB (not finite)")
        assertUnusable(try BjontegaardDelta.compute(anchor: anchor, test: document("inf", [0.1, .infinity, 0.3, 0.4], [27, 28, 29, 30])),
                       containing: "point 2 has bpp inf (not finite)")
        assertUnusable(try BjontegaardDelta.compute(anchor: anchor, test: document("zero", [0, 0.2, 0.3, 0.4], [27, 28, 29, 30])),
                       containing: "bpp 0 at point 1 (sorted by rate) is not above 0")
        assertUnusable(try BjontegaardDelta.compute(anchor: anchor, test: document("high", [2, 3, 4, 5], [45, 46, 47, 48])),
                       containing: "the curves do not overlap in PSNR: anchor \"anchor\" 27.55–39.95 dB, test \"high\" 45–48 dB")
        // Overlapping in quality but not in rate: BD-rate exists, BD-PSNR does not.
        assertUnusable(try BjontegaardDelta.compute(anchor: anchor, test: document("fast", [2, 3, 4, 5], [30, 32, 34, 36])),
                       containing: "the curves do not overlap in rate")
        assertUnusable(try BjontegaardDelta.compute(anchor: anchor, test: anchor, metric: .msSSIM),
                       containing: "\"anchor\": no \"ms-ssim-rgb\" results (it has psnr-rgb, bpp)")
        assertUnusable(try RDCurve(name: "x", metric: .psnr, rates: [0.1, 0.2], qualities: [30]), containing: "2 bpp values but 1 psnr-rgb values")
        assertUnusable(try RDCurve(document("ms", [0.1, 0.2, 0.3, 0.4], [1, 2, 3, 4], [0.9, 0.95, 1, 0.99]), metric: .msSSIM),
                       containing: "point 3 has MS-SSIM 1, which has no dB value")
        // bjontegaard answers touching ranges with NaN ("Curves do not overlap").
        assertUnusable(try BjontegaardDelta.compute(anchor: anchor, test: document("touch", [1.49, 2, 3, 4], [39.95, 41, 42, 43])),
                       containing: "do not overlap")
    }

    func testMetricNames() {
        XCTAssertEqual(QualityMetric(name: "psnr"), .psnr)
        XCTAssertEqual(QualityMetric(name: "ms-ssim-rgb"), .msSSIM)
        XCTAssertNil(QualityMetric(name: "ssim"))
        XCTAssertEqual(QualityMetric.msSSIM.axisLabel, "MS-SSIM [dB]")
        XCTAssertEqual(QualityMetric.msSSIM.decibels(0.99), 20, accuracy: 1e-12)
        XCTAssertEqual(QualityMetric.psnr.decibels(31.5), 31.5)
    }
}
