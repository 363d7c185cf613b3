// RuntimeTests: `pmf_to_quantized_cdf` and the default GaussianConditional table against the
// vectors CompressAI's C++ produced (Tests/Fixtures/vectors).
import XCTest
import TestSupport
import TinifyRuntime
import Tinify

final class CDFVectorTests: XCTestCase {
    func testPMFToQuantizedCDFVectors() throws {
        let root = try XCTUnwrap(try Fixtures.json("vectors/rans_and_cdf_vectors.json") as? [String: Any])
        let cases = try XCTUnwrap(root["pmf_to_quantized_cdf"] as? [[String: Any]])
        XCTAssertFalse(cases.isEmpty)
        for c in cases {
            let pmf = try XCTUnwrap(c["pmf_float32"] as? [Double]).map { Float($0) }
            let cdf = try XCTUnwrap(c["cdf"] as? [Int])
            XCTAssertEqual(try QuantizedCDF.fromPMF(pmf).map { Int($0) }, cdf, "pmf \(pmf)")
        }
    }

    func testQuantizedCDFRejectsBadPMFs() {
        XCTAssertThrowsError(try QuantizedCDF.fromPMF([0.5, -0.1]))
        XCTAssertThrowsError(try QuantizedCDF.fromPMF([0, 0]))
        XCTAssertThrowsError(try QuantizedCDF.fromPMF([.nan, 1]))
    }

    func testDefaultGaussianConditionalTable() throws {
        let table = try XCTUnwrap(try Fixtures.json("vectors/gaussian_conditional_default_table.json") as? [String: Any])
        let hex = try XCTUnwrap(table["scale_table_float32_hex"] as? [String])
        let mine = GaussianConditional.defaultScaleTable()
        XCTAssertEqual(mine.map { String(format: "%08x", $0.bitPattern) }, hex, "scale table")

        // update() of an empty GaussianConditional with the default table.
        let model = try RuntimeModels.make(.bmshj2018Hyperprior,
                                           store: try Tinify.WeightFile.open(Fixtures.path("bmshj2018-hyperprior-N8-M12-not-updated.pth")))
        let out = try model.update(scaleTable: nil, force: true)
        let offset = Values.ints(try XCTUnwrap(out["gaussian_conditional._offset"]))
        let length = Values.ints(try XCTUnwrap(out["gaussian_conditional._cdf_length"]))
        let cdfT = try XCTUnwrap(out["gaussian_conditional._quantized_cdf"])
        let cdf = Values.ints(cdfT)
        XCTAssertEqual(offset, try XCTUnwrap(table["offset"] as? [Int]).map(Int64.init))
        XCTAssertEqual(length, try XCTUnwrap(table["cdf_length"] as? [Int]).map(Int64.init))
        let rows = try XCTUnwrap(table["cdf"] as? [[Int]])
        let width = cdfT.shape[1]
        var mismatches = 0
        for (i, row) in rows.enumerated() {
            for (j, v) in row.enumerated() where cdf[i * width + j] != Int64(v) { mismatches += 1 }
            for j in row.count..<width where cdf[i * width + j] != 0 { mismatches += 1 }
        }
        XCTAssertEqual(rows.count, 64)
        XCTAssertEqual(mismatches, 0, "default table cdf entries differing")
    }

    /// The binary search on a sorted table counts exactly what the entry-by-entry count does
    /// (NaN, infinities, values on entries, tables with repeated entries), and an unsorted table
    /// is still counted entry by entry.
    func testBuildIndexesSearchEqualsTheCount() {
        func counted(_ scales: [Float], _ table: [Float], _ bound: Float) -> [Int32] {
            scales.map { s in let v = Swift.max(s, bound); return Int32(table.dropLast().filter { $0 < v }.count) }
        }
        let table = GaussianConditional.defaultScaleTable()
        var scales: [Float] = [.nan, -.infinity, .infinity, 0, -1, 0.11, Float(0.11).nextUp, 256, 1e30]
        scales += table + table.map(\.nextUp) + table.map(\.nextDown)
        var rng = SplitMix64(seed: 3)
        scales += (0..<2000).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x437f_ffff) }
        let repeated: [Float] = [0.2, 0.2, 0.5, 0.5, 0.5, 1, 4, 4, 9]
        let unsorted: [Float] = [1, 0.5, 4, 0.2, 9, 0.3]
        for (t, bound) in [(table, Float(0.11)), (repeated, 0.1), (unsorted, 0.1), ([0.3], 0.1)] {
            XCTAssertEqual(GaussianConditional.buildIndexes(scales, table: t, bound: bound), counted(scales, t, bound), "\(t)")
        }
    }

    func testBuildIndexesRoundsScalesUp() {
        let table = GaussianConditional.defaultScaleTable()
        let idx = GaussianConditional.buildIndexes([0, table[0], table[0].nextUp, table[5], 1e9], table: table, bound: 0.11)
        XCTAssertEqual(idx, [0, 0, 1, 5, 63])
    }
}
