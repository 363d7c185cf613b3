// RuntimeTests: cheng2020-anchor-checkerboard against CompressAI 1.2.8's own outputs
// (Tests/Fixtures/more-architectures/cheng2020-anchor-checkerboard-N8-reference.pt): the
// two-pass forward, compress() strings byte for byte ([y anchors, y non-anchors, z]), and
// decompress().
import XCTest
import TestSupport
import Tinify
import TinifyCore
import TinifyWeights
@testable import TinifyRuntime

final class CheckerboardTests: XCTestCase {
    private let stem = "more-architectures/cheng2020-anchor-checkerboard-N8"

    /// The not-updated checkpoint with its tables built (bit for bit CompressAI's: MoreArchitecturesTests).
    private func engine() throws -> any CompressionRuntimeModel {
        let net = try Cheng2020AnchorCheckerboard.fromStateDict(try StateDict(contentsOfFile: Fixtures.path(stem + "-not-updated.pth")))
        XCTAssertTrue(try net.update(force: true))
        return try RuntimeModels.make(.cheng2020AnchorCheckerboard, store: net.stateDict().store)
    }

    func testForwardCompressAndDecompressMatchCompressAI() throws {
        let refPath = Fixtures.path(stem + "-reference.pt")
        let ref = try WeightFile.open(refPath)
        let model = try engine()
        let x = try Values.tensor(ref, "x")
        let out = try model.forward(x)
        XCTAssertLessThanOrEqual(Values.maxAbs(out.y.data, try Values.floats(ref, "y")), 1e-5, "y")
        XCTAssertLessThanOrEqual(Values.maxAbs(out.xHat.data, try Values.floats(ref, "x_hat")), 1e-5, "x_hat")
        for name in ["y", "z"] {
            let (got, want) = (try XCTUnwrap(out.likelihoods[name]).data, try Values.floats(ref, "likelihoods_" + name))
            XCTAssertLessThanOrEqual(Values.maxAbs(got, want), 1e-6, "likelihoods \(name)")
            XCTAssertLessThanOrEqual(Values.maxRel(got, want), 1e-4, "likelihoods \(name)")
            print("likelihoods \(name): max abs error \(Values.maxAbs(got, want)), max relative \(Values.maxRel(got, want))")
        }
        print("x_hat max abs error \(Values.maxAbs(out.xHat.data, try Values.floats(ref, "x_hat")))")
        // CompressAI's shape is {"y": (C, H, W), "hyper": z's (H, W)}; the file keeps z's.
        var expected = try ReferenceLatents.of(try TorchCheckpoint.load(path: refPath).root.withShape("hyper"))
        XCTAssertEqual(expected.strings.count, 3)
        let mine = try model.compress(x)
        XCTAssertEqual(mine, expected, "compress() strings")
        let decoded = try model.decompress(expected)
        XCTAssertLessThanOrEqual(Values.maxAbs(decoded.data, try Values.floats(ref, "decoded_x_hat")), 1e-5, "decoded x_hat")
        expected.strings[1][0][0] ^= 0xFF
        XCTAssertNotEqual(try? model.decompress(expected).data, decoded.data, "the non-anchors' string is read")
    }
}

extension Value {
    /// This dict with `shape` replaced by `shape[key]` (CompressAI's latent codecs' dict of shapes).
    func withShape(_ key: String) throws -> Value {
        guard case .dict(var entries) = self, let at = entries.firstIndex(where: { if case .string("shape") = $0.key { return true }; return false }),
              let inner = entries[at].value[key] else { throw CodingError.badContainer("no shape[\(key)]") }
        entries[at].value = inner
        return .dict(entries)
    }
}
