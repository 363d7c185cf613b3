// ReaderTests: the pickle machine's memo and dict keys behave as Python's `pickle` does, on
// both the sequential (array) and the out-of-sequence (dictionary) memo paths.
import TinifyPickle
import XCTest

final class PickleMemoTests: XCTestCase {
    private func run(_ bytes: [UInt8]) throws -> PickleResult {
        try bytes.withUnsafeBytes { try PickleMachine.run($0) }
    }

    private func ints(_ v: PickleValue) -> [Int64]? {
        guard case .tuple(let t) = v else { return nil }
        return t.items.compactMap { if case .int(let i) = $0 { return i } else { return nil } }
    }

    /// `LONG_BINPUT 1000`, `BINPUT 0`, then `MEMOIZE` (index = number of entries = 2): Python gives (5, 7, 9).
    func testOutOfSequenceMemo() throws {
        let r = try run([0x80, 2, 0x4B, 5, 0x72, 0xE8, 3, 0, 0, 0x30, 0x4B, 7, 0x71, 0, 0x30, 0x4B, 9, 0x94, 0x30,
                         0x6A, 0xE8, 3, 0, 0, 0x68, 0, 0x68, 2, 0x87, 0x2E])
        XCTAssertEqual(ints(r.value), [5, 7, 9])
    }

    /// Sequential `MEMOIZE`s, an overwrite with `BINPUT`, and gets of each.
    func testSequentialMemoAndOverwrite() throws {
        let r = try run([0x80, 4, 0x4B, 1, 0x94, 0x4B, 2, 0x94, 0x4B, 3, 0x71, 0, 0x30, 0x30, 0x30,
                         0x28, 0x68, 0, 0x68, 1, 0x4B, 4, 0x94, 0x68, 2, 0x74, 0x2E])
        // memo 0 = 1 then overwritten with 3, memo 1 = 2, memo 2 = 4: Python gives (3, 2, 4, 4).
        XCTAssertEqual(ints(r.value), [3, 2, 4, 4])
    }

    func testMissingMemoIsAnError() throws {
        XCTAssertThrowsError(try run([0x80, 2, 0x4B, 1, 0x94, 0x68, 1, 0x2E])) { e in
            guard case PickleError.missingMemo(index: 1, _) = e else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try run([0x80, 2, 0x6A, 0xE8, 3, 0, 0, 0x2E])) { e in
            guard case PickleError.missingMemo(index: 1000, _) = e else { return XCTFail("\(e)") }
        }
    }

    /// `{1: 10, True: 20, 'k': 30, 'k': 40}` is `{1: 20, 'k': 40}` in Python: a repeated key replaces in place.
    func testRepeatedDictKeysReplace() throws {
        let r = try run([0x80, 2, 0x7D, 0x28, 0x4B, 1, 0x4B, 10, 0x88, 0x4B, 20, 0x8C, 1, UInt8(ascii: "k"), 0x4B, 30,
                         0x8C, 1, UInt8(ascii: "k"), 0x4B, 40, 0x75, 0x2E])
        guard case .dict(let d) = r.value else { return XCTFail("not a dict: \(r.value.kindName)") }
        XCTAssertEqual(d.entries.count, 2)
        guard d.entries.count == 2, case .int(1) = d.entries[0].key, case .int(20) = d.entries[0].value,
              case .string("k") = d.entries[1].key, case .int(40) = d.entries[1].value else {
            return XCTFail("entries: \(d.entries.map { "\($0.key.kindName)=\($0.value.kindName)" })")
        }
    }
}
