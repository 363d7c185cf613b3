// TinifyHDF5: why an HDF5 weights file cannot be read or written.
import TinifyCore

/// An error reading or writing an HDF5 weights file, naming the dataset, key or call involved.
public enum HDF5Error: Error, CustomStringConvertible {
    /// A libhdf5 call failed; `message` is the innermost entry of its error stack.
    case library(operation: String, message: String)
    /// Two keys need the same HDF5 path, or one needs a dataset where the other needs a group
    /// (`a.b` beside `a.b.c`).
    case keyCollision(key: String, other: String)
    /// Two tensors (or two datasets' `key` attributes) have the same key.
    case duplicateKey(String)
    /// A key HDF5 attributes cannot hold (it contains a NUL character).
    case unsupportedKey(String, reason: String)
    /// The file does not follow the layout (no `/state_dict` group, another `format`).
    case notWeightsLayout(String)
    /// The file's `format_version` is newer than this reader.
    case unsupportedFormatVersion(String)
    /// A dataset's HDF5 type has no Tinify dtype.
    case unsupportedType(path: String, description: String)
    /// A dataset's `dtype` attribute contradicts its HDF5 type.
    case dtypeMismatch(path: String, attribute: String, stored: String)
    /// A dataset's dataspace is unusable (null dataspace, overflowing size).
    case badDataspace(path: String, reason: String)
    /// An attribute is of the wrong kind.
    case badAttribute(path: String, name: String, reason: String)
    /// A dataset's contents are invalid (a bool other than 0 or 1, stored bytes past the file).
    case badData(path: String, reason: String)
    /// A soft, external or user-defined link inside `/state_dict`.
    case unsupportedLink(path: String, kind: String)
    /// A dataset stored in a way this reader refuses (external storage, virtual layout, a filter
    /// plugin): its data could come from outside the file or from code the file chooses.
    case unsupportedStorage(path: String, reason: String)
    /// The helper process that runs libhdf5 on the file did not finish (it crashed, was killed
    /// at a limit, or wrote a malformed answer).
    case scanFailed(reason: String)
    /// The helper process refused the file: its own one-line error, verbatim.
    case refusedByScan(String)
    /// Nesting, dataset count or another limit exceeded.
    case limitExceeded(what: String, limit: Int)
    /// A file could not be opened or written.
    case file(FileError)

    /// A one-line, lowercase description.
    public var description: String {
        switch self {
        case .library(let op, let m): return "hdf5: \(op) failed" + (m.isEmpty ? "" : ": \(m)")
        case .keyCollision(let k, let o): return "hdf5: key '\(k)' collides with key '\(o)' (one would be both a group and a dataset)"
        case .duplicateKey(let k): return "hdf5: duplicate key '\(k)'"
        case .unsupportedKey(let k, let r): return "hdf5: key '\(k.prefix(80))' \(r)"
        case .notWeightsLayout(let s): return "hdf5: not a Tinify weights file: \(s)"
        case .unsupportedFormatVersion(let v): return "hdf5: format_version \(v) is newer than this Tinify reads (1)"
        case .unsupportedType(let p, let d): return "hdf5: dataset '\(p)': unsupported type (\(d))"
        case .dtypeMismatch(let p, let a, let s): return "hdf5: dataset '\(p)': dtype attribute says \(a) but the data is \(s)"
        case .badDataspace(let p, let r): return "hdf5: dataset '\(p)': \(r)"
        case .badAttribute(let p, let n, let r): return "hdf5: '\(p)': attribute '\(n)' \(r)"
        case .badData(let p, let r): return "hdf5: dataset '\(p)': \(r)"
        case .unsupportedLink(let p, let k): return "hdf5: '\(p)' is a \(k) link (only hard links are read)"
        case .unsupportedStorage(let p, let r): return "hdf5: dataset '\(p)': \(r) is not read"
        case .scanFailed(let r): return "hdf5: \(r)"
        case .refusedByScan(let r): return r
        case .limitExceeded(let w, let l): return "hdf5: \(w) exceeds the limit of \(l)"
        case .file(let e): return e.description
        }
    }
}

extension HDF5Error: TinifyError {}
