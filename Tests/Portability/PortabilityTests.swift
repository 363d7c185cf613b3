// PortabilityTests: the fast version of Tests/Portability/sweep.py. Streams written by the release
// `tinify compress` with models trained by CompressAI (trained/, made by train_models.py) on
// photographs (images/) are decoded under OpenBLAS kernels of four CPU generations, one and two
// threads, and the scalar build of the deterministic kernels. Every decode must succeed with
// the same latent ŷ (its SHA-256, `--latent-digest`), and with --bit-exact to the same PNG bytes.
import Foundation
import XCTest
import TestSupport

final class PortabilityTests: XCTestCase {
    /// (OPENBLAS_CORETYPE, threads, scalar kernels).
    static let configurations: [(core: String, threads: String, scalar: Bool)] = [
        ("Haswell", "1", false), ("Sandybridge", "2", false), ("Nehalem", "2", false), ("Prescott", "1", false),
        ("Prescott", "1", true),
    ]

    private func files(_ folder: String, _ ext: String) throws -> [String] {
        let dir = Fixtures.root + "/Tests/Portability/" + folder
        return try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(ext) }.sorted().map { dir + "/" + $0 }
    }

    func testStreamsDecodeToTheSameLatentEverywhereAndBitExactPixels() throws {
        guard let exe = ProcessInfo.processInfo.environment["TINIFY_EXE"], !exe.isEmpty else {
            throw XCTSkip("runs against the release binary (Tests/run.sh sets TINIFY_EXE)")
        }
        let models = try files("trained", ".pth"), images = try files("images", ".png")
        XCTAssertGreaterThanOrEqual(models.count, 3)
        XCTAssertGreaterThanOrEqual(images.count, 2)
        let work = Fixtures.scratch("portability")
        defer { try? FileManager.default.removeItem(atPath: work) }
        var decodes = 0
        for model in models {
            for image in images {
                let name = "\((model as NSString).lastPathComponent) \((image as NSString).lastPathComponent)"
                let bin = work + "/s.bin", png = work + "/d.png"
                let c = try ToolProcess.run(exe, ["compress", "--checkpoint", model, image, "-o", bin, "--force"])
                XCTAssertEqual(c.status, 0, "\(name): compress: \(c.stderr)")
                guard c.status == 0 else { continue }
                var latents = Set<String>(), exact = Set<Data>()
                for config in PortabilityTests.configurations {
                    var env = ProcessInfo.processInfo.environment
                    env["OPENBLAS_CORETYPE"] = config.core
                    env["OPENBLAS_NUM_THREADS"] = config.threads
                    env["TINIFY_NUM_THREADS"] = config.threads
                    env["TINIFY_SCALAR_KERNELS"] = config.scalar ? "1" : nil
                    for bitExact in [false, true] {
                        let r = try ToolProcess.run(exe, ["decompress", "--latent-digest", "--checkpoint", model, bin, "-o", png, "--force"]
                                                    + (bitExact ? ["--bit-exact"] : []), environment: env)
                        let tag = "\(name) on \(config)\(bitExact ? " --bit-exact" : "")"
                        XCTAssertEqual(r.status, 0, "\(tag): \(r.stderr)")
                        guard r.status == 0 else { continue }
                        decodes += 1
                        let digest = r.stdoutText.split(separator: "\n").first { $0.hasPrefix("latent sha256 ") }
                        XCTAssertNotNil(digest, tag)
                        latents.insert(String(digest ?? ""))
                        if bitExact { exact.insert(try Data(contentsOf: URL(fileURLWithPath: png))) }
                    }
                }
                XCTAssertEqual(latents.count, 1, "\(name): the decoded latent differs between configurations")
                XCTAssertEqual(exact.count, 1, "\(name): --bit-exact PNGs differ between configurations")
            }
        }
        XCTAssertEqual(decodes, models.count * images.count * PortabilityTests.configurations.count * 2)
    }

    /// Every loop Tinify has both as AVX C and as Swift (the Winograd transforms, the stride-2
    /// gathers, GDN, the bias-activation-store, the deterministic matrix product) gives the same
    /// bits either way: with `TINIFY_NO_AVX=1` (the Swift versions, which run on CPUs without
    /// AVX), compress writes the same stream and decompress the same PNG, by default and with
    /// --bit-exact, as with the AVX loops, under the same OpenBLAS kernel and thread count.
    func testTheSwiftLoopsGiveTheAVXLoopsBits() throws {
        guard let exe = ProcessInfo.processInfo.environment["TINIFY_EXE"], !exe.isEmpty else {
            throw XCTSkip("runs against the release binary (Tests/run.sh sets TINIFY_EXE)")
        }
        // The sample photograph is large enough for g_s's last layers to run F(4×4) Winograd.
        let models = try files("trained", ".pth")
        let images = try files("images", ".png") + [Fixtures.root + "/Samples/images/chelsea-451x300.png"]
        XCTAssertGreaterThanOrEqual(models.count, 3)
        let work = Fixtures.scratch("avx-loops")
        defer { try? FileManager.default.removeItem(atPath: work) }
        var base = ProcessInfo.processInfo.environment
        base["OPENBLAS_CORETYPE"] = "Haswell"
        base["OPENBLAS_NUM_THREADS"] = "2"
        base["TINIFY_NUM_THREADS"] = "2"
        base["TINIFY_SCALAR_KERNELS"] = nil
        var swiftLoops = base
        swiftLoops["TINIFY_NO_AVX"] = "1"
        base["TINIFY_NO_AVX"] = nil
        var compared = 0
        for model in models {
            for image in images {
                let name = "\((model as NSString).lastPathComponent) \((image as NSString).lastPathComponent)"
                var outputs: [[Data]] = []
                for (k, env) in [base, swiftLoops].enumerated() {
                    let bin = work + "/s\(k).bin", png = work + "/d\(k).png", exact = work + "/e\(k).png"
                    let c = try ToolProcess.run(exe, ["compress", "--checkpoint", model, image, "-o", bin, "--force"], environment: env)
                    XCTAssertEqual(c.status, 0, "\(name): compress: \(c.stderr)")
                    // Both decode the stream the AVX loops wrote.
                    let d = try ToolProcess.run(exe, ["decompress", "--checkpoint", model, work + "/s0.bin", "-o", png, "--force"], environment: env)
                    XCTAssertEqual(d.status, 0, "\(name): decompress: \(d.stderr)")
                    let e = try ToolProcess.run(exe, ["decompress", "--bit-exact", "--checkpoint", model, work + "/s0.bin", "-o", exact, "--force"],
                                                environment: env)
                    XCTAssertEqual(e.status, 0, "\(name): decompress --bit-exact: \(e.stderr)")
                    guard c.status == 0, d.status == 0, e.status == 0 else { break }
                    outputs.append(try [bin, png, exact].map { try Data(contentsOf: URL(fileURLWithPath: $0)) })
                }
                guard outputs.count == 2 else { continue }
                XCTAssertEqual(outputs[0][0], outputs[1][0], "\(name): compress writes another stream with TINIFY_NO_AVX=1")
                XCTAssertEqual(outputs[0][1], outputs[1][1], "\(name): decompress writes other pixels with TINIFY_NO_AVX=1")
                XCTAssertEqual(outputs[0][2], outputs[1][2], "\(name): decompress --bit-exact writes other pixels with TINIFY_NO_AVX=1")
                compared += 1
            }
        }
        XCTAssertEqual(compared, models.count * images.count)
    }
}
