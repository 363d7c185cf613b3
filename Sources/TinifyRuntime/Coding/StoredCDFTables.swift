// TinifyRuntime: binds an entropy model's stored CDF buffers for coding. CompressAI codes with the
// tables saved in the checkpoint (`_quantized_cdf`, `_offset`, `_cdf_length`), never with tables
// recomputed on the decoding machine: recomputed tables can differ by one unit and desynchronise
// the stream (COMPRESSAI.md §8).
import TinifyCore

extension CDFTable {
    /// The tables under `prefix` (`entropy_bottleneck`, `gaussian_conditional`), checked to code.
    /// Throws `CodingError.notUpdated` when the buffers are empty (a checkpoint before `update()`).
    package init(_ w: WeightReader, _ prefix: String) throws {
        let cdfKey = prefix + "._quantized_cdf", offsetKey = prefix + "._offset", lengthKey = prefix + "._cdf_length"
        guard !w.isEmpty(offsetKey), !w.isEmpty(cdfKey), !w.isEmpty(lengthKey) else { throw CodingError.notUpdated(prefix: prefix) }
        let cdfTensor = try w.tensor(cdfKey)
        guard cdfTensor.shape.count == 2 else {
            throw CodingError.badTable(key: cdfKey, reason: "shape \(cdfTensor.shape), expected [rows, width]")
        }
        let rows = cdfTensor.shape[0]
        let lengths = try CDFTable.integers(try w.tensor(lengthKey), key: lengthKey, count: rows)
        let offsets = try CDFTable.integers(try w.tensor(offsetKey), key: offsetKey, count: rows)
        try self.init(cdf: try CDFTable.integers(cdfTensor, key: cdfKey, count: cdfTensor.count), width: cdfTensor.shape[1],
                      lengths: lengths, offsets: offsets, key: cdfKey)
    }

    /// The elements of an integer tensor as Int32 (int32, or int64 values that fit), `count` of them.
    static func integers(_ t: Tensor, key: String, count: Int) throws -> [Int32] {
        guard t.count == count else { throw CodingError.badTable(key: key, reason: "\(t.count) entries, expected \(count)") }
        let bytes = t.contiguousBytes()
        return try bytes.withUnsafeBytes { raw -> [Int32] in
            switch t.dtype {
            case .int32:
                // One copy of the little-endian bytes (a table is up to a few hundred thousand
                // entries), then each entry to the host's order (nothing to do on little-endian ones).
                guard raw.count >= count * 4 else { throw CodingError.badTable(key: key, reason: "\(raw.count) bytes for \(count) entries") }
                return [Int32](unsafeUninitializedCapacity: count) { buffer, initialised in
                    if count > 0 {
                        UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[0..<(count * 4)]))
                    }
                    initialised = count
                    #if _endian(big)
                    for i in 0..<count { buffer[i] = Int32(littleEndian: buffer[i]) }
                    #endif
                }
            case .int64:
                return try (0..<count).map {
                    let v = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))
                    guard let i = Int32(exactly: v) else { throw CodingError.badTable(key: key, reason: "value \(v) does not fit in int32") }
                    return i
                }
            default:
                throw CodingError.badTable(key: key, reason: "dtype \(t.dtype.name), expected int32")
            }
        }
    }
}
