// TinifyRuntime: errors of entropy coding — a checkpoint's CDF tables that cannot code, symbols
// out of range, and bitstreams that are truncated or malformed. Bitstreams are untrusted input:
// every read is bounded by the stream's length and every count by a limit.
import TinifyCore

/// Why symbols cannot be coded or a bitstream cannot be decoded.
public enum CodingError: Error, CustomStringConvertible, Equatable {
    /// The checkpoint's CDF buffers (`_quantized_cdf`, `_offset`, `_cdf_length`) cannot be used.
    case badTable(key: String, reason: String)
    /// The entropy model has no CDF tables (`update()` has not been run on this checkpoint).
    case notUpdated(prefix: String)
    /// A CDF index lies outside the table.
    case indexOutOfRange(index: Int, rows: Int)
    /// The bitstream ends before the decoder has read everything it needs.
    case truncated(atByte: Int)
    /// The bitstream's length is not a whole number of 32-bit words, or is below the 8-byte minimum.
    case badLength(Int)
    /// A bypass-coded value declares more 4-bit chunks than a 32-bit value can hold.
    case badEscape(atByte: Int, chunks: Int)
    /// A decoded value does not fit in 32 bits.
    case valueOutOfRange(Int)
    /// A symbol stream for a latent has the wrong size.
    case shapeMismatch(String)
    /// A compressed-image container is malformed.
    case badContainer(String)

    /// The fact, in one line, with the byte, index or key involved.
    public var description: String {
        switch self {
        case .badTable(let k, let r): return "cannot code with \(k): \(r)"
        case .notUpdated(let p): return "\(p) has no CDF tables: update() has not run"
        case .indexOutOfRange(let i, let n): return "cdf index \(i) outside a table of \(n) rows"
        case .truncated(let b): return "bitstream truncated at byte \(b)"
        case .badLength(let n): return "bitstream of \(n) bytes (a multiple of 4, at least 8, expected)"
        case .badEscape(let b, let c): return "escape code with \(c) 4-bit chunks at byte \(b) (at most 8)"
        case .valueOutOfRange(let v): return "value \(v) does not fit in a 32-bit symbol"
        case .shapeMismatch(let s): return "shape mismatch: \(s)"
        case .badContainer(let s): return "bad compressed file: \(s)"
        }
    }
}

extension CodingError: TinifyError {}
