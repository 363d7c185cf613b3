// TinifyArchitectures: one finding of a verification, and the complete report.
import TinifyCore

/// What is wrong with one key.
public enum ProblemKind: String, Sendable, Codable {
    /// The architecture declares the key; the checkpoint lacks it.
    case missing
    /// The checkpoint has a key the architecture does not declare.
    case unexpected
    /// The shapes differ.
    case shapeMismatch = "shape_mismatch"
    /// The dtype cannot hold this tensor (an integer where a float parameter belongs, …).
    case dtypeMismatch = "dtype_mismatch"
    /// The CDF buffers of one entropy model disagree with each other.
    case inconsistentCDF = "inconsistent_cdf"
}

/// One problem found by verification.
public struct Problem: Sendable, CustomStringConvertible {
    /// What is wrong with the key.
    public let kind: ProblemKind
    /// The state-dict key the problem is about.
    public let key: String
    /// What the architecture expects (shape, dtype), if anything.
    public let expected: String?
    /// What the checkpoint has, if anything.
    public let actual: String?
    /// The module type that owns the key, when declared.
    public let module: String?

    /// A problem of `kind` with `key`, with what was expected and found.
    public init(_ kind: ProblemKind, _ key: String, expected: String? = nil, actual: String? = nil, module: String? = nil) {
        self.kind = kind; self.key = key; self.expected = expected; self.actual = actual; self.module = module
    }

    /// One line, e.g. `shape_mismatch g_a.4.weight: expected [8, 8, 5, 5], got [8, 8, 3, 3] (Conv2d)`.
    public var description: String {
        var s = "\(kind.rawValue) \(key)"
        switch (expected, actual) {
        case let (e?, a?): s += ": expected \(e), got \(a)"
        case let (e?, nil): s += ": expected \(e)"
        case let (nil, a?): s += ": \(a)"
        default: break
        }
        if let module { s += " (\(module))" }
        return s
    }
}

/// Renders a shape as `[8, 3, 5, 5]`.
func shapeText(_ s: [Int]) -> String { "[" + s.map(String.init).joined(separator: ", ") + "]" }
/// Renders a declared shape for `h`, dynamic sizes by name: `[8, L]`.
func shapeText(_ d: [Dim], _ h: Hyperparameters, _ b: [String: Int]) -> String {
    "[" + d.map { dim -> String in
        if case .dynamic(let n) = dim { return b[n].map(String.init) ?? n }
        return dim.value(h).map(String.init) ?? dim.description
    }.joined(separator: ", ") + "]"
}
