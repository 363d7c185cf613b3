// RuntimeTests: helpers to read the CompressAI reference fixtures under Tests/Fixtures.
import XCTest
import TestSupport
import TinifyCore
import Tinify
import TinifyRuntime
import TinifyWeights

/// One model entry of `Tests/Fixtures/index.json`.
struct FixtureModel {
    let stem: String
    let architecture: Architecture
    let checkpoint: String
    let notUpdated: String
    let reference: String

    /// Every model in the index, in index order.
    static func all() throws -> [FixtureModel] {
        let index = try XCTUnwrap(try Fixtures.json("index.json") as? [String: Any])
        let models = try XCTUnwrap(index["models"] as? [String: Any])
        return try models.keys.sorted().map { stem in
            let m = try XCTUnwrap(models[stem] as? [String: Any])
            return FixtureModel(stem: stem,
                                architecture: try XCTUnwrap(Architecture(rawValue: try XCTUnwrap(m["architecture"] as? String))),
                                checkpoint: try XCTUnwrap(m["checkpoint"] as? String),
                                notUpdated: try XCTUnwrap(m["not_updated"] as? String),
                                reference: try XCTUnwrap(m["reference"] as? String))
        }
    }
}

/// Reads tensors of a store as numbers.
enum Values {
    static func floats(_ store: WeightStore, _ key: String) throws -> [Float] {
        let t = try XCTUnwrap(store[key], "missing \(key)")
        return try WeightReader.floats(of: t, key: key)
    }

    static func tensor(_ store: WeightStore, _ key: String) throws -> FloatTensor {
        let t = try XCTUnwrap(store[key], "missing \(key)")
        return try FloatTensor(shape: t.shape, data: try WeightReader.floats(of: t, key: key))
    }

    /// The elements of an integer tensor as Int64.
    static func ints(_ t: Tensor) -> [Int64] {
        let bytes = t.contiguousBytes()
        return bytes.withUnsafeBytes { raw in
            (0..<t.count).map { i -> Int64 in
                switch t.dtype {
                case .int32: return Int64(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)))
                case .int64: return Int64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))
                default: return Int64.min
                }
            }
        }
    }

    /// Max |a − b|.
    static func maxAbs(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
    }

    /// Max |a − b| / |b|.
    static func maxRel(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(0) { Swift.max($0, abs($1.0 - $1.1) / Swift.max(abs($1.1), .leastNormalMagnitude)) }
    }
}

/// CompressAI's `compress()` output as a reference file holds it.
enum ReferenceLatents {
    /// `strings` (a list of groups, each a list of bytes) and `shape` of a dict of a reference pickle.
    static func of(_ dict: Value) throws -> CompressedLatents {
        guard case .list(let groups)? = dict["strings"], case .list(let shape)? = dict["shape"] else { throw XCTSkip("no strings") }
        let strings = try groups.map { g -> [[UInt8]] in
            guard case .list(let items) = g else { throw CodingError.badContainer("group") }
            return try items.map { item -> [UInt8] in
                guard case .bytes(let b) = item else { throw CodingError.badContainer("string") }
                return b
            }
        }
        let sides = try shape.map { v -> Int in
            guard case .int(let i) = v else { throw CodingError.badContainer("shape") }
            return Int(i)
        }
        return CompressedLatents(strings: strings, shape: sides)
    }
}
