// RuntimeTests: compress / decompress of every fixture model against CompressAI 1.2.8's own
// `compress()` strings and `decompress()` reconstruction (`*-reference.pt`: `strings`, `shape`,
// `decoded_x_hat`): the strings must be byte-identical, and decoding them must give x̂ within 1e-4.
import XCTest
import TestSupport
import Tinify
import TinifyWeights
@testable import TinifyRuntime

final class ReferenceCodingTests: XCTestCase {
    /// `strings` (a list of groups, each a list of bytes) and `shape` from a reference file.
    private func referenceLatents(_ path: String) throws -> CompressedLatents {
        try ReferenceLatents.of(try TorchCheckpoint.load(path: path).root)
    }

    func testEveryModelCompressesToCompressAIsBytesAndDecodesThem() throws {
        let models = try FixtureModel.all()
        XCTAssertEqual(models.count, 7)
        for fixture in models {
            let store = try WeightFile.open(Fixtures.path(fixture.checkpoint))
            let model = try RuntimeModels.make(fixture.architecture, store: store)
            let refPath = Fixtures.path(fixture.reference)
            let ref = try WeightFile.open(refPath)
            let expected = try referenceLatents(refPath)
            let x = try Values.tensor(ref, "x")

            let mine = try model.compress(x)
            XCTAssertEqual(mine.shape, expected.shape, "\(fixture.stem): shape")
            XCTAssertEqual(mine.strings.map { $0.map(\.count) }, expected.strings.map { $0.map(\.count) }, "\(fixture.stem): string lengths")
            XCTAssertTrue(mine.strings == expected.strings, "\(fixture.stem): strings differ from CompressAI's")

            let decoded = try model.decompress(expected)
            let err = Values.maxAbs(decoded.data, try Values.floats(ref, "decoded_x_hat"))
            XCTAssertEqual(decoded.shape, x.shape, fixture.stem)
            XCTAssertLessThanOrEqual(err, 1e-4, "\(fixture.stem): decoded x_hat max abs error")
            print("\(fixture.stem): \(mine.strings.flatMap { $0 }.reduce(0) { $0 + $1.count }) bytes, decoded x_hat error \(err)")
        }
    }

    func testCheckpointsWithoutTablesAndBadLatentsAreRefused() throws {
        let fixture = try XCTUnwrap(try FixtureModel.all().first { $0.architecture == .bmshj2018Hyperprior })
        let raw = try RuntimeModels.make(fixture.architecture, store: try WeightFile.open(Fixtures.path(fixture.notUpdated)))
        let x = FloatTensor(shape: [1, 3, 64, 64], repeating: 0.5)
        XCTAssertThrowsError(try raw.compress(x)) {
            XCTAssertEqual(String(describing: $0), "entropy_bottleneck has no CDF tables: update() has not run")
        }
        let model = try RuntimeModels.make(fixture.architecture, store: try WeightFile.open(Fixtures.path(fixture.checkpoint)))
        let good = try model.compress(x)
        XCTAssertThrowsError(try model.decompress(CompressedLatents(strings: [good.strings[0]], shape: good.shape)))
        XCTAssertThrowsError(try model.decompress(CompressedLatents(strings: good.strings, shape: [0, 1])))
        // The decoder's work follows the declared shape, so the shape is bounded whatever the strings.
        XCTAssertThrowsError(try model.decompress(CompressedLatents(strings: good.strings, shape: [257, 1]))) {
            XCTAssertEqual($0 as? CodingError, .shapeMismatch("latent shape [257, 1], expected two sides in 1…256"))
        }
        XCTAssertThrowsError(try model.decompress(CompressedLatents(strings: [good.strings[0], [[1, 2, 3]]], shape: good.shape))) {
            XCTAssertEqual($0 as? CodingError, .badLength(3))
        }
        XCTAssertEqual(try model.decompress(good).shape, x.shape)
    }
}
