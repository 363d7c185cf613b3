// RuntimeTests: the variable-rate models (bmshj2018-hyperprior-vbr, mbt2018-mean-vbr, with and
// without the variable-rate entropy bottleneck, and mbt2018-vbr) against CompressAI 1.2.8's own outputs
// (Tests/Fixtures/more-architectures/*-reference.pt): forward at its default gain Gain[1],
// compress() strings byte for byte, decompress(), and the same at the quantisation steps
// eval_model takes (`inputscale` = 1/step, tables updated at that gain).
import XCTest
import TestSupport
import Tinify
import TinifyCore
import TinifyWeights
@testable import TinifyRuntime

final class VariableRateTests: XCTestCase {
    private static let stems = [
        "bmshj2018-hyperprior-vbr-N8-M12", "bmshj2018-hyperprior-vbr-N8-M12-vreb", "mbt2018-mean-vbr-N8-M12", "mbt2018-mean-vbr-N8-M12-vreb",
        "mbt2018-vbr-N8-M12",
    ]

    private func path(_ name: String) -> String { Fixtures.path("more-architectures/" + name) }

    private func latents(_ dict: Value) throws -> CompressedLatents { try ReferenceLatents.of(dict) }

    /// The not-updated checkpoint with its tables built as the reference's were (`update(force=True)`,
    /// or at `scale` with the variable-rate bottleneck), as a runtime model at gain `scale`.
    private func model(_ stem: String, scale: Float?) throws -> any CompressionRuntimeModel {
        let state = try StateDict(contentsOfFile: path(stem + "-not-updated.pth"))
        let id = try Architecture.detect(state)
        let net = try id.modelType.fromStateDict(state)
        let g = try scale ?? XCTUnwrap(net.gains?[1])
        XCTAssertTrue(try net.update(force: true, scale: stem.hasSuffix("-vreb") ? g : nil))
        return try RuntimeModels.build(id, verified: net.stateDict().store, gain: scale)
    }

    func testDefaultGainMatchesCompressAI() throws {
        for stem in Self.stems {
            let refPath = path(stem + "-reference.pt")
            let ref = try WeightFile.open(refPath)
            let engine = try model(stem, scale: nil)
            let x = try Values.tensor(ref, "x")
            let out = try engine.forward(x)
            let xErr = Values.maxAbs(out.xHat.data, try Values.floats(ref, "x_hat"))
            XCTAssertLessThanOrEqual(xErr, 1e-5, "\(stem): x_hat")
            for name in ["y", "z"] {
                let err = Values.maxRel(try XCTUnwrap(out.likelihoods[name]).data, try Values.floats(ref, "likelihoods_" + name))
                XCTAssertLessThanOrEqual(err, 1e-5, "\(stem): likelihoods \(name)")
            }
            let expected = try latents(try TorchCheckpoint.load(path: refPath).root)
            let mine = try engine.compress(x)
            XCTAssertEqual(mine, expected, "\(stem): compress() strings")
            let decoded = try engine.decompress(expected)
            XCTAssertLessThanOrEqual(Values.maxAbs(decoded.data, try Values.floats(ref, "decoded_x_hat")), 1e-5, "\(stem): decoded x_hat")
            print("\(stem): forward x_hat error \(xErr), \(mine.strings.flatMap { $0 }.reduce(0) { $0 + $1.count }) bytes")
        }
    }

    private func floats(_ v: Value?, _ what: String) throws -> [Float] {
        guard case .tensor(let t)? = v else { throw CodingError.badContainer("\(what) is not a tensor") }
        return try WeightReader.floats(of: t, key: what)
    }

    /// eval_model's quantisation steps: gain 1/step (`inputscale`), the bottleneck's tables
    /// rebuilt at that gain where it has the variable-rate one, then forward, compress, decompress.
    func testQuantisationStepsMatchCompressAI() throws {
        var points = 0
        let index = try XCTUnwrap(try Fixtures.json("more-architectures/index.json") as? [String: Any])
        let models = try XCTUnwrap(index["models"] as? [String: [String: Any]])
        for stem in Self.stems {
            // The gains as float32 (index.json; the pickle holds them as 0-d tensors). The last point
            // is stage 1 (the base model's path, no gain), which this version does not run.
            let scales = try XCTUnwrap(models[stem]?["rate_points"] as? [[String: Any]]).map { ($0["inputscale"] as? NSNumber).map { Float($0.doubleValue) } }
            let refPath = path(stem + "-reference.pt")
            let x = try Values.tensor(try WeightFile.open(refPath), "x")
            guard case .list(let rates)? = try TorchCheckpoint.load(path: refPath).root["rate_points"] else { return XCTFail("\(stem): rate_points") }
            XCTAssertEqual(rates.count, scales.count, stem)
            for (point, gain) in zip(rates, scales) {
                guard let scale = gain else { continue }
                let engine = try model(stem, scale: scale)
                let out = try engine.forward(x)
                XCTAssertLessThanOrEqual(Values.maxAbs(out.xHat.data, try floats(point["x_hat"], "x_hat")), 1e-5, "\(stem) at \(scale): x_hat")
                let expected = try latents(point)
                XCTAssertEqual(try engine.compress(x), expected, "\(stem) at \(scale): strings")
                let decoded = try engine.decompress(expected)
                XCTAssertLessThanOrEqual(Values.maxAbs(decoded.data, try floats(point["decoded_x_hat"], "decoded_x_hat")), 1e-5, "\(stem) at \(scale): decoded")
                points += 1
            }
        }
        XCTAssertEqual(points, 15, "three steps for each of the five models")
    }

    /// A codec file records the rate level as its quality (s + 1): `tinify compress --quality Q`
    /// codes at Gain[Q − 1], and the decoder reads the level back from the header.
    func testCodecFilesRecordTheRateLevel() throws {
        let stem = "mbt2018-mean-vbr-N8-M12-vreb"
        let engine = try model(stem, scale: nil)
        let x = try Values.tensor(try WeightFile.open(path(stem + "-reference.pt")), "x")
        var sizes: [Int] = []
        for q in [1, 3, 8] {
            let c = try ImageCodec.compress(engine, pixels: x, quality: q)
            let level = try engine.atRateLevel(q - 1)
            let direct = try level.compress(x)
            XCTAssertEqual(c.file.latents, direct, "quality \(q)")
            let file = try CompressedImageFile(decoding: c.bytes)
            XCTAssertEqual(file.quality, q)
            XCTAssertEqual(try ImageCodec.decompress(engine, file: file).data, try level.decompress(direct).data, "quality \(q)")
            sizes.append(c.bytes.count)
        }
        XCTAssertEqual(sizes, sizes.sorted(), "more bytes at higher rate levels: \(sizes)")
        XCTAssertLessThan(sizes[0], sizes[2])
        XCTAssertThrowsError(try engine.atRateLevel(8))
    }
}
