// ReaderTests: the edge-case fixtures (make_corpus.py `edge_cases`): every dtype, views over
// one storage, non-contiguous views, nan/inf, 0-d and empty tensors, unicode and long keys,
// and the non-tensor values beside them — in both the zip and the legacy container.
import TestSupport
import TinifyContainer
import TinifyCore
import Tinify
import TinifyCommand
import TinifyWeights
import XCTest

final class EdgeCaseTests: XCTestCase {
    static let files = ["edge-cases.pth", "edge-cases-legacy.pth"]

    private func open(_ file: String) throws -> WeightStore { try WeightFile.open(Fixtures.path(file)) }

    private func tensor(_ s: WeightStore, _ key: String, file: StaticString = #filePath, line: UInt = #line) throws -> Tensor {
        try XCTUnwrap(s["tensors." + key], "no tensor tensors.\(key)", file: file, line: line)
    }

    func testSharedStoragesAreOneObject() throws {
        for f in Self.files {
            let s = try open(f)
            let a = try tensor(s, "shared_a"), b = try tensor(s, "shared_b")
            XCTAssertTrue(a.storage === b.storage, "\(f): shared_a and shared_b must share one TensorStorage")
            XCTAssertEqual(a.shape, [6]); XCTAssertEqual(b.shape, [6])
            XCTAssertEqual(a.offset, 0, f); XCTAssertEqual(b.offset, 4, f)
            XCTAssertEqual(a.storage.bytes.count, 40, "\(f): the storage holds all 10 floats")
            // Elements 4 and 5 of `shared` appear in both views.
            let ea = a.elements(as: Float.self), eb = b.elements(as: Float.self)
            XCTAssertEqual(Array(ea.suffix(2)), Array(eb.prefix(2)), f)
            // Views of other storages are not merged with them.
            XCTAssertFalse(a.storage === (try tensor(s, "f32")).storage, f)
        }
    }

    func testTransposedViewMaterialises() throws {
        for f in Self.files {
            let t = try tensor(try open(f), "transposed")
            XCTAssertEqual(t.shape, [6, 4], f)
            XCTAssertEqual(t.strides, [1, 6], f)
            XCTAssertFalse(t.isContiguous, f)
            // base = arange(24).reshape(4, 6); transposed[i][j] = base[j][i] = 6j + i.
            let want = (0..<6).flatMap { i in (0..<4).map { j in Float(6 * j + i) } }
            XCTAssertEqual(t.elements(as: Float.self), want, f)
        }
    }

    func testSlicedViewMaterialises() throws {
        for f in Self.files {
            let t = try tensor(try open(f), "sliced")
            XCTAssertEqual(t.shape, [2, 3], f)
            XCTAssertEqual(t.strides, [6, 2], f)
            XCTAssertEqual(t.offset, 6, f)
            XCTAssertFalse(t.isContiguous, f)
            XCTAssertEqual(t.elements(as: Float.self), [6, 8, 10, 12, 14, 16], f)
        }
    }

