// TinifySafetensors: reads a safetensors file into a weight store of zero-copy tensors over the
// mapped file, validating the header as strictly as the reference implementation
// (`safetensors/src/tensor.rs`): header size limit, `{` start, dtype names, checked sizes,
// offsets that tile the buffer exactly, duplicate keys, and the `__metadata__` string map.
import TinifyCore
import TinifyContainer
import TinifyWeights

/// One tensor entry of a safetensors header, as declared.
package struct SafetensorsEntry: Equatable, Sendable {
    /// The tensor's name.
    package let key: String
    /// The element type.
    package let dtype: DType
    /// The shape.
    package let shape: [Int]
    /// `[begin, end)` relative to the start of the byte buffer.
    package let begin: Int
    /// The end of the tensor's bytes (exclusive).
    package let end: Int
}

/// Reads safetensors files.
package enum SafetensorsReader {
    /// The reference implementation's header size limit.
    package static let maxHeaderBytes = 100_000_000
    /// The deepest JSON nesting accepted (a valid header nests 3 deep).
    package static let maxDepth = 64
    /// The highest tensor rank accepted.
    package static let maxRank = 1024

    /// Reads the safetensors file at `path`.
    package static func read(_ path: String) throws -> WeightStore {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch let e as FileError { throw SafetensorsError.file(e) }
        return try read(file: file)
    }

    /// Reads a mapped safetensors file; the tensors are zero-copy views of the mapping.
    package static func read(file: MappedFile) throws -> WeightStore {
        let parsed = try parse(ByteRegion(file: file))
        return WeightStore(entries: parsed.entries, container: .safetensors, path: file.path, attributes: parsed.metadata ?? [:])
    }

    /// Parses and validates a whole safetensors file held in `region`, returning its tensors
    /// (views of `region`, in header order) and its `__metadata__`.
    package static func parse(_ region: ByteRegion) throws -> (entries: [(key: String, tensor: Tensor)], metadata: [String: String]?) {
        let header = try parseHeader(region)
        guard let buffer = region.slice(8 + header.headerLength, region.count - 8 - header.headerLength) else {
            throw SafetensorsError.incompleteBuffer(covered: 0, available: 0)
        }
        var entries: [(key: String, tensor: Tensor)] = []
        entries.reserveCapacity(header.entries.count)
        for e in header.entries {
            guard let bytes = buffer.slice(e.begin, e.end - e.begin) else {
                throw SafetensorsError.incompleteBuffer(covered: e.end, available: buffer.count)
            }
            let tensor: Tensor
            do { tensor = try Tensor(dtype: e.dtype, shape: e.shape, bytes: bytes, key: e.key) } catch {
                throw SafetensorsError.overflow(key: e.key)
            }
            do { try tensor.validateElements(key: e.key) } catch let v as TensorValueError { throw SafetensorsError.badValue(v) }
            entries.append((e.key, tensor))
        }
        return (entries, header.metadata)
    }

    /// Parses and validates the header of a safetensors file held in `region` (which must be the
    /// whole file, since the buffer has to end exactly at its end).
    package static func parseHeader(_ region: ByteRegion) throws -> (headerLength: Int, entries: [SafetensorsEntry], metadata: [String: String]?) {
        try region.withUnsafeBytes { all in
            guard all.count >= 8 else { throw SafetensorsError.tooSmall(size: all.count) }
            var n: UInt64 = 0
            for i in 0..<8 { n |= UInt64(all[i]) << (8 * UInt64(i)) }
            guard n <= UInt64(maxHeaderBytes) else { throw SafetensorsError.headerTooLarge(declared: n, limit: maxHeaderBytes) }
            let length = Int(n)
            guard length <= all.count - 8 else { throw SafetensorsError.headerPastEnd(declared: n, available: all.count - 8) }
            let text = UnsafeRawBufferPointer(rebasing: all[8..<(8 + length)])
            guard isValidUTF8(text) else { throw SafetensorsError.headerNotUTF8 }
            guard text.first == UInt8(ascii: "{") else { throw SafetensorsError.headerStart(found: text.first) }
            let (entries, metadata) = try parseJSON(text)
            let dataLength = all.count - 8 - length
            let covered = try validate(entries)
            guard covered == dataLength else { throw SafetensorsError.incompleteBuffer(covered: covered, available: dataLength) }
            return (length, entries, metadata)
        }
    }

    /// Parses the header JSON into entries (in header order) and metadata.
    static func parseJSON(_ text: UnsafeRawBufferPointer) throws -> ([SafetensorsEntry], [String: String]?) {
        var scanner = HeaderScanner(text, maxDepth: maxDepth)
        var entries: [SafetensorsEntry] = []
        var seen = Set<String>()
        var metadata: [String: String]?
        try scanner.object(depth: 1) { s, key in
            guard seen.insert(key).inserted else { throw SafetensorsError.duplicateKey(key) }
            if key == "__metadata__" {
                metadata = try parseMetadata(&s)
            } else {
                guard entries.count < TensorLimits.maxTensors else { throw SafetensorsError.tooManyTensors(limit: TensorLimits.maxTensors) }
                entries.append(try parseEntry(&s, key: key))
            }
        }
        scanner.skipWhitespace()
        guard scanner.atEnd else { throw scanner.fail("trailing characters after the header object") }
        return (entries, metadata)
    }

    private static func parseMetadata(_ s: inout HeaderScanner) throws -> [String: String]? {
        if try s.consumeNull() { return nil }
        guard s.peek() == UInt8(ascii: "{") else { throw SafetensorsError.badMetadata("not an object") }
        var map: [String: String] = [:]
        try s.object(depth: 2) { s, k in
            guard s.peek() == UInt8(ascii: "\"") else { throw SafetensorsError.badMetadata("value of '\(k)' is not a string") }
            let v = try s.string()
            guard map.updateValue(v, forKey: k) == nil else { throw SafetensorsError.duplicateKey("__metadata__." + k) }
        }
        return map
    }

    private static func parseEntry(_ s: inout HeaderScanner, key: String) throws -> SafetensorsEntry {
        guard s.peek() == UInt8(ascii: "{") else { throw SafetensorsError.badEntry(key: key, reason: "not an object") }
        var dtypeName: String?
        var shape: [Int]?
        var offsets: [Int]?
        var fields = Set<String>()
        try s.object(depth: 2) { s, field in
            guard fields.insert(field).inserted else { throw SafetensorsError.badEntry(key: key, reason: "duplicate field '\(field)'") }
            switch field {
            case "dtype":
                guard s.peek() == UInt8(ascii: "\"") else { throw SafetensorsError.badEntry(key: key, reason: "dtype is not a string") }
                dtypeName = try s.string()
            case "shape":
                guard s.peek() == UInt8(ascii: "[") else { throw SafetensorsError.badEntry(key: key, reason: "shape is not an array") }
                var dims: [Int] = []
                try s.array(depth: 3) { s in
                    guard dims.count < maxRank else { throw SafetensorsError.rankTooLarge(key: key, rank: dims.count + 1, limit: maxRank) }
                    dims.append(try s.unsignedInt())
                }
                shape = dims
            case "data_offsets":
                guard s.peek() == UInt8(ascii: "[") else { throw SafetensorsError.badEntry(key: key, reason: "data_offsets is not an array") }
                var o: [Int] = []
                try s.array(depth: 3) { s in
                    guard o.count < 2 else { throw SafetensorsError.badEntry(key: key, reason: "data_offsets has more than 2 items") }
                    o.append(try s.unsignedInt())
                }
                guard o.count == 2 else { throw SafetensorsError.badEntry(key: key, reason: "data_offsets has \(o.count) items, not 2") }
                offsets = o
            default:
                try s.skipValue(depth: 2)
            }
        }
        guard let dtypeName else { throw SafetensorsError.badEntry(key: key, reason: "missing field 'dtype'") }
        guard let shape else { throw SafetensorsError.badEntry(key: key, reason: "missing field 'shape'") }
        guard let offsets else { throw SafetensorsError.badEntry(key: key, reason: "missing field 'data_offsets'") }
        guard SafetensorsDType.knownNames.contains(dtypeName) else { throw SafetensorsError.unknownDType(key: key, name: dtypeName) }
        guard let dtype = SafetensorsDType.dtype(dtypeName) else { throw SafetensorsError.unsupportedDType(key: key, name: dtypeName) }
        return SafetensorsEntry(key: key, dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1])
    }

    /// Checks that the entries, sorted by offsets, tile `[0, end)` exactly with the right sizes;
    /// returns `end`.
    static func validate(_ entries: [SafetensorsEntry]) throws -> Int {
        let sorted = entries.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var next = 0
        for e in sorted {
            guard e.begin == next, e.end >= e.begin else { throw SafetensorsError.invalidOffset(key: e.key, begin: e.begin, expected: next) }
            guard let n = Checked.product(e.shape), let size = Checked.mul(n, e.dtype.itemSize) else { throw SafetensorsError.overflow(key: e.key) }
            guard e.end - e.begin == size else { throw SafetensorsError.sizeMismatch(key: e.key, expected: size, actual: e.end - e.begin) }
            next = e.end
        }
        return next
    }

    /// Strict UTF-8 validation (no overlong forms, surrogates or values past U+10FFFF).
    static func isValidUTF8(_ b: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            var need = 0, minNext: UInt8 = 0x80, maxNext: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; minNext = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; maxNext = 0x9F
            case 0xF0: need = 3; minNext = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; maxNext = 0x8F
            default: return false
            }
            guard i + need < n else { return false }
            let c1 = b[i + 1]
            guard c1 >= minNext, c1 <= maxNext else { return false }
            var k = 2
            while k <= need {
                guard b[i + k] & 0xC0 == 0x80 else { return false }
                k += 1
            }
            i += need + 1
        }
        return true
    }
}
