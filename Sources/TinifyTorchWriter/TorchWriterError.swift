// TinifyTorchWriter: why a torch zip cannot be written.
import TinifyCore

/// An error writing a torch checkpoint.
public enum TorchWriterError: Error, CustomStringConvertible {
    /// Two tensors have the same key.
    case duplicateKey(String)
    /// A size does not fit the format (a record or archive beyond what ZIP64 can describe).
    case tooLarge(String)
    /// A file could not be written.
    case file(FileError)

    /// A one-line, lowercase description.
    public var description: String {
        switch self {
        case .duplicateKey(let k): return "torch writer: duplicate key '\(k)'"
        case .tooLarge(let w): return "torch writer: \(w) is too large"
        case .file(let e): return e.description
        }
    }
}

extension TorchWriterError: TinifyError {}
