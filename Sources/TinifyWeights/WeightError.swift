// TinifyWeights: errors turning a pickle's values into tensors and a weight store.
import TinifyCore
import TinifyContainer
import TinifyPickle

/// An error decoding a checkpoint's values, with the key path, storage or limit involved.
public enum WeightError: Error, CustomStringConvertible {
    /// The container failed.
    case container(ContainerError)
    /// The pickle failed.
    case pickle(PickleError)
    /// A storage reference is malformed.
    case badStorageReference(String)
    /// A storage's record holds other than what its reference declares.
    case storageSize(key: String, declared: Int, actual: Int)
    /// A tensor's view does not fit its storage.
    case badView(path: String, TensorViewError)
    /// An allow-listed call has the wrong arguments.
    case badCall(String, reason: String)
    /// A value nests deeper than the limit, or expands past the node budget, or refers to itself.
    case limitExceeded(what: String, limit: Int)
    /// A tensor's elements are invalid (a bool other than 0 or 1).
    case badValue(TensorValueError)
    /// A dtype Tinify cannot represent.
    case unsupportedDType(String)
    /// A file could not be read.
    case file(FileError)

    /// A one-line, lowercase description (control characters quoted from the file escaped).
    public var description: String { ErrorText.oneLine(text) }

    private var text: String {
        switch self {
        case .container(let e): return e.description
        case .pickle(let e): return e.description
        case .badStorageReference(let s): return "bad storage reference: \(s)"
        case .storageSize(let k, let d, let a): return "storage '\(k)' declares \(d) bytes but its record holds \(a)"
        case .badView(let p, let e): return "tensor '\(p)': \(e.description)"
        case .badCall(let f, let r): return "\(f): \(r)"
        case .limitExceeded(let w, let l): return "\(w) exceeds the limit of \(l)"
        case .badValue(let e): return e.description
        case .unsupportedDType(let s): return "unsupported dtype \(s)"
        case .file(let e): return e.description
        }
    }
}

extension WeightError: TinifyError {}
