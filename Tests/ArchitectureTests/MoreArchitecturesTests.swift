// The six architectures beyond the seed's seven (VBR ×3, checkerboard, ELIC ×2): their
// declarations against the key lists CompressAI 1.2.8 itself wrote (every configuration of
// Tests/Fixtures/more-architectures, ELIC's default five groups included), and detection and
// complete verification of the checkpoints it saved.
import XCTest
import Foundation
import TestSupport
import Tinify
import TinifyArchitectures
import TinifyCore

final class MoreArchitecturesTests: XCTestCase {
    private static let folder = "more-architectures/"
    private static let architectures: [Architecture] = [
        .bmshj2018HyperpriorVbr, .mbt2018MeanVbr, .mbt2018Vbr, .cheng2020AnchorCheckerboard, .elic2022Official, .elic2022Chandelier,
    ]

    /// One configuration of `<arch>-keys.json`: its hyperparameters and CompressAI's key lists.
    private struct Configuration {
        let tag: String
        let hyperparameters: Hyperparameters
        let updated: [[String: Any]], notUpdated: [[String: Any]]
    }

    private func configurations(_ id: Architecture) throws -> [Configuration] {
        let all = try XCTUnwrap(try Fixtures.json(Self.folder + "\(id.rawValue)-keys.json") as? [String: [String: Any]])
        return try all.sorted { $0.key < $1.key }.map { tag, c in
            let n = try XCTUnwrap(c["N"] as? Int)
            let m = c["M"] as? Int ?? n
            let constructor = try XCTUnwrap(c["constructor"] as? String)
            let h = Hyperparameters(N: n, M: m, groups: c["groups"] as? [Int] ?? (id.hasChannelGroups ? Architecture.defaultGroups(M: m) : []),
                                    variableRateBottleneck: constructor.contains("vr_entbttlnck=True"))
            return Configuration(tag: tag, hyperparameters: h, updated: try XCTUnwrap(c["updated"] as? [[String: Any]]),
                                 notUpdated: try XCTUnwrap(c["not_updated"] as? [[String: Any]]))
        }
    }

    func testDeclarationsMatchCompressAIKeyForKeyInOrder() throws {
        var checked = 0
        for id in Self.architectures {
            for c in try configurations(id) {
                let decls = id.declarations(c.hyperparameters)
                let label = "\(id.rawValue) \(c.tag)"
                XCTAssertEqual(decls.map(\.key), c.updated.map { $0["key"] as? String ?? "" }, "\(label): keys in order")
                XCTAssertEqual(decls.map(\.key), c.notUpdated.map { $0["key"] as? String ?? "" }, "\(label): keys in order (not updated)")
                var bindings: [String: Int] = [:]
                for (d, m) in zip(decls, c.updated) {
                    let shape = try XCTUnwrap(m["shape"] as? [Int])
                    for (dim, actual) in zip(d.shape, shape) { if case .dynamic(let name) = dim { bindings[name] = bindings[name] ?? actual } }
                    XCTAssertEqual(d.shape(for: c.hyperparameters, bindings: bindings).map { $0 ?? -1 }, shape, "\(label): \(d.key) shape")
                    XCTAssertEqual(d.role.torchRole, m["kind"] as? String, "\(label): \(d.key) role")
                    XCTAssertEqual(d.kind.canonicalDType, m["dtype"] as? String, "\(label): \(d.key) dtype")
                }
                for (d, m) in zip(decls, c.notUpdated) where d.role == .dynamicBuffer {
                    XCTAssertEqual(m["shape"] as? [Int], [0], "\(label): \(d.key) is a dynamic buffer, empty before update()")
                }
                checked += 1
            }
        }
        XCTAssertEqual(checked, 10, "every configuration the generator wrote (ELIC's default groups included)")
    }

