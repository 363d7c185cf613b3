// FormatTests: `WeightDiff` and `tinify diff`: missing and extra keys, dtype and shape
// differences, the largest absolute difference, tolerances, and exit statuses.
import Foundation
import TestSupport
import TinifyCore
import TinifyHDF5
import Tinify
import TinifyCommand
import TinifySafetensors
import TinifyWeights
import XCTest

final class DiffTests: XCTestCase {
    private func store(_ entries: [(key: String, tensor: Tensor)]) -> WeightStore {
        WeightStore(entries: entries, container: .safetensors, path: nil)
    }

    private func item(_ d: WeightDiff, _ key: String) -> WeightDiff.Item? { d.items.first { $0.key == key } }

    func testStatuses() throws {
        let a = store([
            ("same", try floats([1, 2, 3])),
            ("zero", try floats([0])),
            ("moved", try floats([1, 2])),
            ("nan", try floats([.nan, 1])),
            ("nanvs1", try floats([.nan])),
            ("cast", try floats([1])),
            ("shape", try floats([1, 2], shape: [2, 1])),
            ("big", try tensor(.int64, [1], [0, 0, 0, 0, 0, 0, 0, 0x10])),
            ("onlyA", try floats([1])),
        ])
        let b = store([
            ("onlyB", try floats([1])),
            ("same", try floats([1, 2, 3])),
            ("zero", try floats([-0.0])),
            ("moved", try floats([1, 2.5])),
            ("nan", try floats([.nan, 1])),
            ("nanvs1", try floats([1])),
            ("cast", try tensor(.float16, [1], [0x00, 0x3C])),
            ("shape", try floats([1, 2], shape: [1, 2])),
            ("big", try tensor(.int64, [1], [1, 0, 0, 0, 0, 0, 0, 0x10])),
        ])
        let d = WeightDiff(a: a, b: b)
        XCTAssertEqual(d.items.map(\.key), ["same", "zero", "moved", "nan", "nanvs1", "cast", "shape", "big", "onlyA", "onlyB"])
        XCTAssertEqual(item(d, "same")?.status, .identical)
        XCTAssertEqual(item(d, "zero")?.status, .close, "-0 equals 0 in value, not in bits")
        XCTAssertEqual(item(d, "moved")?.status, .different)
        XCTAssertEqual(item(d, "moved")?.maxAbsDifference, 0.5)
        XCTAssertEqual(item(d, "nan")?.status, .identical)
        XCTAssertEqual(item(d, "nanvs1")?.status, .different)
        XCTAssertTrue(item(d, "nanvs1")?.maxAbsDifference?.isNaN ?? false)
        XCTAssertEqual(item(d, "cast")?.status, .dtypeDiffers)
        XCTAssertEqual(item(d, "cast")?.maxAbsDifference, 0, "values compared across dtypes")
        XCTAssertEqual(item(d, "shape")?.status, .shapeDiffers)
        XCTAssertEqual(item(d, "big")?.status, .different, "2^60 and 2^60+1 differ even though doubles round them together")
        XCTAssertEqual(item(d, "big")?.maxAbsDifference, 1)
        XCTAssertEqual(item(d, "onlyA")?.status, .onlyInA)
        XCTAssertEqual(item(d, "onlyB")?.status, .onlyInB)
        XCTAssertFalse(d.passes)
        XCTAssertTrue(WeightDiff(a: a, b: a).passes)
    }

    func testTolerances() throws {
        let a = store([("w", try floats([1, 100]))]), b = store([("w", try floats([1.25, 101]))])
        XCTAssertFalse(WeightDiff(a: a, b: b).passes)
        XCTAssertFalse(WeightDiff(a: a, b: b, atol: 0.5).passes, "1 > 0.5 for the second element")
        XCTAssertTrue(WeightDiff(a: a, b: b, atol: 1).passes)
        XCTAssertTrue(WeightDiff(a: a, b: b, atol: 0.25, rtol: 0.01).passes, "0.25 <= 0.25 + 0.0125 and 1 <= 0.25 + 1.01")
        XCTAssertFalse(WeightDiff(a: a, b: b, atol: 0.2, rtol: 0.005).passes)
        XCTAssertEqual(WeightDiff(a: a, b: b, atol: 1).items.first?.status, .close)
        XCTAssertEqual(WeightDiff(a: a, b: b, atol: 1).items.first?.maxAbsDifference, 1)
    }

    func testCommandAcrossFormats() throws {
        let dir = makeScratch("diff")
        defer { removeScratch(dir) }
        let source = Fixtures.path("edge-cases.pth")
        let store = try WeightFile.open(source)
        let h5 = dir + "/e.h5", st = dir + "/e.safetensors", changed = dir + "/changed.safetensors"
        try HDF5WeightWriter.write(entries: store.entries, attributes: HDF5RootAttributes(), to: h5)
        try SafetensorsWriter.write(entries: store.entries, to: st)
        var entries = store.entries.filter { $0.key != "tensors.u8" }
        if let i = entries.firstIndex(where: { $0.key == "tensors.f32" }) {
            let values = (0..<12).map { Float($0) }
            entries[i].tensor = try floats(values, shape: [3, 4])
        }
        try SafetensorsWriter.write(entries: entries, to: changed)

        let same = try Run.tinify(["diff", source, h5])
        XCTAssertEqual(same.status, 0, same.stdout + same.stderr)
        XCTAssertTrue(same.stdout.contains("result: identical"), same.stdout)
        XCTAssertEqual(try Run.tinify(["diff", h5, st]).status, 0)

        let different = try Run.tinify(["diff", st, changed])
        XCTAssertEqual(different.status, 1)
        XCTAssertTrue(different.stdout.contains("only in A  tensors.u8"), different.stdout)
        XCTAssertTrue(different.stdout.contains("values     tensors.f32  max |a-b|"), different.stdout)

        let json = try Run.tinify(["diff", "--json", st, changed])
        XCTAssertEqual(json.status, 1)
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(obj["passes"] as? Bool, false)
        let counts = try XCTUnwrap(obj["counts"] as? [String: Int])
        XCTAssertEqual(counts["only-in-a"], 1)
        XCTAssertEqual(counts["different"], 1)
        XCTAssertEqual(counts["identical"], 19)
        let tensors = try XCTUnwrap(obj["tensors"] as? [[String: Any]])
        XCTAssertEqual(tensors.count, 21)

        let tolerant = try Run.tinify(["diff", "--atol", "1000", st, changed])
        XCTAssertEqual(tolerant.status, 1, "a missing key fails whatever the tolerance")

        let missing = try Run.tinify(["diff", st, dir + "/nope.h5"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.hasPrefix("error: \(dir)/nope.h5: "), missing.stderr)
        XCTAssertEqual(missing.stderr.filter { $0 == "\n" }.count, 1)
    }
}
