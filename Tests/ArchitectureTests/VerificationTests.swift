// fromStateDict, detection and complete verification on real CompressAI checkpoints.
import XCTest
import Foundation
import TestSupport
import Tinify
import TinifyCommand
import TinifyWeights
import TinifyArchitectures
import TinifyCore

final class VerificationTests: XCTestCase {
    private func models() throws -> [(file: String, arch: String, N: Int, M: Int)] {
        let index = try XCTUnwrap(try Fixtures.json("index.json") as? [String: Any])
        let models = try XCTUnwrap(index["models"] as? [String: [String: Any]])
        let variants = try XCTUnwrap(index["variants"] as? [String: [String: Any]])
        var out: [(String, String, Int, Int)] = []
        for (_, m) in models {
            let a = try XCTUnwrap(m["architecture"] as? String), n = try XCTUnwrap(m["N"] as? Int), mm = try XCTUnwrap(m["M"] as? Int)
            out.append((try XCTUnwrap(m["checkpoint"] as? String), a, n, mm))
            out.append((try XCTUnwrap(m["not_updated"] as? String), a, n, mm))
        }
        for (f, v) in variants {
            let base = try XCTUnwrap(models[try XCTUnwrap(v["base"] as? String)])
            out.append((f, try XCTUnwrap(base["architecture"] as? String), try XCTUnwrap(base["N"] as? Int), try XCTUnwrap(base["M"] as? Int)))
        }
        return out
    }

    func testEveryFixtureModelIsDetectedWithItsArchitectureAndSizes() throws {
        let all = try models()
        XCTAssertGreaterThanOrEqual(all.count, 20)
        for m in all {
            let store = try WeightFile.open(Fixtures.path(m.file))
            let report = try ArchitectureDetector.detect(CheckpointWeights(store))
            XCTAssertTrue(report.ok, "\(m.file): \(report.problems)")
            XCTAssertEqual(report.architecture.rawValue, m.arch, m.file)
            XCTAssertEqual(report.hyperparameters, Hyperparameters(N: m.N, M: m.M), m.file)
            XCTAssertEqual(report.updated, !m.file.contains("not-updated"), "\(m.file): updated flag")
        }
    }

    func testTypedModelsBindEveryTensorWithoutCopying() throws {
        let store = try WeightFile.open(Fixtures.path("bmshj2018-hyperprior-N8-M12.pth"))
        let model = try Architecture.bmshj2018Hyperprior.fromStateDict(CheckpointWeights(store))
        XCTAssertEqual(model.N, 8)
        XCTAssertEqual(model.M, 12)
        guard case .conv(let first) = model.gA[0], case .gdn(let gdn) = model.gA[1], case .relu = model.hS[5] else {
            return XCTFail("unexpected layer kinds")
        }
        XCTAssertEqual(first.weight.tensor?.shape, [8, 3, 5, 5])
        XCTAssertEqual(gdn.gamma.key, "g_a.1.gamma")
        // Bound tensors are views of the same storage the store holds (no copy).
        XCTAssertTrue(first.weight.tensor?.storage === store["g_a.0.weight"]?.storage)
        XCTAssertThrowsError(try Architecture.bmshj2018Factorized.fromStateDict(CheckpointWeights(store)))
    }

    func testTrainingCheckpointWeightsAreFoundUnderStateDict() throws {
        let sd = CheckpointWeights(try WeightFile.open(Fixtures.path("mbt2018-mean-N8-M12-training.pth")))
        XCTAssertEqual(sd.source, "state_dict")
        XCTAssertEqual(sd.entries.count, 91)
        XCTAssertEqual(try Architecture.mbt2018Mean.fromStateDict(sd).hyperparameters, Hyperparameters(N: 8, M: 12))
    }

    func testRenameRulesReportWhatFiredAndHandleAnyNumberOfDigits() {
        let (keys, fired) = KeyMigration.migrate([
            "module.g_a.0.downsample.weight", "module.entropy_bottleneck._biases.12", "entropy_bottleneck._matrix10",
            "entropy_bottleneck._factor3", "h_a.0._bias1", "g_a.0.weight",
        ])
        XCTAssertEqual(keys, ["g_a.0.skip.weight", "entropy_bottleneck.biases.12", "entropy_bottleneck.matrices.10",
                              "entropy_bottleneck.factors.3", "h_a.0._bias1", "g_a.0.weight"])
        XCTAssertEqual(fired, [RenameRecord(rule: "strip-module-prefix", count: 2), RenameRecord(rule: "downsample-to-skip", count: 1),
                               RenameRecord(rule: "entropy-bottleneck-v1-lists", count: 1), RenameRecord(rule: "entropy-bottleneck-1.1-names", count: 2)])
    }