    /// The committed checkpoints: every one is detected as its architecture with N, M (and
    /// groups, and the VBR bottleneck choice) inferred, without being told the architecture.
    func testEveryCheckpointIsDetectedWithItsHyperparameters() throws {
        let index = try XCTUnwrap(try Fixtures.json(Self.folder + "index.json") as? [String: Any])
        let models = try XCTUnwrap(index["models"] as? [String: [String: Any]])
        var seen = Set<Architecture>()
        for (_, m) in models.sorted(by: { $0.key < $1.key }) {
            guard let file = m["not_updated"] as? String, FileManager.default.fileExists(atPath: Fixtures.path(Self.folder + file)) else { continue }  // only the small ones are committed
            let id = try XCTUnwrap(Architecture(rawValue: try XCTUnwrap(m["architecture"] as? String)))
            let n = try XCTUnwrap(m["N"] as? Int)
            let expected = Hyperparameters(N: n, M: m["M"] as? Int ?? n, groups: m["groups"] as? [Int] ?? [],
                                           variableRateBottleneck: m["vr_entbttlnck"] as? Bool ?? false)
            let state = try StateDict(contentsOfFile: Fixtures.path(Self.folder + file))
            let report = try Architecture.detectReport(state)
            XCTAssertTrue(report.ok, "\(file): \(report.problems)")
            XCTAssertEqual(report.architecture, id, file)
            XCTAssertEqual(report.hyperparameters, expected, file)
            XCTAssertFalse(report.updated, file)
            XCTAssertEqual(try loadModel(state).architecture, id, "\(file): loadModel builds the class of its architecture")
            XCTAssertTrue(type(of: try id.modelType.fromStateDict(state)) == id.modelType, file)
            seen.insert(id)
        }
        XCTAssertEqual(seen, Set(Self.architectures), "a committed checkpoint for each of the six")
    }

    /// CompressAI's layout after 1.2.8 (PR #352: `latent_codec.h_a`, `latent_codec.z.entropy_bottleneck`)
    /// verifies as 1.2.8's, renamed and reported.
    func testTheLaterLatentCodecLayoutIsRenamed() throws {
        let state = try StateDict(contentsOfFile: Fixtures.path(Self.folder + "cheng2020-anchor-checkerboard-N8-master-layout.pth"))
        XCTAssertEqual(state.renamed, [RenameRecord(rule: "latent-codec-hyper-layout", count: 40)])
        XCTAssertTrue(state.keys.contains("latent_codec.hyper.entropy_bottleneck.quantiles"))
        XCTAssertFalse(state.keys.contains { $0.hasPrefix("latent_codec.z.") || $0.hasPrefix("latent_codec.h_") })
        let report = try Architecture.detectReport(state)
        XCTAssertTrue(report.ok, "\(report.problems)")
        XCTAssertEqual(report.architecture, .cheng2020AnchorCheckerboard)
    }

