// The library's model API, as a user of `import Tinify` calls it, on every architecture's fixture
// (written by CompressAI 1.2.8): from_state_dict with N and M inferred, load_state_dict strict and
// not, update(force=) in place, aux_loss, forward, compress / decompress, state_dict() and its
// files, and the encoder / decoder parts.
import XCTest
import Tinify
import TestSupport

final class ModelAPITests: XCTestCase {
    /// Each fixture of `Tests/Fixtures/index.json`: architecture, N, M, checkpoints.
    private struct Fixture {
        let architecture: Architecture
        let n: Int, m: Int
        let checkpoint: String, notUpdated: String, image: String
    }

    private func fixtures() throws -> [Fixture] {
        let index = try XCTUnwrap(try Fixtures.json("index.json") as? [String: Any])
        let models = try XCTUnwrap(index["models"] as? [String: [String: Any]])
        return try models.keys.sorted().map { stem in
            let m = try XCTUnwrap(models[stem])
            return Fixture(architecture: try XCTUnwrap(Architecture(rawValue: try XCTUnwrap(m["architecture"] as? String))),
                           n: try XCTUnwrap(m["N"] as? Int), m: try XCTUnwrap(m["M"] as? Int),
                           checkpoint: Fixtures.path(try XCTUnwrap(m["checkpoint"] as? String)),
                           notUpdated: Fixtures.path(try XCTUnwrap(m["not_updated"] as? String)),
                           image: Fixtures.path(try XCTUnwrap(m["image"] as? String)))
        }
    }

    private func bytes(_ t: Tensor) -> [UInt8] { t.contiguousBytes().withUnsafeBytes { Array($0) } }

    /// The contract program's steps, for each of the seven architectures with its own class.
    func testEveryArchitectureThroughItsClass() throws {
        let all = try fixtures()
        // The seven of the seed's fixtures (the VBR models run in VariableRateTests; every
        // architecture verifies and converts in MoreArchitecturesTests).
        XCTAssertEqual(Set(all.map(\.architecture)), Set(Architecture.allCases.prefix(7)))
        for f in all {
            let name = f.architecture.rawValue
            let state = try StateDict(contentsOfFile: f.notUpdated)
            let net = try f.architecture.modelType.fromStateDict(state)
            XCTAssertTrue(type(of: net) == f.architecture.modelType, name)
            XCTAssertEqual([net.N, net.M], [f.n, f.m], name)
            XCTAssertEqual(net.architecture, f.architecture)

            // load_state_dict: one bias missing.
            let bias = try XCTUnwrap(state.keys.first { $0.hasPrefix("g_a.0.") && $0.hasSuffix(".bias") }, name)
            var partial = state
            XCTAssertNotNil(partial.removeValue(forKey: bias))
            XCTAssertEqual(partial.count, state.count - 1)
            let report = try net.loadStateDict(partial, strict: false)
            XCTAssertEqual(report.missingKeys, [bias], name)
            XCTAssertEqual(report.unexpectedKeys, [], name)
            XCTAssertThrowsError(try net.loadStateDict(partial, strict: true), name) { error in
                XCTAssertTrue(String(describing: error).contains("missing \(bias)"), "\(error)")
            }
            XCTAssertNoThrow(try net.loadStateDict(state, strict: true), name)

            // update(force=True) in place: the tables equal CompressAI's, and coding then works.
            XCTAssertThrowsError(try net.compress(try ImageTensor(contentsOfFile: f.image)), "\(name): coded before update")
            XCTAssertTrue(try net.update(force: true), name)
            XCTAssertFalse(try net.update(force: false), "\(name): a second update without force changes nothing")
            let reference = try StateDict(contentsOfFile: f.checkpoint)
            let updated = net.stateDict()
            XCTAssertEqual(updated.keys, reference.keys, "\(name): state_dict() keys and order")
            for key in reference.keys {
                XCTAssertEqual(bytes(try XCTUnwrap(updated[key])), bytes(try XCTUnwrap(reference[key])), "\(name): \(key)")
            }
            XCTAssertTrue(net.auxLoss().isFinite, name)

            // forward, compress, decompress.
            let x = try ImageTensor(contentsOfFile: f.image)
            let padded = x.padded(toMultipleOf: 64)
            let out = try net(padded)
            let factorized = f.architecture == .bmshj2018Factorized || f.architecture == .bmshj2018FactorizedReLU
            XCTAssertEqual(out.likelihoods.keys.sorted(), factorized ? ["y"] : ["y", "z"], name)
            XCTAssertEqual(out.xHat.shape, padded.shape, name)
            let compressed = try net.compress(padded)
            let fromCheckpoint = try loadModel(contentsOfFile: f.checkpoint)
            XCTAssertTrue(type(of: fromCheckpoint) == f.architecture.modelType, name)
            XCTAssertEqual(compressed, try fromCheckpoint.compress(padded), "\(name): the same strings as CompressAI's tables give")
            let xHat = try net.decompress(compressed).cropped(toHeight: x.height, width: x.width)
            XCTAssertEqual(xHat.shape, x.shape, name)
            XCTAssertEqual(xHat.psnr(to: x), try psnrOfWrittenPNG(xHat, x), "\(name): PSNR of the decoded PNG")
        }
    }

