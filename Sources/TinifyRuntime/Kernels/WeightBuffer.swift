// TinifyRuntime: a layer's float32 weights, read in place. A checkpoint stores most tensors as
// contiguous little-endian float32 (torch's zip format aligns each one to 64 bytes): the kernels
// can read those bytes where they lie, in the mapped file, instead of from a copy. Copying a
// model's weights into fresh memory cost more than reading them (a small image's compress copied
// 14 MB, 7–10 ms of its ~80: every fresh page is faulted in and zeroed first). Other dtypes, byte
// orders, layouts and alignments are converted into an array, as before.
import TinifyCore

/// Float32 weights in C order: a view of a checkpoint's own bytes (which it keeps alive), or an
/// array.
package struct WeightBuffer: @unchecked Sendable {
    private enum Storage {
        case bytes(ByteRegion)
        case array([Float])
    }
    private let storage: Storage
    /// The number of floats.
    package let count: Int

    /// The floats of `values`.
    package init(_ values: [Float]) {
        storage = .array(values)
        count = values.count
    }

    /// The `count` floats at the start of `region`, read in place; nil unless the region holds
    /// that many bytes and starts on a float's alignment (the caller converts instead).
    package init?(float32 region: ByteRegion, count: Int) {
        guard count >= 0, count <= region.count / MemoryLayout<Float>.stride else { return nil }
        if count > 0 {
            guard let base = region.base, Int(bitPattern: base) % MemoryLayout<Float>.alignment == 0 else { return nil }
        }
        storage = .bytes(region)
        self.count = count
    }

    /// Calls `body` with the floats (valid only during the call).
    package func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        switch storage {
        case .array(let values):
            return try values.withUnsafeBufferPointer(body)
        case .bytes(let region):
            return try region.withUnsafeBytes { raw in
                // The bytes are only ever read, so viewing them as floats cannot conflict with a
                // typed write elsewhere.
                try body(UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: Float.self), count: count))
            }
        }
    }

    /// Whether the floats are read in place from the checkpoint's bytes (not an array).
    package var readsInPlace: Bool {
        if case .bytes = storage { return true }
        return false
    }

}

extension WeightReader {
    /// The elements of `key` as float32 in C order (see `floats`), read in place when the
    /// checkpoint stores them as contiguous little-endian float32 at a float's alignment, and
    /// converted into an array otherwise.
    package func weights(_ key: String, shape expected: [Int]? = nil) throws -> WeightBuffer {
        let t = try tensor(key, shape: expected)
        if t.dtype == .float32, let view = WeightBuffer(float32: t.contiguousBytes(), count: t.count) { return view }
        return WeightBuffer(try WeightReader.floats(of: t, key: key))
    }
}