    func testExpandedViewMaterialises() throws {
        for f in Self.files {
            let t = try tensor(try open(f), "expanded")
            XCTAssertEqual(t.shape, [3, 4], f)
            XCTAssertEqual(t.strides, [1, 0], f)
            XCTAssertEqual(t.storage.bytes.count, 12, "\(f): an expanded view keeps its 3-element storage")
            let e = t.elements(as: Float.self)
            XCTAssertEqual(e.count, 12, f)
            let column = t.storage.bytes.withUnsafeBytes { raw in (0..<3).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } }
            for r in 0..<3 { XCTAssertEqual(Array(e[(4 * r)..<(4 * r + 4)]), Array(repeating: column[r], count: 4), "\(f) row \(r)") }
            XCTAssertNotEqual(column[0], column[1], "\(f): randn rows should differ")
        }
    }

    func testNanAndInfAreKept() throws {
        for f in Self.files {
            let e = try tensor(try open(f), "nan_inf").elements(as: Float.self)
            XCTAssertEqual(e.count, 4, f)
            guard e.count == 4 else { continue }
            XCTAssertTrue(e[0].isNaN, f)
            XCTAssertEqual(e[1], .infinity, f)
            XCTAssertEqual(e[2], -.infinity, f)
            XCTAssertEqual(e[3].bitPattern, (-0.0 as Float).bitPattern, "\(f): -0.0 keeps its sign")
        }
    }

    func testZeroDimAndEmptyTensors() throws {
        for f in Self.files {
            let s = try open(f)
            let scalar = try tensor(s, "scalar")
            XCTAssertEqual(scalar.shape, [], f)
            XCTAssertEqual(scalar.count, 1, f)
            XCTAssertEqual(scalar.elements(as: Float.self), [3.5], f)
            let empty = try tensor(s, "empty")
            XCTAssertEqual(empty.shape, [0, 4], f)
            XCTAssertEqual(empty.count, 0, f)
            XCTAssertEqual(empty.byteCount, 0, f)
            XCTAssertEqual(empty.contiguousBytes().count, 0, f)
            // SHA-256 of no bytes.
            XCTAssertEqual(empty.sha256(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", f)
        }
    }

    func testEveryDTypeAndItsValues() throws {
        for f in Self.files {
            let s = try open(f)
            let dtypes = ["f32": "float32", "f64": "float64", "f16": "float16", "bf16": "bfloat16", "i64": "int64", "i32": "int32",
                          "i16": "int16", "i8": "int8", "u8": "uint8", "bool": "bool", "param": "float32"]
            for (k, d) in dtypes { XCTAssertEqual(try tensor(s, k).dtype.name, d, "\(f) \(k)") }
            XCTAssertEqual(try tensor(s, "i64").elements(as: Int64.self), [-(1 << 62), -1, 0, 1, 1 << 62], f)
            XCTAssertEqual(try tensor(s, "i32").elements(as: Int32.self), [.min, .max], f)
            XCTAssertEqual(try tensor(s, "i16").elements(as: Int16.self), [.min, .max], f)
            XCTAssertEqual(try tensor(s, "i8").elements(as: Int8.self), [.min, .max], f)
            XCTAssertEqual(try tensor(s, "u8").elements(as: UInt8.self), [0, 255], f)
            XCTAssertEqual(try tensor(s, "bool").elements(as: UInt8.self), [1, 0, 1], f)
            XCTAssertEqual(try tensor(s, "f16").byteCount, 10, f)
            XCTAssertEqual(try tensor(s, "bf16").byteCount, 14, f)
            XCTAssertEqual(try tensor(s, "param").shape, [2, 2], "\(f): a Parameter reads as its tensor")
        }
    }

    func testUnicodeAndLongKeys() throws {
        for f in Self.files {
            let s = try open(f)
            let u = try XCTUnwrap(s["tensors.unicode_κλειδί"], "\(f): unicode key")
            XCTAssertEqual(u.elements(as: Float.self), [1], f)
            let long = "tensors." + String(repeating: "long.", count: 40) + "key"
            XCTAssertEqual(long.utf8.count, 211)
            let l = try XCTUnwrap(s[long], "\(f): long key")
            XCTAssertEqual(l.elements(as: Float.self), [0, 0], f)
            XCTAssertEqual(s.count, 21, "\(f): 21 tensors")
        }
    }

    func testNonTensorValues() throws {
        for f in Self.files {
            let meta = try XCTUnwrap(try open(f).root["meta"], "\(f): meta")
            guard case .int(7)? = meta["int"] else { return XCTFail("\(f) int: \(meta["int"]?.brief ?? "missing")") }
            guard case .bigInt("1180591620717411303424")? = meta["big"] else { return XCTFail("\(f) big: \(meta["big"]?.brief ?? "missing")") }
            guard case .int(-5)? = meta["neg"] else { return XCTFail("\(f) neg") }
            guard case .float(0.1)? = meta["float"] else { return XCTFail("\(f) float") }
            guard case .float(.infinity)? = meta["inf"] else { return XCTFail("\(f) inf") }
            guard case .string("héllo")? = meta["str"] else { return XCTFail("\(f) str") }
            guard case .bytes(let b)? = meta["bytes"] else { return XCTFail("\(f) bytes") }
            XCTAssertEqual(b, [0, 1, 255], f)
            guard case .none? = meta["none"] else { return XCTFail("\(f) none") }
            guard case .bool(true)? = meta["true"] else { return XCTFail("\(f) true") }
            guard case .tuple(let t)? = meta["tuple"], t.count == 3, case .int(1) = t[0], case .string("a") = t[1], case .float(2.5) = t[2] else {
                return XCTFail("\(f) tuple: \(meta["tuple"]?.brief ?? "missing")")
            }
            guard case .list(let l)? = meta["list"], l.count == 2, case .int(1) = l[0], case .list(let l2) = l[1], l2.count == 2,
                  case .int(2) = l2[0], case .list(let l3) = l2[1], l3.count == 1, case .int(3) = l3[0] else {
                return XCTFail("\(f) list: \(meta["list"]?.brief ?? "missing")")
            }
            guard case .dict(let inner)? = meta["set_like"]?["a"]?["b"] else { return XCTFail("\(f) set_like.a.b") }
            XCTAssertTrue(inner.isEmpty, f)
        }
    }

    /// The scalar listing `inspect` prints names the values by key path, including empty containers.
    func testScalarsReportedByKeyPath() throws {
        let report = InspectReport(store: try open("edge-cases.pth"), digest: false)
        let scalars = Dictionary(report.scalars.map { ($0.0, $0.1.brief) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(scalars["meta.int"], "7")
        XCTAssertEqual(scalars["meta.big"], "1180591620717411303424")
        XCTAssertEqual(scalars["meta.inf"], "inf")
        XCTAssertEqual(scalars["meta.list.1.1.0"], "3")
        XCTAssertEqual(scalars["meta.set_like.a.b"], "dict (0 entries)")
        XCTAssertNil(scalars["tensors.f32"], "tensors are not scalars")
    }
}
