// TinifyContainer: errors in the outer file structure (zip, legacy stream, sniffing).
import TinifyCore
import TinifyPickle

/// An error in a checkpoint's container, with the offset, record or limit involved.
public enum ContainerError: Error, CustomStringConvertible {
    /// The file is empty.
    case empty
    /// The file is something other than a weights checkpoint; the text says what it looks like.
    case notACheckpoint(String)
    /// A format Tinify recognises but does not read (tar, TorchScript).
    case unsupported(String)
    /// The zip structure is broken or hostile.
    case zip(String, offset: Int)
    /// A required record is missing.
    case missingRecord(String)
    /// A record's size is not what the checkpoint declares.
    case recordSize(name: String, expected: Int, actual: Int)
    /// A record is larger than the limit for its kind.
    case recordTooLarge(name: String, size: Int, limit: Int)
    /// Inflating a compressed record failed, or produced other than its declared size.
    case inflate(name: String, reason: String)
    /// The legacy stream format is broken.
    case legacy(String, offset: Int)
    /// A pickle inside the container failed.
    case pickle(PickleError)

    /// A one-line, lowercase description (control characters quoted from the file escaped).
    public var description: String { ErrorText.oneLine(text) }

    private var text: String {
        switch self {
        case .empty: return "empty file"
        case .notACheckpoint(let s): return "not a PyTorch weights checkpoint: \(s)"
        case .unsupported(let s): return "unsupported: \(s)"
        case .zip(let s, let o): return "zip archive: \(s) (offset \(o))"
        case .missingRecord(let n): return "record '\(n)' missing from the archive"
        case .recordSize(let n, let e, let a): return "record '\(n)' holds \(a) bytes but the checkpoint declares \(e)"
        case .recordTooLarge(let n, let s, let l): return "record '\(n)' declares \(s) bytes, over the limit of \(l)"
        case .inflate(let n, let r): return "record '\(n)': \(r)"
        case .legacy(let s, let o): return "legacy stream: \(s) (offset \(o))"
        case .pickle(let e): return e.description
        }
    }
}

extension ContainerError: TinifyError {}
