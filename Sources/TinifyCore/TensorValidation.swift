// TinifyCore: the one check of tensor values every reader applies where a tensor is read, so no
// command can write a file that Tinify itself would refuse.

/// Why a tensor's elements are invalid.
public enum TensorValueError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A bool element holds a byte other than 0 or 1.
    case badBool(key: String, element: Int, value: UInt8)

    /// One line naming the tensor.
    public var description: String {
        switch self {
        case .badBool(let k, let i, let v): return "bool tensor \(k) element \(i) holds \(v), not 0 or 1"
        }
    }
}

extension Tensor {
    /// Checks the elements' values: each bool is 0 or 1. (Floating-point values of any kind,
    /// NaN and infinities included, are valid tensor contents; the runtime defines what it does
    /// with them.) Reads the view's elements, not the whole storage; errors name `key`.
    public func validateElements(key: String) throws {
        guard dtype == .bool, count > 0 else { return }
        try contiguousBytes().withUnsafeBytes { b in
            if let bad = b.firstIndex(where: { $0 > 1 }) {
                throw TensorValueError.badBool(key: key, element: bad, value: b[bad])
            }
        }
    }
}

extension TensorValueError: TinifyError {}