    /// The broken variants as the generator makes them (broken.json: one key deleted, one
    /// unexpected key appended, one tensor one row short), applied to each committed checkpoint:
    /// the report names all three offending keys, and nothing else.
    func testBrokenCheckpointsNameEveryOffendingKey() throws {
        let broken = try XCTUnwrap(try Fixtures.json(Self.folder + "broken.json") as? [String: [String: Any]])
        var checked = 0
        for (file, spec) in broken.sorted(by: { $0.key < $1.key }) {
            let source = file.replacingOccurrences(of: "-broken.pth", with: "-not-updated.pth")
            guard FileManager.default.fileExists(atPath: Fixtures.path(Self.folder + source)) else { continue }
            let deleted = try XCTUnwrap(spec["deleted"] as? String)
            let unexpected = try XCTUnwrap((spec["unexpected"] as? [String: Any])?["key"] as? String)
            let wrong = try XCTUnwrap(spec["wrong_shape"] as? [String: Any])
            let wrongKey = try XCTUnwrap(wrong["key"] as? String)
            var state = try StateDict(contentsOfFile: Fixtures.path(Self.folder + source))
            XCTAssertNotNil(state.removeValue(forKey: deleted), "\(file): \(deleted)")
            state[unexpected] = try Tensor(dtype: .float32, shape: [2, 2, 1, 1], bytes: ByteRegion([UInt8](repeating: 0, count: 16)))
            let t = try XCTUnwrap(state[wrongKey])
            let rows = t.shape[0] - 1, rowBytes = t.byteCount / t.shape[0]
            state[wrongKey] = try Tensor(dtype: t.dtype, shape: [rows] + t.shape.dropFirst(),
                                         bytes: ByteRegion(t.contiguousBytes().withUnsafeBytes { Array($0.prefix(rows * rowBytes)) }))
            let id = try XCTUnwrap(Self.architectures.first { file.hasPrefix($0.rawValue + "-N") })
            XCTAssertThrowsError(try Architecture.detectReport(state), file) { error in
                guard case ArchitectureError.noArchitectureFits(let closest?) = error else { return XCTFail("\(file): \(error)") }
                XCTAssertEqual(closest.architecture, id, file)
                XCTAssertEqual(Set(closest.problems.map(\.key)), [deleted, unexpected, wrongKey], "\(file): \(closest.problems)")
                XCTAssertEqual(Set(closest.problems.map(\.kind)), [.missing, .unexpected, .shapeMismatch], file)
            }
            checked += 1
        }
        XCTAssertEqual(checked, 6, "a broken variant of each architecture")
    }

    /// The Schemas/ manifests of the six record the hyperparameters beyond N and M.
    func testSchemasNameGroupsAndTheVariableRateBottleneck() throws {
        let elic = ArchitectureSchema.json(.elic2022Official)
        XCTAssertTrue(elic.contains("\"hyperparameters\": [\"N\", \"M\", \"groups\"]"))
        XCTAssertTrue(elic.contains("\"shape\": [\"224\", \"g0+g1+g2+g3\", \"5\", \"5\"]"))
        XCTAssertTrue(ArchitectureSchema.json(.elic2022Chandelier).contains("\"shape\": [\"224\", \"g0+g3\", \"5\", \"5\"]"))
        XCTAssertTrue(ArchitectureSchema.json(.bmshj2018HyperpriorVbr).contains("\"key\": \"gayn2zqstep.0.weight\""))
        XCTAssertFalse(ArchitectureSchema.json(.mbt2018Vbr).contains("gayn2zqstep"))
    }

    /// `update(force=True)` on each committed not-updated checkpoint rebuilds every CDF table of the
    /// checkpoint CompressAI updated, bit for bit (sha256 from manifests.json): the entropy
    /// bottleneck under `latent_codec.hyper`, and one Gaussian conditional per ELIC group.
    /// `aux_loss()` is CompressAI's, 0 for an `EntropyBottleneckVbr`; a VBR model with it is updated
    /// at gain `Gain[1]` as the fixture was (`update_variable` with gayn2zqstep's step).
    func testUpdateRebuildsEveryCDFTableAndAuxLossMatches() throws {
        let manifests = try XCTUnwrap(try Fixtures.json(Self.folder + "manifests.json") as? [String: [String: [String: Any]]])
        let index = try XCTUnwrap(try Fixtures.json(Self.folder + "index.json") as? [String: Any])
        let models = try XCTUnwrap(index["models"] as? [String: [String: Any]])
        var checked = 0
        for (stem, m) in models.sorted(by: { $0.key < $1.key }) {
            guard let file = m["not_updated"] as? String, FileManager.default.fileExists(atPath: Fixtures.path(Self.folder + file)) else { continue }
            let id = try XCTUnwrap(Architecture(rawValue: try XCTUnwrap(m["architecture"] as? String)))
            let net = try id.modelType.fromStateDict(try StateDict(contentsOfFile: Fixtures.path(Self.folder + file)))
            let aux = try XCTUnwrap(m["aux_loss"] as? Double)
            XCTAssertEqual(net.auxLoss(), aux, accuracy: max(1e-4, abs(aux) * 1e-5), "\(stem): aux_loss")
            // The VBR fixtures with the variable-rate bottleneck were updated with scale=Gain[1].
            let scaled = (m["update_call"] as? String ?? "").contains("scale=model.Gain[1]")
            XCTAssertEqual(net.gains?.count, id.isVariableRate ? 8 : nil, stem)
            XCTAssertTrue(try net.update(force: true, scale: scaled ? try XCTUnwrap(net.gains?[1]) : nil), stem)
            let reference = try XCTUnwrap(manifests["\(stem).pth"], stem)
            let state = net.stateDict()
            var tables = 0
            for (key, tensor) in state where key.hasSuffix("._quantized_cdf") || key.hasSuffix("._offset") || key.hasSuffix("._cdf_length") || key.hasSuffix(".scale_table") {
                XCTAssertEqual(tensor.sha256(), reference[key]?["sha256"] as? String, "\(stem): \(key)")
                tables += 1
            }
            XCTAssertGreaterThanOrEqual(tables, 7, stem)
            checked += 1
        }
        XCTAssertEqual(checked, 8, "every committed checkpoint")
    }

