// TinifyRuntime: binds checkpoint tensors (any float dtype, PyTorch layout) to float32 arrays.
import TinifyCore
import TinifyWeights

/// Reads named tensors from a weight store as float32, checking shapes; errors name the key.
package struct WeightReader {
    /// The store read.
    package let store: WeightStore

    /// A reader over `store` (canonical CompressAI keys).
    package init(_ store: WeightStore) { self.store = store }

    /// The tensor at `key`, or `RuntimeError.missingTensor`.
    package func tensor(_ key: String) throws -> Tensor {
        guard let t = store[key] else { throw RuntimeError.missingTensor(key: key) }
        return t
    }

    /// The shape of the tensor at `key`.
    package func shape(_ key: String) throws -> [Int] { try tensor(key).shape }

    /// Whether the store holds `key`.
    package func has(_ key: String) -> Bool { store[key] != nil }

    /// The elements of `key` as float32 in C order, checking the shape when `shape` is given
    /// (`-1` matches any size).
    package func floats(_ key: String, shape expected: [Int]? = nil) throws -> [Float] {
        try WeightReader.floats(of: try tensor(key, shape: expected), key: key)
    }

    /// The tensor at `key`, checking its shape when `expected` is given (`-1` matches any size).
    package func tensor(_ key: String, shape expected: [Int]?) throws -> Tensor {
        let t = try tensor(key)
        if let expected {
            let ok = expected.count == t.shape.count && zip(expected, t.shape).allSatisfy { $0 == -1 || $0 == $1 }
            guard ok else { throw RuntimeError.badShape(key: key, shape: t.shape, expected: "\(expected)") }
        }
        return t
    }

    /// The elements of `t` converted to float32.
    package static func floats(of t: Tensor, key: String) throws -> [Float] {
        let bytes = t.contiguousBytes()
        let n = t.count
        return try bytes.withUnsafeBytes { raw -> [Float] in
            switch t.dtype {
            case .float32:
                return [Float](unsafeUninitializedCapacity: n) { buf, count in
                    if n > 0 { UnsafeMutableRawBufferPointer(buf).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[0..<(n * 4)])) }
                    count = n
                }
            case .float16:
                return (0..<n).map { Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self)))) }
            case .bfloat16:
                return (0..<n).map { Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))) << 16) }
            case .float64:
                return (0..<n).map { Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)))) }
            default:
                throw RuntimeError.badDType(key: key, dtype: t.dtype.name)
            }
        }
    }

    /// A single float (a `[1]` buffer such as a lower bound), or `fallback` when absent.
    package func scalar(_ key: String, default fallback: Float? = nil) throws -> Float {
        if store[key] == nil, let fallback { return fallback }
        let v = try floats(key)
        guard v.count == 1 else { throw RuntimeError.badShape(key: key, shape: try shape(key), expected: "[1]") }
        return v[0]
    }

    /// Whether the tensor at `key` exists and has no elements (a buffer before `update()`).
    package func isEmpty(_ key: String) -> Bool { store[key].map { $0.count == 0 } ?? true }
}

/// Makes TinifyCore tensors from computed values (for `update()` results).
package enum TensorFactory {
    /// A contiguous int32 tensor.
    package static func int32(_ values: [Int32], shape: [Int]) throws -> Tensor {
        // The bytes of a native Int32 array are little-endian on every supported platform.
        try values.withUnsafeBytes { try Tensor(dtype: .int32, shape: shape, bytes: ByteRegion(copying: $0)) }
    }

    /// A contiguous float32 tensor.
    package static func float32(_ values: [Float], shape: [Int]) throws -> Tensor {
        try values.withUnsafeBytes { try Tensor(dtype: .float32, shape: shape, bytes: ByteRegion(copying: $0)) }
    }
}