    /// The PSNR of the PNG `tinify decompress` would write for `xHat` against `x`, computed from
    /// the file read back.
    private func psnrOfWrittenPNG(_ xHat: ImageTensor, _ x: ImageTensor) throws -> Double {
        let path = Fixtures.scratch("psnr") + "/decoded.png"
        try xHat.write(toFile: path)
        let back = try ImageTensor(contentsOfFile: path)
        var sum = 0.0
        for i in 0..<x.count {
            let d = Double(back[i] * 255).rounded() - Double(x[i] * 255).rounded()
            sum += d * d
        }
        return 10 * log10(255 * 255 / (sum / Double(x.count)))
    }

    /// eval_model's `network` wrapper is unwrapped too, to the same tensors.
    func testNetworkWrapperIsUnwrapped() throws {
        let plain = try StateDict(contentsOfFile: Fixtures.path("random-samples/bmshj2018-hyperprior-N16-M24.pth"))
        let wrapped = try StateDict(contentsOfFile: Fixtures.path("random-samples/bmshj2018-hyperprior-N16-M24-network.pth.tar"))
        XCTAssertEqual(wrapped.wrapperKey, "network")
        XCTAssertEqual(wrapped.keys, plain.keys)
        XCTAssertEqual(wrapped.count, plain.count)
        XCTAssertEqual(try ScaleHyperprior.fromStateDict(wrapped).N, 16)
    }

    /// A training checkpoint (`state_dict` wrapper, optimizer state) needs no re-wrapping.
    func testTrainingCheckpointAndDetection() throws {
        let state = try StateDict(contentsOfFile: Fixtures.path("mbt2018-mean-N8-M12-training.pth"))
        XCTAssertEqual(state.wrapperKey, "state_dict")
        XCTAssertFalse(state.keys.contains { $0.hasPrefix("state_dict.") || $0.hasPrefix("optimizer") })
        let net = try MeanScaleHyperprior.fromStateDict(state)
        XCTAssertEqual([net.N, net.M], [8, 12])
        XCTAssertThrowsError(try ScaleHyperprior.fromStateDict(state)) { error in
            XCTAssertTrue(String(describing: error).contains("does not fit bmshj2018-hyperprior"), "\(error)")
        }
        XCTAssertThrowsError(try ZooModel.fromStateDict(state), "the base class stands for no architecture")
        let old = try loadModel(contentsOfFile: Fixtures.path("cheng2020-anchor-N8-M8-old-keys-v1.pth"))
        XCTAssertTrue(old is Cheng2020Anchor)
    }