    /// `tinify update --gain-index 1` writes the tables CompressAI's `update(force=True,
    /// scale=Gain[1])` built; a model without the variable-rate bottleneck refuses a gain index.
    func testUpdateAtAGainIndexWritesThatRateLevelsTables() throws {
        let manifests = try XCTUnwrap(try Fixtures.json(Self.folder + "manifests.json") as? [String: [String: [String: Any]]])
        let stem = "bmshj2018-hyperprior-vbr-N8-M12-vreb"
        let dir = Fixtures.scratch("vbr"), out = dir + "/updated.pth"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let summary = try ModelUpdate.update(input: Fixtures.path(Self.folder + stem + "-not-updated.pth"), output: out, gainIndex: 1)
        XCTAssertEqual(summary.report.architecture, .bmshj2018HyperpriorVbr)
        let written = try StateDict(contentsOfFile: out)
        for key in ["entropy_bottleneck._offset", "entropy_bottleneck._quantized_cdf", "entropy_bottleneck._cdf_length"] {
            XCTAssertEqual(try XCTUnwrap(written[key]).sha256(), manifests[stem + ".pth"]?[key]?["sha256"] as? String, key)
        }
        XCTAssertThrowsError(try ModelUpdate.update(input: Fixtures.path(Self.folder + "mbt2018-vbr-N8-M12-not-updated.pth"), output: out,
                                                    force: true, gainIndex: 1)) {
            XCTAssertTrue(String(describing: $0).contains("no variable-rate entropy bottleneck"), "\($0)")
        }
    }

    /// A state dict naming 10,000 ELIC group codecs is read with at most `maxChannelGroups` of
    /// them (the rest unexpected), in bounded time: the declaration does not grow with the file.
    func testAHostileGroupCountIsBounded() throws {
        var state = try StateDict(contentsOfFile: Fixtures.path(Self.folder + "elic2022-official-N8-M12-g4-8-not-updated.pth"))
        let tiny = try Tensor(dtype: .float32, shape: [1], bytes: ByteRegion([0, 0, 0, 0]))
        for k in 2..<10_000 { state["latent_codec.y.latent_codec.y\(k).context_prediction.bias"] = tiny }
        let start = Date()
        let report = try Architecture.elic2022Official.verify(state)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        XCTAssertEqual(report.hyperparameters.groups.count, Architecture.maxChannelGroups)
        XCTAssertFalse(report.ok)
        XCTAssertTrue(report.problems.contains { $0.kind == .unexpected && $0.key == "latent_codec.y.latent_codec.y9999.context_prediction.bias" })
    }
}
