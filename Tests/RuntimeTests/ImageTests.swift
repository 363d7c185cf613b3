// RuntimeTests: PNG input/output, CompressAI's centred padding and the rate/distortion figures.
import XCTest
import TestSupport
import TinifyRuntime
import TinifyKit
#if canImport(Glibc)
import Glibc
#endif

final class ImageTests: XCTestCase {
    func testPaddingIsCentredAndCropUndoesIt() {
        let p = Padding(height: 50, width: 77, multiple: 64)
        XCTAssertEqual([p.left, p.right, p.top, p.bottom], [(128 - 77) / 2, 128 - 77 - (128 - 77) / 2, 7, 7])
        var noise = Noise(state: 1)
        let x = FloatTensor(shape: [1, 3, 50, 77], data: noise.array(3 * 50 * 77))
        let padded = p.pad(x)
        XCTAssertEqual(padded.shape, [1, 3, 64, 128])
        XCTAssertEqual(padded[(0 * 64 + 7) * 128 + p.left], x[0])
        XCTAssertEqual(padded[0], 0)
        XCTAssertEqual(p.crop(padded).data, x.data)
        XCTAssertTrue(Padding(height: 64, width: 128, multiple: 64).isZero)
    }

    func testPNGRoundTripAndErrors() throws {
        let dir = Fixtures.scratch("png")
        let image = try PNGImage.read(Fixtures.path("image-64x64.png"))
        XCTAssertEqual(image.shape, [1, 3, 64, 64])
        XCTAssertTrue(image.data.allSatisfy { $0 >= 0 && $0 <= 1 && ($0 * 255).rounded() == $0 * 255 })
        let path = dir + "/copy.png"
        try PNGImage.write(image, to: path)
        XCTAssertEqual(try PNGImage.read(path).data, image.data, "8-bit values survive a write and a read")
        // A reference image's values are exactly x in the fixture references.
        let ref = try TinifyKit.WeightFile.open(Fixtures.path("bmshj2018-factorized-N8-M12-reference.pt"))
        XCTAssertEqual(image.data, try Values.floats(ref, "x"))
        XCTAssertThrowsError(try PNGImage.read(Fixtures.path("index.json"))) { error in
            XCTAssertTrue(String(describing: error).contains("cannot read png"), String(describing: error))
        }
        XCTAssertThrowsError(try PNGImage.read(dir + "/missing.png"))
    }

    func testPSNRAndBitsFollowTheirDefinitions() {
        let x = FloatTensor(shape: [1, 3, 2, 2], data: (0..<12).map { Float($0) / 12 })
        let y = FloatTensor(shape: [1, 3, 2, 2], data: (0..<12).map { Float($0) / 12 + ($0 % 2 == 0 ? 0.1 : -0.2) })
        var mse = 0.0
        for i in 0..<12 { let d = Double(x[i]) - Double(min(max(y[i], 0), 1)); mse += d * d }
        XCTAssertEqual(Metrics.psnr(x, y), -10 * log10(mse / 12), accuracy: 1e-9)
        let lik = FloatTensor(shape: [1, 1, 1, 4], data: [0.5, 0.25, 1, 0.125])
        let result = ForwardResult(xHat: x, y: x, likelihoods: ["y": lik])
        XCTAssertEqual(Metrics.estimatedBPP(result, pixels: 4), (1 + 2 + 0 + 3) / 4.0, accuracy: 1e-12)
    }
}