    func testOldKeyFixturesReportTheirRenames() throws {
        let v1 = CheckpointWeights(try WeightFile.open(Fixtures.path("cheng2020-anchor-N8-M8-old-keys-v1.pth")))
        XCTAssertEqual(Set(v1.renamed.map(\.rule)), ["strip-module-prefix", "downsample-to-skip", "entropy-bottleneck-v1-lists"])
        let v11 = CheckpointWeights(try WeightFile.open(Fixtures.path("mbt2018-N8-M12-old-keys-v11.pth")))
        XCTAssertEqual(v11.renamed.map(\.rule), ["entropy-bottleneck-1.1-names"])
        XCTAssertEqual(v11.renamed.first?.count, 14)
    }

    /// Every broken fixture fails, and the report names every key `broken.json` lists.
    func testBrokenCheckpointsNameEveryOffendingKey() throws {
        let cases = try XCTUnwrap(try Fixtures.json("broken/broken.json") as? [String: [String: Any]])
        XCTAssertEqual(cases.count, 5)
        for (file, c) in cases {
            let check = try ModelCheck(stateDict: StateDict(contentsOfFile: Fixtures.path("broken/" + file)), path: nil, architecture: (c["arch"] as? String).flatMap(Architecture.init(rawValue:)))
            XCTAssertFalse(check.ok, file)
            let named = Set((check.report?.problems ?? []).map(\.key))
            for key in try XCTUnwrap(c["keys"] as? [String]) { XCTAssertTrue(named.contains(key), "\(file): \(key) not reported") }
        }
    }

    func testMissingShapeAndExtraProblemsAreAllReportedAtOnce() throws {
        let store = try WeightFile.open(Fixtures.path("bmshj2018-hyperprior-N8-M12.pth"))
        var entries = store.entries.filter { $0.key != "g_a.0.bias" && $0.key != "h_s.2.weight" }
        entries.append(("g_a.9.weight", try XCTUnwrap(store["g_a.0.weight"])))
        let idx = try XCTUnwrap(entries.firstIndex { $0.key == "h_a.0.weight" })
        entries[idx].tensor = try XCTUnwrap(store["g_a.2.weight"])
        let report = try Architecture.bmshj2018Hyperprior.verify(CheckpointWeights(WeightStore(entries: entries, container: .torchZip, path: nil))).report
        let found = Set(report.problems.map { "\($0.kind.rawValue) \($0.key)" })
        XCTAssertEqual(found, ["missing g_a.0.bias", "missing h_s.2.weight", "unexpected g_a.9.weight", "shape_mismatch h_a.0.weight"])
    }

    func testHalfFilledCDFTablesAreInconsistent() throws {
        let store = try WeightFile.open(Fixtures.path("bmshj2018-factorized-N8-M12.pth"))
        let empty = try XCTUnwrap(try WeightFile.open(Fixtures.path("bmshj2018-factorized-N8-M12-not-updated.pth"))["entropy_bottleneck._offset"])
        let entries = store.entries.map { $0.key == "entropy_bottleneck._offset" ? ($0.key, empty) : $0 }
        let report = try Architecture.bmshj2018Factorized.verify(CheckpointWeights(WeightStore(entries: entries, container: .torchZip, path: nil))).report
        XCTAssertEqual(report.problems.map(\.kind), [.inconsistentCDF])
        XCTAssertEqual(report.problems.first?.key, "entropy_bottleneck._offset")
    }

    func testHashPrefixOfZooFileNames() {
        XCTAssertEqual(ModelCheck.hashPrefix("/x/bmshj2018-factorized-prior-1-446d5c7f.pth.tar"), "446d5c7f")
        XCTAssertNil(ModelCheck.hashPrefix("bmshj2018-factorized-N8-M12.pth"))
        XCTAssertNil(ModelCheck.hashPrefix("model-ABCDEF12.pth"))
    }

    func testHashPrefixIsCheckedAgainstTheFileContents() throws {
        let src = Fixtures.path("bmshj2018-factorized-N8-M12.pth")
        let data = try Data(contentsOf: URL(fileURLWithPath: src))
        let sha = SHA256Hasher.hex(of: data.withUnsafeBytes { UnsafeRawBufferPointer($0) })
        let dir = Fixtures.scratch("hash")
        for (prefix, ok) in [(String(sha.prefix(8)), true), ("00000000", false)] {
            let path = dir + "/bmshj2018-factorized-prior-1-\(prefix).pth.tar"
            try data.write(to: URL(fileURLWithPath: path))
            let check = try ModelCheck(stateDict: try StateDict(contentsOfFile: path), path: path)
            XCTAssertEqual(check.hashCheck?.expected, prefix)
            XCTAssertEqual(check.hashCheck?.actual, String(sha.prefix(8)))
            XCTAssertEqual(check.ok, ok, path)
        }
    }
}
