// TinifySafetensors: every way a safetensors file can be refused, one case per reason, each
// naming the tensor, offset or limit involved.
import TinifyCore

/// Why a safetensors file cannot be read or written.
public enum SafetensorsError: Error, CustomStringConvertible {
    /// The file is shorter than the 8-byte header length.
    case tooSmall(size: Int)
    /// The declared header length exceeds the reference limit of 100,000,000 bytes.
    case headerTooLarge(declared: UInt64, limit: Int)
    /// The declared header runs past the end of the file.
    case headerPastEnd(declared: UInt64, available: Int)
    /// The header is not valid UTF-8.
    case headerNotUTF8
    /// The header does not start with `{`.
    case headerStart(found: UInt8?)
    /// The header is not valid JSON (what, byte offset inside the header).
    case json(String, offset: Int)
    /// The header nests deeper than the limit.
    case tooDeep(limit: Int)
    /// A name appears twice (in the header, in a tensor entry or in `__metadata__`).
    case duplicateKey(String)
    /// A tensor entry is malformed (missing field, wrong type).
    case badEntry(key: String, reason: String)
    /// A dtype name safetensors does not define.
    case unknownDType(key: String, name: String)
    /// A dtype safetensors defines but Tinify has no element type for (float8, float4, …).
    case unsupportedDType(key: String, name: String)
    /// The header declares more tensors than the limit every reader shares.
    case tooManyTensors(limit: Int)
    /// A tensor's elements are invalid (a bool other than 0 or 1).
    case badValue(TensorValueError)
    /// A tensor's rank exceeds the limit.
    case rankTooLarge(key: String, rank: Int, limit: Int)
    /// Element count or byte size overflows.
    case overflow(key: String)
    /// A tensor's offsets leave a hole or overlap the previous tensor (offsets must tile the buffer from 0).
    case invalidOffset(key: String, begin: Int, expected: Int)
    /// A tensor's `end - begin` differs from its element count times its element size.
    case sizeMismatch(key: String, expected: Int, actual: Int)
    /// The buffer the tensors cover does not end exactly at the end of the file.
    case incompleteBuffer(covered: Int, available: Int)
    /// `__metadata__` is not a map of strings to strings.
    case badMetadata(String)
    /// The tensor name is reserved (`__metadata__`).
    case reservedName(String)
    /// The header to write would exceed the reference limit.
    case headerTooLargeToWrite(bytes: Int)
    /// A tensor's dtype has no safetensors name (complex128).
    case cannotWriteDType(key: String, dtype: DType)
    /// A file could not be opened or written.
    case file(FileError)

    /// A one-line, lowercase description.
    public var description: String {
        switch self {
        case .tooManyTensors(let l): return "safetensors: more than \(l) tensors (the limit)"
        case .badValue(let e): return "safetensors: \(e)"
        case .tooSmall(let n): return "safetensors: file of \(n) bytes is too small for the 8-byte header length"
        case .headerTooLarge(let d, let l): return "safetensors: header length \(d) exceeds the limit of \(l) bytes"
        case .headerPastEnd(let d, let a): return "safetensors: header length \(d) runs past the end of the file (\(a) bytes after the length)"
        case .headerNotUTF8: return "safetensors: header is not valid UTF-8"
        case .headerStart(let b): return "safetensors: header must start with '{'" + (b.map { " (found byte 0x\(String($0, radix: 16)))" } ?? "")
        case .json(let w, let o): return "safetensors: header JSON: \(w) at byte \(o)"
        case .tooDeep(let l): return "safetensors: header JSON nests deeper than \(l)"
        case .duplicateKey(let k): return "safetensors: duplicate key '\(k)' in header"
        case .badEntry(let k, let r): return "safetensors: tensor '\(k)': \(r)"
        case .unknownDType(let k, let n): return "safetensors: tensor '\(k)': unknown dtype '\(n)'"
        case .unsupportedDType(let k, let n): return "safetensors: tensor '\(k)': dtype \(n) is not supported"
        case .rankTooLarge(let k, let r, let l): return "safetensors: tensor '\(k)': rank \(r) exceeds the limit of \(l)"
        case .overflow(let k): return "safetensors: tensor '\(k)': size overflows"
        case .invalidOffset(let k, let b, let e): return "safetensors: tensor '\(k)': data starts at \(b), expected \(e) (offsets must tile the buffer with no holes or overlaps)"
        case .sizeMismatch(let k, let e, let a): return "safetensors: tensor '\(k)': data_offsets cover \(a) bytes but dtype and shape need \(e)"
        case .incompleteBuffer(let c, let a): return "safetensors: tensors cover \(c) bytes of a \(a)-byte buffer"
        case .badMetadata(let s): return "safetensors: __metadata__: \(s)"
        case .reservedName(let s): return "safetensors: '\(s)' is reserved and cannot name a tensor"
        case .headerTooLargeToWrite(let n): return "safetensors: header of \(n) bytes would exceed the limit of 100000000"
        case .cannotWriteDType(let k, let d): return "safetensors: tensor '\(k)': \(d.name) has no safetensors dtype"
        case .file(let e): return e.description
        }
    }
}

extension SafetensorsError: TinifyError {}
