// RuntimeTests: the models with checkerboard latent codecs — cheng2020-anchor-checkerboard,
// elic2022-official and elic2022-chandelier (two channel groups) — against CompressAI 1.2.8's own
// outputs (Tests/Fixtures/more-architectures/*-reference.pt): the two-pass forward, compress()
// strings byte for byte ([y anchors, y non-anchors] per group, then z), and decompress().
import XCTest
import TestSupport
import Tinify
import TinifyCore
import TinifyWeights
@testable import TinifyRuntime

final class CheckerboardModelTests: XCTestCase {
    private static let stems = [
        ("more-architectures/cheng2020-anchor-checkerboard-N8", 3), ("more-architectures/elic2022-official-N8-M12-g4-8", 5),
        ("more-architectures/elic2022-chandelier-N8-M12-g4-8", 5),
    ]

    /// The not-updated checkpoint with its tables built (bit for bit CompressAI's: MoreArchitecturesTests),
    /// or the updated one where only that was written.
    private func engine(_ stem: String) throws -> any CompressionRuntimeModel {
        let notUpdated = Fixtures.path(stem + "-not-updated.pth")
        let net = try loadModel(contentsOfFile: FileManager.default.fileExists(atPath: notUpdated) ? notUpdated : Fixtures.path(stem + ".pth"))
        XCTAssertTrue(try net.update(force: true))
        return try RuntimeModels.make(net.architecture, store: net.stateDict().store)
    }

    func testForwardCompressAndDecompressMatchCompressAI() throws {
        for (stem, groups) in Self.stems { try check(stem, groups: groups) }
    }

    /// ELIC with its default five groups (M = 136: 16, 16, 32, 64, 8), where Chandelier's channel
    /// context (first and latest group) differs from the official one (all earlier groups). Their
    /// 57 MB are not committed: `make_fixtures.py --with-default-groups` writes them, and this
    /// test runs where they are.
    func testDefaultGroupsWhereGenerated() throws {
        let stems = ["more-architectures/elic2022-official-N8-M136", "more-architectures/elic2022-chandelier-N8-M136"]
        guard stems.allSatisfy({ FileManager.default.fileExists(atPath: Fixtures.path($0 + "-reference.pt")) }) else {
            throw XCTSkip("run Tests/Fixtures/more-architectures/make_fixtures.py --with-default-groups to check ELIC's default groups")
        }
        // Five groups of float32 sums in another order than torch's: the likelihoods come within 1.2e-6.
        for stem in stems { try check(stem, groups: 11, likelihoodTolerance: 2e-6) }
    }

    private func check(_ stem: String, groups: Int, likelihoodTolerance: Float = 1e-6) throws {
        let refPath = Fixtures.path(stem + "-reference.pt")
        let ref = try WeightFile.open(refPath)
        let model = try engine(stem)
        let x = try Values.tensor(ref, "x")
        let out = try model.forward(x)
        XCTAssertLessThanOrEqual(Values.maxAbs(out.y.data, try Values.floats(ref, "y")), 1e-5, "y")
        XCTAssertLessThanOrEqual(Values.maxAbs(out.xHat.data, try Values.floats(ref, "x_hat")), 1e-5, "\(stem): x_hat")
        for name in ["y", "z"] {
            let (got, want) = (try XCTUnwrap(out.likelihoods[name]).data, try Values.floats(ref, "likelihoods_" + name))
            XCTAssertLessThanOrEqual(Values.maxAbs(got, want), likelihoodTolerance, "\(stem): likelihoods \(name)")
            XCTAssertLessThanOrEqual(Values.maxRel(got, want), 5e-4, "\(stem): likelihoods \(name)")
            print("\(stem): likelihoods \(name): max abs error \(Values.maxAbs(got, want)), max relative \(Values.maxRel(got, want))")
        }
        print("\(stem): x_hat max abs error \(Values.maxAbs(out.xHat.data, try Values.floats(ref, "x_hat")))")
        // CompressAI's shape is {"y": (C, H, W), "hyper": z's (H, W)}; the file keeps z's.
        var expected = try ReferenceLatents.of(try TorchCheckpoint.load(path: refPath).root.withShape("hyper"))
        XCTAssertEqual(expected.strings.count, groups, stem)
        let mine = try model.compress(x)
        XCTAssertEqual(mine, expected, "\(stem): compress() strings")
        let decoded = try model.decompress(expected)
        XCTAssertLessThanOrEqual(Values.maxAbs(decoded.data, try Values.floats(ref, "decoded_x_hat")), 1e-5, "\(stem): decoded x_hat")
        expected.strings[groups - 2][0][0] ^= 0xFF
        XCTAssertNotEqual(try? model.decompress(expected).data, decoded.data, "\(stem): the last group's non-anchors' string is read")
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
