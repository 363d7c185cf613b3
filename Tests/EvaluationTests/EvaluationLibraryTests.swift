// EvaluationTests: dataset evaluation through the library — eval_model's document format, image
// collection order, Python's number formatting, shards and their merge, --jobs independence — on
// models trained with CompressAI (Tests/Portability/trained) and photographs.
import Foundation
import XCTest
import Tinify
import TestSupport

final class EvaluationLibraryTests: XCTestCase {
    private var portabilityModels: [String] {
        let dir = Fixtures.root + "/Tests/Portability/trained"
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".pth") }.sorted().map { dir + "/" + $0 }
    }
    private var portabilityImages: [String] {
        (try? DatasetImages.collect([Fixtures.root + "/Tests/Portability/images"]).map(\.path)) ?? []
    }

    /// Python's repr of floats, as json.dumps writes them (values checked with CPython 3.11).
    func testNumbersPrintAsPythonPrintsThem() {
        let cases: [(Double, String)] = [
            (0.1, "0.1"), (5, "5.0"), (-0.0, "-0.0"), (1e-05, "1e-05"), (0.0001, "0.0001"), (123456.789, "123456.789"),
            (1e16, "1e+16"), (1e15, "1000000000000000.0"), (24.48591661453247, "24.48591661453247"),
            (0.31995841202249525, "0.31995841202249525"), (1.5e-07, "1.5e-07"), (2.5e+20, "2.5e+20"), (.infinity, "Infinity"),
            (123.0, "123.0"), (0.000123, "0.000123"), (9.999999999999999e-05, "9.999999999999999e-05"),
        ]
        for (v, want) in cases { XCTAssertEqual(PythonJSON.repr(v), want, "\(v)") }
    }

    /// The document layout is json.dumps(indent=2)'s, and it reads back equal.
    func testResultDocumentRoundTrips() throws {
        let doc = EvaluationResult(name: "mbt2018-mse", description: "Inference (ans)",
                                   results: EvaluationResult.metrics.map { ($0, [0.5, 1e-05]) })
        XCTAssertTrue(doc.json.hasPrefix("{\n  \"name\": \"mbt2018-mse\",\n  \"description\": \"Inference (ans)\",\n  \"results\": {\n    \"psnr-rgb\": [\n      0.5,\n      1e-05\n    ],"))
        XCTAssertEqual(try EvaluationResult(json: Array(doc.json.utf8)), doc)
        XCTAssertThrowsError(try EvaluationResult(json: Array("{\"name\": \"a\", \"results\": {\"bpp\": [1, 2], \"psnr-rgb\": [1]}}".utf8))) {
            XCTAssertTrue("\($0)".contains("has 1 values but results[\"bpp\"] has 2"), "\($0)")
        }
        XCTAssertThrowsError(try EvaluationResult(json: Array(String(repeating: "[", count: 100).utf8))) {
            XCTAssertTrue("\($0)".contains("nested deeper than 64"), "\($0)")
        }
    }

    /// Folders are searched recursively, for eval_model's extensions only, sorted by path
    /// components (Python's PurePath ordering), and links to folders are not followed.
    func testImagesAreCollectedAsEvalModelCollectsThem() throws {
        let root = Fixtures.scratch("collect")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fm = FileManager.default
        for dir in ["a", "a/b", "a-c", "Z"] { try fm.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true) }
        for file in ["x.png", "a/b/c.jpg", "a/a.png", "a-c/d.jpeg", "Z/e.PNG", "Z/f.png", "notes.txt", "a/g.webp"] {
            fm.createFile(atPath: root + "/" + file, contents: Data([0]))
        }
        try fm.createSymbolicLink(atPath: root + "/link", withDestinationPath: root + "/a")
        let got = try DatasetImages.collect([root]).map { String($0.path.dropFirst(root.count + 1)) }
        // sorted(Path(...)) in Python: components compared in order, "Z" < "a" < "a-c" < "x.png".
        XCTAssertEqual(got, ["Z/f.png", "a/a.png", "a/b/c.jpg", "a/g.webp", "a-c/d.jpeg", "x.png"])
        XCTAssertEqual(try DatasetImages.collect([root])[2].relativeFolder, "a/b")
        XCTAssertThrowsError(try DatasetImages.collect([root + "/a-c/nothing"]))
        try fm.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
        XCTAssertThrowsError(try DatasetImages.collect([root + "/empty"])) { XCTAssertTrue("\($0)".contains("no images found"), "\($0)") }
    }

    /// The figures do not depend on how many images run at a time.
    func testJobsDoNotChangeTheFigures() throws {
        let models = portabilityModels, images = portabilityImages
        try XCTSkipIf(models.isEmpty || images.count < 2, "no trained models")
        let model = try loadModel(contentsOfFile: models[0])
        let one = DatasetEvaluation(model: model, mode: .coding, jobs: 1).run(images)
        let two = DatasetEvaluation(model: model, mode: .coding, jobs: 2).run(images + images)
        for (i, r) in one.enumerated() {
            let a = try r.get(), b = try two[i].get(), c = try two[i + images.count].get()
            XCTAssertEqual([a.psnr, a.msssim, a.bpp], [b.psnr, b.msssim, b.bpp])
            XCTAssertEqual([a.psnr, a.msssim, a.bpp], [c.psnr, c.msssim, c.bpp])
            XCTAssertGreaterThan(a.psnr, 20)
            XCTAssertGreaterThan(a.bpp, 0)
        }
    }

    /// Three shards, written and read back as partial results, merge to the record one run makes.
    func testShardsMergeToTheSingleRun() throws {
        let models = portabilityModels, images = portabilityImages
        try XCTSkipIf(models.count < 2 || images.isEmpty, "no trained models")
        let checkpoints = Array(models.prefix(2))
        func record(_ shard: EvaluationShard) throws -> EvaluationRecord {
            var r = EvaluationRecord(name: "x-mse", description: "Inference (ans)", checkpoints: checkpoints, images: images, shard: shard)
            for (c, path) in checkpoints.enumerated() {
                let units = r.units.filter { $0 / images.count == c }
                guard !units.isEmpty else { continue }
                let results = DatasetEvaluation(model: try loadModel(contentsOfFile: path), mode: .coding, jobs: 2)
                    .run(units.map { images[$0 % images.count] })
                for (k, result) in zip(units, results) { r.figures[k] = try result.get() }
            }
            return r
        }
        let whole = try record(.all).result()
        var parts: [(path: String, record: EvaluationRecord)] = []
        for i in [2, 0, 1] {
            let part = try record(try XCTUnwrap(EvaluationShard(index: i, count: 3)))
            let read = try EvaluationRecord(json: Array(part.json.utf8), file: "part\(i)")
            XCTAssertEqual(read, part)
            parts.append(("part\(i)", read))
        }
        let merged = try EvaluationRecord.merge(parts).result()
        for metric in ["psnr-rgb", "ms-ssim-rgb", "bpp"] { XCTAssertEqual(merged[metric], whole[metric], metric) }
        XCTAssertEqual(merged["bpp"]?.count, 2)

        XCTAssertThrowsError(try EvaluationRecord.merge(Array(parts.prefix(2)))) { XCTAssertTrue("\($0)".contains("shards missing: 1/3"), "\($0)") }
        XCTAssertThrowsError(try EvaluationRecord.merge(parts + [parts[0]])) { XCTAssertTrue("\($0)".contains("as part2 is"), "\($0)") }
        var other = parts[1]
        other.record.images = Array(other.record.images.reversed())
        XCTAssertThrowsError(try EvaluationRecord.merge([parts[0], other, parts[2]])) { XCTAssertTrue("\($0)".contains("other images"), "\($0)") }
        var tampered = Array(parts[0].record.json.utf8)
        tampered = Array(String(decoding: tampered, as: UTF8.self).replacingOccurrences(of: "\"shard\": [\n    2,", with: "\"shard\": [\n    7,").utf8)
        XCTAssertThrowsError(try EvaluationRecord(json: tampered, file: "bad")) { XCTAssertTrue("\($0)".contains("\"shard\" is not [index, count]"), "\($0)") }
    }

    /// MS-SSIM and PSNR of an image with itself, and with a shifted copy (the values
    /// pytorch_msssim 1.0.0 and eval_model's psnr give: see make_eval_reference.py).
    func testQualityOfIdenticalImages() throws {
        let images = portabilityImages
        try XCTSkipIf(images.isEmpty, "no images")
        let x = try ImageTensor(contentsOfFile: images[0])
        XCTAssertEqual(try ImageQuality.psnr(x, x), .infinity)
        XCTAssertEqual(try ImageQuality.msssim(x, x), 1, accuracy: 1e-12)
    }
}
