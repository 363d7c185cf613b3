// TinifyArchitectures: what one declared tensor is: key, shape formula, role, element kind.

/// Whether a tensor is learned, a fixed buffer, or a buffer whose shape the checkpoint decides.
package enum Role: String, Sendable, Codable {
    /// An `nn.Parameter`.
    case parameter
    /// A registered buffer of fixed shape.
    case buffer
    /// A buffer sized by `update()` (the CDF tables and the scale table); empty before it runs.
    case dynamicBuffer = "dynamic_buffer"

    /// `parameter` or `buffer`, as PyTorch's state dict classes them (the HDF5 `role` attribute).
    package var torchRole: String { self == .parameter ? "parameter" : "buffer" }
}

/// The element types a tensor may have.
package enum ElementKind: String, Sendable, Codable {
    /// Any floating-point dtype (float16, bfloat16, float32, float64): CompressAI casts on load.
    case float
    /// An integer dtype (the CDF tables are int32).
    case integer

    /// The dtype CompressAI itself uses.
    package var canonicalDType: String { self == .float ? "float32" : "int32" }
}

/// One tensor of an architecture's state dict.
package struct TensorDecl: Sendable {
    /// The full PyTorch key, e.g. `g_a.1.gamma`.
    package let key: String
    /// The shape as formulas of N and M.
    package let shape: [Dim]
    /// Parameter, buffer or dynamic buffer.
    package let role: Role
    /// The element kind.
    package let kind: ElementKind
    /// The module type that owns it, e.g. `GDN`, `EntropyBottleneck`.
    package let module: String

    /// The concrete shape for `h`, dynamic dimensions taken from `bindings`.
    package func shape(for h: Hyperparameters, bindings: [String: Int] = [:]) -> [Int?] {
        shape.map { d in
            if case .dynamic(let name) = d { return bindings[name] }
            return d.value(h)
        }
    }
}
