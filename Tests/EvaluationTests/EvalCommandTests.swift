// EvaluationTests: `tinify eval` against CompressAI's own eval_model (references made by
// make_eval_reference.py from the trained samples and the sample dataset), eval_model's per-image
// files, `--shard` + `eval merge`, and `--jobs`. Runs against the release binary (TINIFY_EXE,
// set by Tests/run.sh): real coding of every sample is minutes in a debug build.
import Foundation
import XCTest
import TestSupport

final class EvalCommandTests: XCTestCase {
    private let referenceDir = Fixtures.root + "/Tests/EvaluationTests/reference"
    private let dataset = Fixtures.sample("images")

    private func exe() throws -> String {
        guard let exe = ProcessInfo.processInfo.environment["TINIFY_EXE"], !exe.isEmpty else {
            throw XCTSkip("runs against the release binary (Tests/run.sh sets TINIFY_EXE)")
        }
        return exe
    }

    private func json(_ data: Data) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func results(_ doc: [String: Any]) throws -> [String: [Double]] {
        try XCTUnwrap(doc["results"] as? [String: [Double]])
    }

    /// Every sample checkpoint: the document equals eval_model's (bpp within 0.1 %, PSNR within
    /// 0.02 dB, MS-SSIM within 2e-4), and so does every per-image file.
    func testEvalEqualsEvalModelOnTheSamples() throws {
        let exe = try exe()
        let index = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: referenceDir + "/index.json"))) as? [String: String])
        XCTAssertGreaterThanOrEqual(index.count, 4)
        let work = Fixtures.scratch("eval")
        defer { try? FileManager.default.removeItem(atPath: work) }
        for (checkpoint, arch) in index.sorted(by: { $0.key < $1.key }) {
            let stem = (checkpoint as NSString).deletingPathExtension
            let expected = try json(Data(contentsOf: URL(fileURLWithPath: "\(referenceDir)/\(stem)/result.json")))
            let perImage = work + "/" + stem
            let r = try ToolProcess.run(exe, ["eval", "--json", "--per-image", perImage, "--checkpoint", Fixtures.sample("trained/" + checkpoint), dataset])
            XCTAssertEqual(r.status, 0, r.stderr)
            let got = try json(r.stdout)
            XCTAssertEqual(got["name"] as? String, "\(arch)-mse")
            XCTAssertEqual(got["description"] as? String, "Inference (ans)")
            let (g, e) = (try results(got), try results(expected))
            XCTAssertEqual(Set(g.keys), Set(e.keys))
            check(g, e, stem)
            // eval_model's per-image files: the same names, the same figures.
            let want = try FileManager.default.contentsOfDirectory(atPath: "\(referenceDir)/\(stem)").filter { $0 != "result.json" }.sorted()
            let have = try FileManager.default.contentsOfDirectory(atPath: perImage).sorted()
            XCTAssertEqual(have, want)
            for name in want where have.contains(name) {
                let a = try json(Data(contentsOf: URL(fileURLWithPath: perImage + "/" + name)))
                let b = try json(Data(contentsOf: URL(fileURLWithPath: "\(referenceDir)/\(stem)/\(name)")))
                XCTAssertEqual(a["source"] as? String, b["source"] as? String)
                XCTAssertEqual(a["name"] as? String, b["name"] as? String)
                XCTAssertEqual(a["description"] as? String, b["description"] as? String)
                let (ra, rb) = (try XCTUnwrap(a["results"] as? [String: Double]), try XCTUnwrap(b["results"] as? [String: Double]))
                check(ra.mapValues { [$0] }, rb.mapValues { [$0] }, name)
            }
        }
    }

    /// A variable-rate model: one entry per eval_model quantisation step (its default eight), by
    /// increasing gain, each equal to eval_model's (reference-vbr/, made by make_eval_reference.py
    /// on the not-updated VBR fixtures; the bottleneck's tables rebuilt at each gain).
    func testVariableRateEvalEqualsEvalModelAtEveryStep() throws {
        let exe = try exe()
        // mbt2018-vbr has no variable-rate bottleneck: eval_model (without --no-update) builds its tables once, as --update does.
        for (stem, options) in [("bmshj2018-hyperprior-vbr-N8-M12-vreb", []), ("mbt2018-mean-vbr-N8-M12-vreb", []), ("mbt2018-vbr-N8-M12", ["--update"])] {
            let expected = try json(Data(contentsOf: URL(fileURLWithPath: Fixtures.root + "/Tests/EvaluationTests/reference-vbr/\(stem).json")))
            let r = try ToolProcess.run(exe, ["eval", "--json", "--checkpoint", Fixtures.path("more-architectures/\(stem)-not-updated.pth"), dataset] + options)
            XCTAssertEqual(r.status, 0, r.stderr)
            let got = try json(r.stdout)
            XCTAssertEqual(got["name"] as? String, expected["name"] as? String)
            let (g, e) = (try results(got), try results(expected))
            XCTAssertEqual(g["bpp"]?.count, 8, stem)
            for step in 0..<8 {
                check(g.mapValues { [$0[step]] }, e.mapValues { [$0[step]] }, "\(stem) step \(step)")
            }
        }
    }

    private func check(_ g: [String: [Double]], _ e: [String: [Double]], _ what: String) {
        for (metric, tolerance) in [("psnr-rgb", 0.02), ("ms-ssim-rgb", 2e-4)] {
            XCTAssertEqual(g[metric]?.first ?? .nan, e[metric]?.first ?? 0, accuracy: tolerance, "\(what) \(metric)")
        }
        let (gb, eb) = (g["bpp"]?.first ?? .nan, e["bpp"]?.first ?? 0)
        XCTAssertLessThanOrEqual(abs(gb - eb) / eb, 1e-3, "\(what) bpp \(gb) vs \(eb)")
    }

    /// Three shards merged equal one run (the times aside, which are measured anew), and --jobs 1
    /// gives the figures --jobs 2 gives.
    func testShardsMergeAndJobsGiveTheSingleRunsFigures() throws {
        let exe = try exe()
        let work = Fixtures.scratch("shards")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: Fixtures.sample("trained"))
            .filter { $0.hasPrefix("bmshj2018-hyperprior") }.sorted().prefix(2).flatMap { ["--checkpoint", Fixtures.sample("trained/" + $0)] }
        XCTAssertEqual(checkpoints.count, 4)
        let single = try ToolProcess.run(exe, ["eval", "--json", "--jobs", "2"] + checkpoints + [dataset])
        XCTAssertEqual(single.status, 0, single.stderr)
        let one = try ToolProcess.run(exe, ["eval", "--json", "--jobs", "1"] + checkpoints + [dataset])
        XCTAssertEqual(one.status, 0, one.stderr)
        var parts: [String] = []
        for i in 0..<3 {
            let part = "\(work)/part\(i).json"
            let r = try ToolProcess.run(exe, ["eval", "--shard", "\(i)/3", "-o", part] + checkpoints + [dataset])
            XCTAssertEqual(r.status, 0, r.stderr)
            parts.append(part)
        }
        let merged = "\(work)/merged.json"
        let m = try ToolProcess.run(exe, ["eval", "merge", parts[2], parts[0], parts[1], "-o", merged])
        XCTAssertEqual(m.status, 0, m.stderr)
        let s = try json(single.stdout), j = try json(one.stdout), g = try json(Data(contentsOf: URL(fileURLWithPath: merged)))
        XCTAssertEqual(g["name"] as? String, s["name"] as? String)
        XCTAssertEqual(g["description"] as? String, s["description"] as? String)
        let (rs, rj, rg) = (try results(s), try results(j), try results(g))
        for metric in ["psnr-rgb", "ms-ssim-rgb", "bpp"] {
            XCTAssertEqual(rg[metric], rs[metric], metric)
            XCTAssertEqual(rj[metric], rs[metric], metric)
            XCTAssertEqual(rs[metric]?.count, 2)
        }
        XCTAssertEqual(rg["encoding_time"]?.count, 2)

        // A missing shard, a shard given twice, and a shard without -o are refused in one line.
        let missing = try ToolProcess.run(exe, ["eval", "merge", parts[0], parts[1], "-o", work + "/x.json"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.hasPrefix("error: ") && missing.stderr.contains("shards missing: 2/3"), missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/x.json"))
        let twice = try ToolProcess.run(exe, ["eval", "merge", parts[0], parts[1], parts[1], "-o", work + "/x.json"])
        XCTAssertEqual(twice.status, 1)
        XCTAssertTrue(twice.stderr.contains("is shard 1/3, as"), twice.stderr)
        let noOutput = try ToolProcess.run(exe, ["eval", "--shard", "0/2"] + checkpoints + [dataset])
        XCTAssertNotEqual(noOutput.status, 0)
        XCTAssertTrue(noOutput.stderr.contains("-o PART.json"), noOutput.stderr)
    }
}
