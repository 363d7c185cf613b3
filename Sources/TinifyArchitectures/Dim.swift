// TinifyArchitectures: tensor dimensions as formulas of the hyperparameters N and M.

/// The hyperparameters of a CompressAI model: N (the transforms' width) and M (the latent width),
/// and for the models that have them, ELIC's channel groups and the VBR models' choice of a
/// variable-rate entropy bottleneck.
public struct Hyperparameters: Equatable, Sendable, CustomStringConvertible {
    /// Channels of the analysis/synthesis transforms and of z.
    public var N: Int
    /// Channels of the latent y.
    public var M: Int
    /// ELIC's channel groups (their sum is M); empty for every other model.
    public var groups: [Int]
    /// Whether a VBR model has `EntropyBottleneckVbr` and `gayn2zqstep`
    /// (`vr_entbttlnck=True`, as CompressAI's zoo builds bmshj2018-hyperprior-vbr and mbt2018-mean-vbr).
    public var variableRateBottleneck: Bool
    /// The hyperparameters N (transform channels) and M (latent channels).
    public init(N: Int, M: Int) { self.init(N: N, M: M, groups: []) }
    /// The hyperparameters N and M, ELIC's channel `groups`, and a VBR model's bottleneck choice.
    public init(N: Int, M: Int, groups: [Int], variableRateBottleneck: Bool = false) {
        self.N = N; self.M = M; self.groups = groups; self.variableRateBottleneck = variableRateBottleneck
    }
    /// The hyperparameters as `N=128 M=192`, then `groups=[16, 16, 32, 64, 192]` or `vr_entbttlnck` when set.
    public var description: String {
        "N=\(N) M=\(M)" + (groups.isEmpty ? "" : " groups=\(groups)") + (variableRateBottleneck ? " vr_entbttlnck" : "")
    }
    /// Group `k`'s channels, or 0 outside the groups.
    func group(_ k: Int) -> Int { groups.indices.contains(k) ? groups[k] : 0 }
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
    /// `num`·(channels of ELIC's group `k`).
    case group(Int, Int)
    /// The sum of two dimensions.
    indirect case sum(Dim, Dim)
    /// Layer `index`'s output width of a `sequential_channel_ramp(from, to, min_ch: floor, num_layers: 3)`:
    /// ⌊linspace(from, to, 4)[index]⌋ in float32, the inner two clipped below at `floor`.
    indirect case ramp(Dim, Dim, index: Int, floor: Dim)

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
        case .group(let k, let num): return num * h.group(k)
        case .sum(let a, let b):
            guard let x = a.value(h), let y = b.value(h) else { return nil }
            return x + y
        case .ramp(let a, let b, let index, let floor):
            guard let x = a.value(h), let y = b.value(h), let f = floor.value(h) else { return nil }
            let v = Dim.linspace4(Float(x), Float(y), index)
            let c = v.isFinite ? Int(v.rounded(.down)) : 0
            return index == 0 || index == 3 ? c : max(c, f)
        }
    }

    /// `torch.linspace(start, end, 4)[i]` in float32: the first half counts up from `start`, the
    /// second down from `end`, as ATen's range kernel does.
    static func linspace4(_ start: Float, _ end: Float, _ i: Int) -> Float {
        let step = (end - start) / 3
        return i < 2 ? start + step * Float(i) : end - step * Float(3 - i)
    }

    /// The formula as text: `3`, `N`, `2*M`, `3*M/2`, `L`.
    public var description: String {
        func f(_ s: String, _ a: Int, _ b: Int) -> String { (a == 1 ? s : "\(a)*\(s)") + (b == 1 ? "" : "/\(b)") }
        switch self {
        case .const(let c): return String(c)
        case .n(let a, let b): return f("N", a, b)
        case .m(let a, let b): return f("M", a, b)
        case .dynamic(let s): return s
        case .group(let k, let num): return num == 1 ? "g\(k)" : "\(num)*g\(k)"
        case .sum(let a, let b): return "\(a)+\(b)"
        case .ramp(let a, let b, let i, let f): return "ramp(\(a)→\(b))[\(i)]≥\(f)"
        }
    }

    /// This dimension times `k` (e.g. a subpel conv's `out·r²`).
    public func times(_ k: Int) -> Dim {
        switch self {
        case .const(let c): return .const(c * k)
        case .n(let a, let b): return .n(a * k, b)
        case .m(let a, let b): return .m(a * k, b)
        case .group(let g, let num): return .group(g, num * k)
        case .sum(let a, let b): return .sum(a.times(k), b.times(k))
        case .dynamic, .ramp: return self  // a CDF length or a ramp width is never scaled
        }
    }
}
