// RuntimeTests: the rANS coder against streams CompressAI's C++ `RansEncoder` wrote
// (Tests/Fixtures/vectors/rans_and_cdf_vectors.json, default GaussianConditional table), and its
// refusal of truncated, padded and corrupt streams.
import XCTest
import TestSupport
@testable import TinifyRuntime

final class RansCoderTests: XCTestCase {
    /// The default Gaussian table the vectors were coded with.
    private func defaultTable() throws -> CDFTable {
        let t = try XCTUnwrap(try Fixtures.json("vectors/gaussian_conditional_default_table.json") as? [String: Any])
        let rows = try XCTUnwrap(t["cdf"] as? [[Int]])
        let lengths = try XCTUnwrap(t["cdf_length"] as? [Int]).map(Int32.init)
        let offsets = try XCTUnwrap(t["offset"] as? [Int]).map(Int32.init)
        let width = rows.map(\.count).max() ?? 0
        let flat = rows.flatMap { $0.map(Int32.init) + [Int32](repeating: 0, count: width - $0.count) }
        return try CDFTable(cdf: flat, width: width, lengths: lengths, offsets: offsets, key: "default table")
    }

    private func vectors() throws -> [(name: String, symbols: [Int32], indexes: [Int32], bytes: [UInt8])] {
        let root = try XCTUnwrap(try Fixtures.json("vectors/rans_and_cdf_vectors.json") as? [String: Any])
        return try XCTUnwrap(root["rans"] as? [[String: Any]]).map { v in
            let hex = Array(try XCTUnwrap(v["encoded_hex"] as? String).utf8)
            let bytes = stride(from: 0, to: hex.count, by: 2).map { UInt8(String(decoding: hex[$0..<($0 + 2)], as: UTF8.self), radix: 16)! }
            return (try XCTUnwrap(v["name"] as? String), try XCTUnwrap(v["symbols"] as? [Int]).map(Int32.init),
                    try XCTUnwrap(v["indexes"] as? [Int]).map(Int32.init), bytes)
        }
    }

    func testEncodesCompressAIsStreamsByteForByteAndDecodesThem() throws {
        let table = try defaultTable()
        let cases = try vectors()
        XCTAssertEqual(cases.count, 3)
        for v in cases {
            var encoder = RansEncoder()
            try encoder.encode(v.symbols, indexes: v.indexes, table: table)
            XCTAssertEqual(encoder.flush(), v.bytes, v.name)
            var decoder = try RansDecoder(v.bytes)
            XCTAssertEqual(try decoder.decode(indexes: v.indexes, table: table), v.symbols, v.name)
        }
    }

    func testEscapesRoundTripAtTheLimitsOfInt32() throws {
        let table = try defaultTable()
        let symbols: [Int32] = [0, 1, -1, 40_000, -40_000, Int32.max / 2, Int32.min / 2 + 1, 7, 1 << 20, -(1 << 20)]
        let indexes = symbols.indices.map { Int32($0 % 64) }
        var encoder = RansEncoder()
        try encoder.encode(symbols, indexes: indexes, table: table)
        let bytes = encoder.flush()
        var decoder = try RansDecoder(bytes)
        XCTAssertEqual(try decoder.decode(indexes: indexes, table: table), symbols)
        // An empty stream is the bare state (8 bytes), as CompressAI's flush writes it.
        var empty = RansEncoder()
        XCTAssertEqual(empty.flush().count, 8)
    }

    func testRefusesBrokenStreamsWithTypedErrors() throws {
        let table = try defaultTable()
        let v = try XCTUnwrap(try vectors().first { $0.name == "random-200" })
        XCTAssertThrowsError(try RansDecoder(Array(v.bytes.prefix(6)))) { XCTAssertEqual($0 as? CodingError, .badLength(6)) }
        XCTAssertThrowsError(try RansDecoder(v.bytes + [0])) { XCTAssertEqual($0 as? CodingError, .badLength(v.bytes.count + 1)) }
        // Cut short: the decoder needs words that are not there.
        var short = try RansDecoder(Array(v.bytes.prefix(8)))
        XCTAssertThrowsError(try short.decode(indexes: v.indexes, table: table)) {
            guard case .truncated? = $0 as? CodingError else { return XCTFail("\($0)") }
        }
        var decoder = try RansDecoder(v.bytes)
        XCTAssertThrowsError(try decoder.decode(indexes: [64], table: table)) {
            XCTAssertEqual($0 as? CodingError, .indexOutOfRange(index: 64, rows: 64))
        }
        // Random bytes never crash: each decode either throws a CodingError or yields values.
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let bytes = (0..<(8 + 4 * Int.random(in: 0...16, using: &rng))).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var d = try RansDecoder(bytes)
            do { _ = try d.decode(indexes: v.indexes, table: table) } catch { XCTAssertTrue(error is CodingError, "\(error)") }
        }
    }

    func testTablesThatCannotCodeAreRefused() {
        XCTAssertThrowsError(try CDFTable(cdf: [0, 65536, 65536, 0], width: 4, lengths: [3], offsets: [0], key: "k")) {
            XCTAssertEqual(String(describing: $0), "cannot code with k: row 0 is not increasing at entry 2")
        }
        XCTAssertThrowsError(try CDFTable(cdf: [0, 100, 65536], width: 3, lengths: [4], offsets: [0], key: "k"))
        XCTAssertThrowsError(try CDFTable(cdf: [0, 100, 60000], width: 3, lengths: [3], offsets: [0], key: "k"))
        XCTAssertNoThrow(try CDFTable(cdf: [0, 100, 65536], width: 3, lengths: [3], offsets: [-1], key: "k"))
    }
}