    /// state_dict() written in each format reads back to the same tensors and the same model.
    func testStateDictFilesRoundTrip() throws {
        let net = try loadModel(contentsOfFile: Fixtures.path("mbt2018-N8-M12.pth"))
        let state = net.stateDict()
        let dir = Fixtures.scratch("api-files")
        for ext in ["h5", "safetensors", "pth"] {
            let path = "\(dir)/model.\(ext)"
            try state.write(toFile: path)
            let back = try StateDict(contentsOfFile: path)
            // safetensors orders its header by key; the other formats keep the state dict's order.
            XCTAssertEqual(back.keys, ext == "safetensors" ? state.keys.sorted() : state.keys, ext)
            XCTAssertEqual(try loadModel(contentsOfFile: path).stateDict().keys, state.keys, "\(ext): the model's order")
            for (key, t) in state { XCTAssertEqual(bytes(try XCTUnwrap(back[key])), bytes(t), "\(ext): \(key)") }
            XCTAssertTrue(try loadModel(contentsOfFile: path) is JointAutoregressiveHierarchicalPriors, ext)
        }
        XCTAssertThrowsError(try state.write(toFile: "\(dir)/model.txt"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(dir)/model.txt"))
    }

    /// A StateDict behaves as an ordered dictionary and is a value.
    func testStateDictIsAnOrderedValue() throws {
        let original = try StateDict(contentsOfFile: Fixtures.path("bmshj2018-hyperprior-N8-M12.pth"))
        var copy = original
        let first = try XCTUnwrap(copy.keys.first)
        let t = try XCTUnwrap(copy.removeValue(forKey: first))
        XCTAssertNil(copy[first])
        XCTAssertNotNil(original[first])
        copy[first] = t
        XCTAssertEqual(copy.keys.last, first)
        XCTAssertEqual(copy.count, original.count)
        XCTAssertNil(copy.removeValue(forKey: "no.such.key"))
    }

    /// A non-strict load refuses mis-shaped tensors and keeps the model's own.
    func testNonStrictLoadReportsMismatchedAndUnexpectedKeys() throws {
        let net = try loadModel(contentsOfFile: Fixtures.path("bmshj2018-hyperprior-N8-M12.pth"))
        let before = net.stateDict()
        var other = before
        other["g_a.0.weight"] = try XCTUnwrap(before["g_a.2.weight"])  // [8, 8, 5, 5], not [8, 3, 5, 5]
        other["extra.weight"] = try XCTUnwrap(before["g_a.0.bias"])
        let report = try net.loadStateDict(other, strict: false)
        XCTAssertEqual(report.mismatchedKeys, ["g_a.0.weight"])
        XCTAssertEqual(report.unexpectedKeys, ["extra.weight"])
        XCTAssertEqual(report.missingKeys, [])
        XCTAssertEqual(bytes(try XCTUnwrap(net.stateDict()["g_a.0.weight"])), bytes(try XCTUnwrap(before["g_a.0.weight"])))
        XCTAssertThrowsError(try net.loadStateDict(other, strict: true)) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("g_a.0.weight") && text.contains("extra.weight"), text)
        }
    }
}

/// The library is a guest in its user's process.
final class GuestTests: XCTestCase {
    /// Buffers a model's runs leave for reuse are freed when the last model goes.
    func testBuffersAreReleasedWhenTheModelGoes() throws {
        do {
            let net = try loadModel(contentsOfFile: Fixtures.path("bmshj2018-hyperprior-N8-M12.pth"))
            _ = try net(try ImageTensor(contentsOfFile: Fixtures.path("image-64x64.png")))
            XCTAssertGreaterThan(BufferPool.idleBytes, 0, "a forward pass leaves buffers for the next")
        }
        XCTAssertEqual(BufferPool.idleBytes, 0)
    }

    /// Library errors state facts; the command's advice is the command's.
    func testMessagesStateFacts() throws {
        let net = try loadModel(contentsOfFile: Fixtures.path("bmshj2018-hyperprior-N8-M12-not-updated.pth"))
        XCTAssertThrowsError(try net.compress(try ImageTensor(contentsOfFile: Fixtures.path("image-64x64.png")))) { error in
            XCTAssertEqual(String(describing: error), "entropy_bottleneck has no CDF tables: update() has not run")
        }
    }
}

/// Every stage's error answers the same questions (`TinifyError`).
final class ErrorProtocolTests: XCTestCase {
    func testStageKindKeyOffsetAndFile() throws {
        // A pickle that calls os.system, read through the zip container.
        XCTAssertThrowsError(try StateDict(contentsOfFile: Fixtures.path("hostile/rce-reduce-os-system.pth"))) { error in
            let e = error as? any TinifyError
            XCTAssertNotNil(e, "\(error)")
            XCTAssertEqual(e?.underlying?.kind, "forbiddenGlobal", "\(error)")
            XCTAssertNotNil(e?.offset, "\(error): the offset of the forbidden global")
        }
        XCTAssertThrowsError(try StateDict(contentsOfFile: "/no/such/file.pth")) { error in
            let e = error as? any TinifyError
            XCTAssertEqual(e?.file, "/no/such/file.pth", "\(error)")
            XCTAssertEqual(e?.underlying?.stage, "File")
        }
        let state = try StateDict(contentsOfFile: Fixtures.path("bmshj2018-hyperprior-N8-M12.pth"))
        XCTAssertThrowsError(try MeanScaleHyperprior.fromStateDict(state)) { error in
            let e = error as? any TinifyError
            XCTAssertEqual(e?.stage, "Architecture")
            XCTAssertEqual(e?.kind, "mismatch")
        }
    }
}

