// TinifyArchitectures: tensor dimensions as formulas of the hyperparameters N and M.

/// The hyperparameters of a CompressAI model: N (the transforms' width) and M (the latent width).
public struct Hyperparameters: Equatable, Sendable, CustomStringConvertible {
    /// Channels of the analysis/synthesis transforms and of z.
    public var N: Int
    /// Channels of the latent y.
    public var M: Int
    /// The hyperparameters N (transform channels) and M (latent channels).
    public init(N: Int, M: Int) { self.N = N; self.M = M }
    /// The hyperparameters as `N=128 M=192`.
    public var description: String { "N=\(N) M=\(M)" }
}

/// One dimension of a declared shape: a constant, `num·N/den`, `num·M/den` (floor), or a
/// dynamic size that only the checkpoint fixes (the CDF tables).
package enum Dim: Equatable, Sendable, CustomStringConvertible {
    /// A fixed size.
    case const(Int)
    /// ⌊num·N/den⌋.
    case n(Int, Int)
    /// ⌊num·M/den⌋.
    case m(Int, Int)
    /// A size read from the checkpoint, named so that buffers that must agree share a name.
    case dynamic(String)

    /// The dimension N itself.
    public static let N = Dim.n(1, 1)
    /// The dimension M itself.
    public static let M = Dim.m(1, 1)

    /// The size for `h`, or nil when dynamic.
    public func value(_ h: Hyperparameters) -> Int? {
        switch self {
        case .const(let c): return c
        case .n(let a, let b): return h.N * a / b
        case .m(let a, let b): return h.M * a / b
        case .dynamic: return nil
        }
    }

    /// The formula as text: `3`, `N`, `2*M`, `3*M/2`, `L`.
    public var description: String {
        func f(_ s: String, _ a: Int, _ b: Int) -> String { (a == 1 ? s : "\(a)*\(s)") + (b == 1 ? "" : "/\(b)") }
        switch self {
        case .const(let c): return String(c)
        case .n(let a, let b): return f("N", a, b)
        case .m(let a, let b): return f("M", a, b)
        case .dynamic(let s): return s
        }
    }

    /// This dimension times `k` (e.g. a subpel conv's `out·r²`).
    public func times(_ k: Int) -> Dim {
        switch self {
        case .const(let c): return .const(c * k)
        case .n(let a, let b): return .n(a * k, b)
        case .m(let a, let b): return .m(a * k, b)
        case .dynamic: return self
        }
    }
}
