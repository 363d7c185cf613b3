// RuntimeTests: the codec.py compressed-image file (CompressedImageFile, ImageCodec) and the
// `tinify compress` / `tinify decompress` commands: header layout and round trip, hostile files
// refused with CodingError.badContainer (never a crash), and the CLI's PNG equal to the in-process decode.
import Foundation
import XCTest
import TestSupport
import Tinify
import TinifyRuntime

final class CodecFileTests: XCTestCase {
    private let image = Fixtures.path("image-64x64.png")
    private let hyperprior = Architecture.bmshj2018Hyperprior

    /// The runtime model of the `<architecture>` fixture checkpoint listed in index.json.
    private func model(_ architecture: Architecture) throws -> any CompressionRuntimeModel {
        let fixture = try XCTUnwrap(try FixtureModel.all().first { $0.architecture == architecture }, architecture.rawValue)
        return try RuntimeModels.make(architecture, store: try WeightFile.open(Fixtures.path(fixture.checkpoint)))
    }

    /// A fresh scratch directory, removed when the test ends.
    private func scratch() -> String {
        let dir = Fixtures.scratch("codec")
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    /// `v` as four big-endian bytes.
    private func u32(_ v: Int) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }

    /// Asserts that parsing `bytes` throws `CodingError.badContainer` whose description contains each of `words`.
    private func assertRefused(_ bytes: [UInt8], mentioning words: [String], _ what: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try CompressedImageFile(decoding: bytes), what, file: file, line: line) { error in
            guard case CodingError.badContainer = error else {
                return XCTFail("\(what): \(error) is not a badContainer", file: file, line: line)
            }
            let text = String(describing: error)
            XCTAssertTrue(text.hasPrefix("bad compressed file: "), "\(what): \(text)", file: file, line: line)
            for w in words { XCTAssertTrue(text.contains(w), "\(what): \"\(text)\" does not mention \(w)", file: file, line: line) }
        }
    }

    // MARK: Container

    func testRoundTripAndHeaderLayout() throws {
        let c = try ImageCodec.compress(try model(hyperprior), image: image, metric: 1, quality: 5)
        XCTAssertEqual(c.bytes, try c.file.encoded())
        XCTAssertEqual(try CompressedImageFile(decoding: c.bytes), c.file)
        XCTAssertEqual(c.file.latents.shape, [1, 1])
        XCTAssertEqual(c.file.latents.strings.count, 2)

        let b = c.bytes, strings = c.file.latents.strings.map { $0[0] }
        XCTAssertEqual(Int(b[0]), CompressedImageFile.modelID(of: hyperprior))
        XCTAssertEqual(b[0], 2)
        XCTAssertEqual(b[1], 1 << 4 | (5 - 1), "metric << 4 | (quality - 1)")
        XCTAssertEqual(Array(b[2..<19]), u32(64) + u32(64) + [8] + u32(1) + u32(1))
        XCTAssertEqual(Array(b[19...]), u32(2) + u32(strings[0].count) + strings[0] + u32(strings[1].count) + strings[1])

        // Height before width, both big-endian; a file with a single string.
        let latents = CompressedLatents(strings: [[[9, 8, 7]]], shape: [0x0102, 3])
        let f = CompressedImageFile(architecture: .cheng2020Attention, metric: 0, quality: 16, height: 48, width: 0x0A0B,
                                    bitDepth: 8, latents: latents)
        let fb = try f.encoded()
        XCTAssertEqual(fb, [6, 15] + u32(48) + u32(0x0A0B) + [8] + u32(0x0102) + u32(3) + u32(1) + u32(3) + [9, 8, 7])
        XCTAssertEqual(try CompressedImageFile(decoding: fb), f)
    }

    func testHostileContainersAreRefused() throws {
        let c = try ImageCodec.compress(try model(hyperprior), image: image), valid = c.bytes
        // Strings start at 27 (after the 19-byte header, the count and string 0's length) and 31 + s0.
        let (s0, s1) = (c.file.latents.strings[0][0].count, c.file.latents.strings[1][0].count)
        for n in 0..<valid.count {
            let words: [String]
            if (27..<(27 + s0)).contains(n) {
                words = ["string 0 of \(s0) bytes at byte 27, but \(n - 27) bytes remain"]
            } else if n >= 31 + s0 {
                words = ["string 1 of \(s1) bytes at byte \(31 + s0), but \(n - 31 - s0) bytes remain"]
            } else {
                words = ["ends at byte \(n)"]
            }
            assertRefused(Array(valid.prefix(n)), mentioning: words, "prefix of \(n) of \(valid.count) bytes")
        }
        XCTAssertThrowsError(try CompressedImageFile(decoding: Array(valid.prefix(10)))) {
            XCTAssertEqual(String(describing: $0), "bad compressed file: ends at byte 10, inside the header")
        }
        XCTAssertThrowsError(try CompressedImageFile(decoding: Array(valid.prefix(12)))) {
            XCTAssertEqual(String(describing: $0), "bad compressed file: ends at byte 12, inside a 4-byte field at 11")
        }
        for id: UInt8 in [13, 200, 255] {
            assertRefused([id] + valid.dropFirst(), mentioning: ["unknown model id \(id)"], "model id \(id)")
        }
        let header = Array(valid.prefix(19))
        assertRefused(header + u32(0), mentioning: ["0 strings"], "no strings")
        assertRefused(header + u32(3) + u32(1) + [1] + u32(1) + [2] + u32(1) + [3], mentioning: ["3 strings"], "three strings")
        assertRefused(header + u32(0xFFFF_FFFF), mentioning: ["4294967295 strings"], "2^32 - 1 strings")
        let lastLength = 27 + s0, remaining = s1  // where string 1's length is, and the bytes after it
        var long = valid
        long.replaceSubrange(lastLength..<(lastLength + 4), with: u32(remaining + 1))
        assertRefused(long, mentioning: ["string 1 of \(remaining + 1) bytes", "but \(remaining) bytes remain"], "string past the end")
        long.replaceSubrange(lastLength..<(lastLength + 4), with: u32(0xFFFF_FFFF))
        assertRefused(long, mentioning: ["string 1 of 4294967295 bytes"], "string of 2^32 - 1 bytes")
        assertRefused(valid + [0], mentioning: ["1 bytes after the last string"], "a trailing byte")
        assertRefused(valid + [UInt8](repeating: 7, count: 100), mentioning: ["100 bytes after"], "trailing bytes")
        var huge = valid
        huge.replaceSubrange(2..<10, with: u32(100_000) + u32(100_000))
        assertRefused(huge, mentioning: ["100000×100000"], "100000×100000 image")
        huge.replaceSubrange(2..<10, with: u32(0xFFFF_FFFF) + u32(0xFFFF_FFFF))
        assertRefused(huge, mentioning: ["4294967295×4294967295"], "2^32 - 1 squared image")
        huge.replaceSubrange(2..<10, with: u32(0) + u32(64))
        assertRefused(huge, mentioning: ["0×64"], "an empty image")
        huge.replaceSubrange(2..<10, with: u32(4097) + u32(4096))
        assertRefused(huge, mentioning: ["4097×4096", "at most 16777216 pixels"], "more than the default pixel limit")
        var depthless = valid
        depthless[10] = 0
        assertRefused(depthless, mentioning: ["bit depth 0"], "bit depth 0")
        // What the writer refuses, the reader refuses too, and the other way round.
        var three = try CompressedImageFile(decoding: valid)
        three.latents.strings.append([[1, 2, 3, 4, 5, 6, 7, 8]])
        XCTAssertThrowsError(try three.encoded(), "three strings do not fit the format")
    }

    func testRandomMutationsThrowOrDecode() throws {
        var models: [Architecture: any CompressionRuntimeModel] = [:]
        for fixture in try FixtureModel.all() {
            models[fixture.architecture] = try RuntimeModels.make(fixture.architecture,
                                                                   store: try WeightFile.open(Fixtures.path(fixture.checkpoint)))
        }
        // The VBR, checkerboard and ELIC models: their not-updated fixtures, updated as CompressAI's zoo does.
        for stem in ["bmshj2018-hyperprior-vbr-N8-M12-vreb", "mbt2018-mean-vbr-N8-M12-vreb", "mbt2018-vbr-N8-M12", "cheng2020-anchor-checkerboard-N8",
                     "elic2022-official-N8-M12-g4-8", "elic2022-chandelier-N8-M12-g4-8"] {
            let net = try loadModel(contentsOfFile: Fixtures.path("more-architectures/\(stem)-not-updated.pth"))
            try net.update(force: true, scale: net.hyperparameters.variableRateBottleneck ? net.gains?[1] : nil)
            models[net.architecture] = try RuntimeModels.make(net.architecture, store: net.stateDict().store)
        }
        XCTAssertEqual(Set(models.keys), Set(CompressedImageFile.modelIDs.values))
        let valid = try ImageCodec.compress(try XCTUnwrap(models[hyperprior]), image: image).bytes
        var rng = SplitMix64(seed: 0xC0DEC)
        var (refused, failed, decoded) = (0, 0, 0)
        for trial in 0..<500 {
            var bytes = valid
            for _ in 0...Int(rng.next() % 3) {
                bytes[Int(rng.next() % UInt64(bytes.count))] ^= UInt8(1 + rng.next() % 255)
            }
            let file: CompressedImageFile
            do {
                file = try CompressedImageFile(decoding: bytes)
            } catch {
                XCTAssertTrue(error is CodingError, "trial \(trial): \(error) is not a CodingError; bytes \(bytes)")
                refused += 1
                continue
            }
            do {
                let x = try ImageCodec.decompress(try XCTUnwrap(models[file.architecture]), file: file)
                XCTAssertEqual(x.shape, [1, 3, file.height, file.width], "trial \(trial): bytes \(bytes)")
                XCTAssertTrue(x.data.allSatisfy { $0 >= 0 && $0 <= 1 }, "trial \(trial): samples outside [0, 1]; bytes \(bytes)")
                decoded += 1
            } catch {
                failed += 1
            }
        }
        print("mutations: \(refused) refused by the parser, \(failed) by decompress, \(decoded) decoded")
        XCTAssertGreaterThan(refused, 0)
        XCTAssertGreaterThan(decoded + failed, 0, "some mutations (inside the strings) parse")
    }

    func testDecompressChecksArchitectureAndLatentShape() throws {
        let c = try ImageCodec.compress(try model(hyperprior), image: image)
        XCTAssertThrowsError(try ImageCodec.decompress(try model(.mbt2018Mean), file: c.file)) { error in
            guard case CodingError.badContainer(let what) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(what.contains("bmshj2018-hyperprior") && what.contains("mbt2018-mean"), what)
        }
        let right = try model(hyperprior)
        XCTAssertEqual(try ImageCodec.decompress(right, file: c.file).shape, [1, 3, 64, 64])
        for shape in [[2, 1], [1, 2], [4, 4], [0, 0], [1]] {
            var file = c.file
            file.latents.shape = shape
            XCTAssertThrowsError(try ImageCodec.decompress(right, file: file), "\(shape)") { error in
                guard case CodingError.badContainer(let what) = error else { return XCTFail("\(shape): \(error)") }
                XCTAssertTrue(what.contains("latent shape \(shape) does not fit a 64×64 image"), what)
            }
        }
        var tall = c.file  // 65 rows pad to 128: z is 2×1, not the 1×1 the file holds
        tall.height = 65
        XCTAssertThrowsError(try ImageCodec.decompress(right, file: try CompressedImageFile(decoding: try tall.encoded())))
    }

    // MARK: Command line

    /// `tinify convert --part decoder` writes a file without g_a and h_a that `tinify verify`
    /// calls a decoder and `tinify decompress` decodes the full model's stream with, to the same
    /// PNG; the encoder part compresses to the same bytes; `--reference` prints the PSNR.
    func testCommandLineSplitDeployment() throws {
        let tinify = try XCTUnwrap(ToolProcess.tinifyPath(), "no tinify beside the test bundle; build with `swift build --build-tests`")
        let dir = scratch()
        let checkpoint = Fixtures.path("mbt2018-N8-M12.pth")
        for part in ["encoder", "decoder"] {
            let r = try ToolProcess.run(tinify, ["convert", checkpoint, "\(dir)/\(part).h5", "--part", part])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdoutText.contains("as mbt2018 (N=8 M=12), \(part) only"), r.stdoutText)
            let v = try ToolProcess.run(tinify, ["verify", "\(dir)/\(part).h5"])
            XCTAssertEqual(v.status, 0, v.stdoutText)
            XCTAssertTrue(v.stdoutText.contains("part: \(part) only"), v.stdoutText)
        }
        for (model, bin) in [(checkpoint, "full.bin"), ("\(dir)/encoder.h5", "encoder.bin")] {
            let c = try ToolProcess.run(tinify, ["compress", "--checkpoint", model, image, "-o", "\(dir)/\(bin)"])
            XCTAssertEqual(c.status, 0, c.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/full.bin")), try Data(contentsOf: URL(fileURLWithPath: "\(dir)/encoder.bin")))
        var psnr: [String] = []
        for (model, png) in [(checkpoint, "full.png"), ("\(dir)/decoder.h5", "decoder.png")] {
            let d = try ToolProcess.run(tinify, ["decompress", "--checkpoint", model, "\(dir)/full.bin", "-o", "\(dir)/\(png)", "--reference", image])
            XCTAssertEqual(d.status, 0, d.stderr)
            psnr.append(d.stdoutText.split(separator: "\n").last.map(String.init) ?? "")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/full.png")), try Data(contentsOf: URL(fileURLWithPath: "\(dir)/decoder.png")))
        XCTAssertTrue(psnr[0].hasPrefix("psnr ") && psnr[0].hasSuffix(" dB"), psnr[0])
        XCTAssertEqual(psnr[0], psnr[1])
        let refused = try ToolProcess.run(tinify, ["compress", "--checkpoint", "\(dir)/decoder.h5", image, "-o", "\(dir)/x.bin"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("g_a is not in this model"), refused.stderr)
    }

    /// compress and decompress read their plain command lines without ArgumentParser; any other
    /// spelling (`--output=FILE`, options after `--force`, …) goes through it. Both give the same
    /// files, the same output lines and the same errors.
    func testPlainAndParsedCommandLinesAgree() throws {
        let tinify = try XCTUnwrap(ToolProcess.tinifyPath(), "no tinify beside the test bundle; build with `swift build --build-tests`")
        let dir = scratch()
        let checkpoint = Fixtures.path("\(hyperprior)-N8-M12.pth")
        /// stdout without the timing ("…, 0.012 s").
        func lines(_ r: ToolProcess.Result) -> [String] {
            r.stdoutText.split(separator: "\n").map { $0.hasSuffix(" s") ? String($0.prefix { $0 != "," }) : String($0) }
        }
        let plain = try ToolProcess.run(tinify, ["compress", "--checkpoint", checkpoint, image, "-o", dir + "/a.bin", "--quality", "2"])
        let parsed = try ToolProcess.run(tinify, ["compress", "--checkpoint=\(checkpoint)", image, "--output=\(dir)/b.bin", "--quality=2"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertEqual(parsed.status, 0, parsed.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/a.bin")), try Data(contentsOf: URL(fileURLWithPath: dir + "/b.bin")))
        XCTAssertEqual(lines(plain).map { $0.replacingOccurrences(of: "a.bin", with: "b.bin") }, lines(parsed))

        let common = ["--checkpoint", checkpoint, dir + "/a.bin", "--reference", image, "--latent-digest", "--force"]
        let dPlain = try ToolProcess.run(tinify, ["decompress"] + common + ["-o", dir + "/a.png"])
        let dParsed = try ToolProcess.run(tinify, ["decompress"] + common + ["--output=\(dir)/b.png"])
        XCTAssertEqual(dPlain.status, 0, dPlain.stderr)
        XCTAssertEqual(dParsed.status, 0, dParsed.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/a.png")), try Data(contentsOf: URL(fileURLWithPath: dir + "/b.png")))
        XCTAssertEqual(lines(dPlain).dropFirst(), lines(dParsed).dropFirst(), "psnr and latent digest")
        XCTAssertEqual(lines(dPlain).count, 3, dPlain.stdoutText)

        // Mistakes give ArgumentParser's own messages and status either way.
        for bad in [["--quality", "17"], ["--metric", "psnr"], ["--arch", "nope"], ["--quality", "x"]] {
            let a = try ToolProcess.run(tinify, ["compress", "--checkpoint", checkpoint, image, "-o", dir + "/c.bin"] + bad)
            let b = try ToolProcess.run(tinify, ["compress", "--checkpoint=\(checkpoint)", image, "--output=\(dir)/c.bin"] + bad)
            XCTAssertEqual(a.status, b.status, "\(bad)")
            XCTAssertNotEqual(a.status, 0, "\(bad)")
            XCTAssertEqual(a.stderr, b.stderr, "\(bad)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/c.bin"), "\(bad)")
        }
    }

    func testCommandLineCompressAndDecompress() throws {
        let tinify = try XCTUnwrap(ToolProcess.tinifyPath(), "no tinify beside the test bundle; build with `swift build --build-tests`")
        let dir = scratch()
        for architecture in [hyperprior, Architecture.mbt2018] {
            let checkpoint = Fixtures.path("\(architecture)-N8-M12.pth")
            let (bin, png) = (dir + "/\(architecture).bin", dir + "/\(architecture).png")
            let c = try ToolProcess.run(tinify, ["compress", "--checkpoint", checkpoint, image, "-o", bin])
            XCTAssertEqual(c.status, 0, c.stderr)
            XCTAssertTrue(c.stdoutText.hasPrefix("\(bin): \(architecture), 64×64, "), c.stdoutText)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: bin)))
            let m = try model(architecture)
            XCTAssertEqual(bytes, try ImageCodec.compress(m, image: image).bytes, "\(architecture): the CLI writes the in-process bytes")

            let d = try ToolProcess.run(tinify, ["decompress", "--checkpoint", checkpoint, bin, "-o", png])
            XCTAssertEqual(d.status, 0, d.stderr)
            let written = try PNGImage.read(png)
            XCTAssertEqual(written.shape, [1, 3, 64, 64])
            let xHat = try ImageCodec.decompress(m, file: try CompressedImageFile(decoding: bytes))
            XCTAssertEqual(written.data, xHat.data.map { (min(max($0, 0), 1) * 255).rounded(.down) / 255 },
                           "\(architecture): the PNG holds floor(x̂ · 255)")

            // An existing output is refused without --force and left alone, replaced with it.
            for (args, out) in [(["compress", "--checkpoint", checkpoint, image, "-o", png], png),
                                (["decompress", "--checkpoint", checkpoint, bin, "-o", bin], bin)] {
                let before = try Data(contentsOf: URL(fileURLWithPath: out))
                let r = try ToolProcess.run(tinify, args)
                XCTAssertEqual(r.status, 1, "\(args)")
                XCTAssertTrue(r.stderr.hasPrefix("error: \(out): ") && r.stderr.hasSuffix("\n"), "the error names the output: \(r.stderr)")
                XCTAssertTrue(r.stderr.contains("\(out) exists"), r.stderr)
                XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, r.stderr)
                XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out)), before, "\(out) is untouched")
            }
            let again = try ToolProcess.run(tinify, ["compress", "--checkpoint", checkpoint, image, "-o", bin, "--force",
                                                     "--metric", "ms-ssim", "--quality", "3"])
            XCTAssertEqual(again.status, 0, again.stderr)
            var relabelled = bytes
            relabelled[1] = 1 << 4 | (3 - 1)
            XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: bin))), relabelled, "only the metric/quality byte changes")
            let forced = try ToolProcess.run(tinify, ["decompress", "--checkpoint", checkpoint, bin, "-o", png, "--force"])
            XCTAssertEqual(forced.status, 0, forced.stderr)
            XCTAssertEqual(try PNGImage.read(png).data, written.data)
        }

        let garbage = dir + "/garbage.bin", out = dir + "/garbage.png"
        try Data("not a compressed image".utf8).write(to: URL(fileURLWithPath: garbage))
        let r = try ToolProcess.run(tinify, ["decompress", "--checkpoint", Fixtures.path("\(hyperprior)-N8-M12.pth"), garbage, "-o", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout.count, 0)
        XCTAssertTrue(r.stderr.hasPrefix("error: \(garbage): bad compressed file: "), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n", omittingEmptySubsequences: false).count, 2, "exactly one line: \(r.stderr)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))

        // A checkpoint without CDF tables is named before any image is read.
        let raw = Fixtures.path("\(hyperprior)-N8-M12-not-updated.pth")
        let n = try ToolProcess.run(tinify, ["compress", "--checkpoint", raw, image, "-o", dir + "/raw.bin"])
        XCTAssertEqual(n.status, 1)
        XCTAssertEqual(n.stderr, "error: \(raw): entropy_bottleneck has no CDF tables: update() has not run (run `tinify update` first)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/raw.bin"))
    }
}