/// Split deployment artifacts (CompressAI #299): an encoder without g_s, a decoder without g_a
/// and h_a, each built on its own, and what one compresses the other decodes.
final class ModelPartTests: XCTestCase {
    func testEncoderAndDecoderPartsOfEveryArchitecture() throws {
        let index = try XCTUnwrap(try Fixtures.json("index.json") as? [String: Any])
        let models = try XCTUnwrap(index["models"] as? [String: [String: Any]])
        let x = try ImageTensor(contentsOfFile: Fixtures.path("image-64x64.png"))
        let dir = Fixtures.scratch("parts")
        for (_, m) in models.sorted(by: { $0.key < $1.key }) {
            let full = try loadModel(contentsOfFile: Fixtures.path(try XCTUnwrap(m["checkpoint"] as? String)))
            let name = full.architecture.rawValue
            XCTAssertNil(full.part)
            let encoderState = full.stateDict(for: .encoder), decoderState = full.stateDict(for: .decoder)
            XCTAssertFalse(encoderState.keys.contains { $0.hasPrefix("g_s.") }, name)
            XCTAssertFalse(decoderState.keys.contains { $0.hasPrefix("g_a.") || $0.hasPrefix("h_a.") }, name)
            XCTAssertEqual(encoderState.count + decoderState.count,
                           full.stateDict().count + full.stateDict().keys.filter { ModelPart.encoder.keeps($0) && ModelPart.decoder.keeps($0) }.count, name)

            // The decoder file alone: detected, N and M from g_s, decodes the full model's strings.
            try decoderState.write(toFile: "\(dir)/\(name)-decoder.h5")
            let decoder = try loadModel(contentsOfFile: "\(dir)/\(name)-decoder.h5")
            XCTAssertEqual(decoder.architecture, full.architecture, name)
            XCTAssertEqual(decoder.part, .decoder, name)
            XCTAssertEqual([decoder.N, decoder.M], [full.N, full.M], name)
            let encoder = try full.architecture.modelType.fromStateDict(encoderState)
            XCTAssertEqual(encoder.part, .encoder, name)

            let compressed = try encoder.compress(x)
            XCTAssertEqual(compressed, try full.compress(x), "\(name): the encoder writes the full model's strings")
            XCTAssertEqual(try decoder.decompress(compressed).data, try full.decompress(compressed).data, "\(name): the decoder decodes them")
            XCTAssertThrowsError(try decoder.compress(x), name) { error in
                XCTAssertTrue(String(describing: error).contains("g_a is not in this model"), "\(error)")
            }
            XCTAssertThrowsError(try encoder.decompress(compressed), name)
        }
    }

    /// A state dict missing one g_a tensor is a broken model, not a decoder.
    func testOneMissingAnalysisTensorIsNotADecoder() throws {
        var state = try StateDict(contentsOfFile: Fixtures.path("bmshj2018-hyperprior-N8-M12.pth"))
        state.removeValue(forKey: "g_a.0.weight")
        XCTAssertThrowsError(try ScaleHyperprior.fromStateDict(state)) { error in
            XCTAssertTrue(String(describing: error).contains("missing g_a.0.weight") && !String(describing: error).contains("g_a.2"), "\(error)")
        }
    }
}

/// `Architecture.verify` reports every problem of a state dict at once, through the public API.
final class VerifyAPITests: XCTestCase {
    func testBrokenStateDictsNameEveryOffendingKey() throws {
        let cases = try XCTUnwrap(try Fixtures.json("broken/broken.json") as? [String: [String: Any]])
        for (file, c) in cases {
            let state = try StateDict(contentsOfFile: Fixtures.path("broken/" + file))
            let report: VerificationReport
            if let arch = (c["arch"] as? String).flatMap(Architecture.init(rawValue:)) {
                report = try arch.verify(state)
            } else {
                do {
                    _ = try Architecture.detectReport(state)
                    return XCTFail("\(file): a broken state dict fits")
                } catch ArchitectureError.noArchitectureFits(let closest?) {
                    report = closest
                }
            }
            XCTAssertFalse(report.ok, file)
            let named = Set(report.problems.map(\.key))
            for key in try XCTUnwrap(c["keys"] as? [String]) { XCTAssertTrue(named.contains(key), "\(file): \(key) not reported") }
        }
        let good = try StateDict(contentsOfFile: Fixtures.path("cheng2020-attn-N8-M8.pth"))
        let report = try Architecture.detectReport(good)
        XCTAssertTrue(report.ok)
        XCTAssertEqual(report.architecture, .cheng2020Attention)
        XCTAssertEqual(report.hyperparameters, Hyperparameters(N: 8, M: 8))
    }
}
