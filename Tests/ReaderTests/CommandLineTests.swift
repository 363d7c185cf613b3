// ReaderTests: end-to-end runs of the `tinify` binary built beside the test bundle.
import Foundation
import TestSupport
import XCTest

final class CommandLineTests: XCTestCase {
    /// `inspect --json --digest` reproduces the manifest exactly, and its totals add up.
    func testInspectJSONMatchesManifest() throws {
        for file in ["edge-cases.pth", "mbt2018-mean-N8-M12-training.pth", "bmshj2018-hyperprior-N8-M12-legacy.pth"] {
            let path = Fixtures.path(file)
            let r = try TinifyBinary.run(["inspect", "--json", "--digest", path])
            XCTAssertEqual(r.status, 0, "\(file): \(r.stderr)")
            XCTAssertEqual(r.stderr, "", file)
            let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any], "\(file): output is not a JSON object")
            XCTAssertEqual(obj["file"] as? String, path)
            XCTAssertEqual(obj["container"] as? String, file.contains("legacy") ? "torch-legacy" : "torch-zip")
            let tensors = try XCTUnwrap(obj["tensors"] as? [[String: Any]], "\(file): tensors")
            let want = try Manifest.of(file)
            XCTAssertEqual(obj["tensor_count"] as? Int, want.count, file)
            XCTAssertEqual(tensors.count, want.count, file)
            var seen = Set<String>()
            var total = 0
            for t in tensors {
                let key = try XCTUnwrap(t["key"] as? String)
                XCTAssertTrue(seen.insert(key).inserted, "\(file): \(key) listed twice")
                guard let w = want[key] else { XCTFail("\(file): \(key) is not in the manifest"); continue }
                XCTAssertEqual(t["dtype"] as? String, w.dtype, "\(file) \(key)")
                XCTAssertEqual(t["shape"] as? [Int], w.shape, "\(file) \(key)")
                XCTAssertEqual(t["sha256"] as? String, w.sha256, "\(file) \(key)")
                total += t["bytes"] as? Int ?? -1_000_000
            }
            XCTAssertEqual(seen, Set(want.keys), file)
            XCTAssertEqual(obj["total_bytes"] as? Int, total, file)
            XCTAssertNotNil(obj["values"] as? [[String: Any]], file)
        }
    }

    func testInspectJSONValues() throws {
        let r = try TinifyBinary.run(["inspect", "--json", Fixtures.path("mbt2018-mean-N8-M12-training.pth")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        let values = try XCTUnwrap(obj["values"] as? [[String: Any]])
        let byKey = Dictionary(values.compactMap { v in (v["key"] as? String).map { ($0, v["value"]) } }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(byKey["epoch"] as? String, "17")
        XCTAssertEqual(byKey["lr_scheduler.best"] as? String, "inf")
        let tensors = try XCTUnwrap(obj["tensors"] as? [[String: Any]])
        XCTAssertNil(tensors.first?["sha256"], "no sha256 without --digest")
    }

    func testHumanTable() throws {
        let r = try TinifyBinary.run(["inspect", Fixtures.path("edge-cases-legacy.pth")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = String(decoding: r.stdout, as: UTF8.self)
        XCTAssertTrue(text.contains("container: torch-legacy"), text)
        XCTAssertTrue(text.contains("tensors:   21"), text)
        XCTAssertTrue(text.contains("tensors.transposed"), text)
    }

    private func assertOneLineError(_ args: [String], _ file: String, mentioning word: String) throws {
        let r = try TinifyBinary.run(args)
        XCTAssertEqual(r.status, 1, "exit status for \(args)")
        XCTAssertEqual(r.stdout.count, 0, "nothing on stdout for \(args)")
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 2, "exactly one line (plus its newline): \(r.stderr)")
        XCTAssertTrue(r.stderr.hasPrefix("error: \(file): "), r.stderr)
        XCTAssertTrue(r.stderr.lowercased().contains(word), r.stderr)
    }

    func testMissingFileIsOneLineError() throws {
        let missing = Fixtures.scratch("missing") + "/no-such-checkpoint.pth"
        try assertOneLineError(["inspect", missing], missing, mentioning: "no such file")
        try assertOneLineError(["inspect", "--json", missing], missing, mentioning: "no such file")
    }

    func testNotACheckpointIsOneLineError() throws {
        let png = Fixtures.path("image-64x64.png")
        try assertOneLineError(["inspect", png], png, mentioning: "not a pytorch weights checkpoint")
    }
}
