// TinifyArchitectures: the seven zoo architectures, their registry entries and the zoo tables
// of compressai.zoo.image (quality → N, M).

/// The zoo names, exactly as `compressai.zoo.image_models` spells them.
public enum Architecture: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// `FactorizedPrior` (Ballé et al. 2018): GDN transforms, a factorized prior on y.
    case bmshj2018Factorized = "bmshj2018-factorized"
    /// `FactorizedPriorReLU`: the factorized-prior model with ReLU in place of GDN.
    case bmshj2018FactorizedReLU = "bmshj2018-factorized-relu"
    /// `ScaleHyperprior` (Ballé et al. 2018): a hyperprior predicts the scales of y.
    case bmshj2018Hyperprior = "bmshj2018-hyperprior"
    /// `MeanScaleHyperprior` (Minnen et al. 2018): the hyperprior predicts means and scales.
    case mbt2018Mean = "mbt2018-mean"
    /// `JointAutoregressiveHierarchicalPriors` (Minnen et al. 2018): a context model beside the hyperprior.
    case mbt2018 = "mbt2018"
    /// `Cheng2020Anchor` (Cheng et al. 2020): residual transforms with the mbt2018 context model.
    case cheng2020Anchor = "cheng2020-anchor"
    /// `Cheng2020Attention` (Cheng et al. 2020): the anchor with attention blocks.
    case cheng2020Attention = "cheng2020-attn"

    /// The zoo name, as `compressai.zoo.image_models` spells it.
    public var description: String { rawValue }

    /// The name of the CompressAI class this architecture is.
    public var className: String {
        switch self {
        case .bmshj2018Factorized: return "FactorizedPrior"
        case .bmshj2018FactorizedReLU: return "FactorizedPriorReLU"
        case .bmshj2018Hyperprior: return "ScaleHyperprior"
        case .mbt2018Mean: return "MeanScaleHyperprior"
        case .mbt2018: return "JointAutoregressiveHierarchicalPriors"
        case .cheng2020Anchor: return "Cheng2020Anchor"
        case .cheng2020Attention: return "Cheng2020Attention"
        }
    }

    /// Whether M is tied to N (Cheng2020).
    public var mEqualsN: Bool { self == .cheng2020Anchor || self == .cheng2020Attention }

    /// The keys `from_state_dict` reads N and M from (dimension 0 of each).
    public var probes: (n: String, m: String?) {
        mEqualsN ? ("g_a.0.conv1.weight", nil) : ("g_a.0.weight", "g_a.6.weight")
    }

    /// The input size multiple the model needs (64, or 16 for the factorized models).
    public var downsamplingFactor: Int { self == .bmshj2018Factorized || self == .bmshj2018FactorizedReLU ? 16 : 64 }

    /// The zoo's (N, M) for `quality`, or nil when the zoo has no such quality.
    public func zoo(quality q: Int) -> Hyperparameters? {
        switch self {
        case .bmshj2018Factorized, .bmshj2018FactorizedReLU, .bmshj2018Hyperprior:
            return (1...5).contains(q) ? Hyperparameters(N: 128, M: 192) : (6...8).contains(q) ? Hyperparameters(N: 192, M: 320) : nil
        case .mbt2018Mean:
            return (1...4).contains(q) ? Hyperparameters(N: 128, M: 192) : (5...8).contains(q) ? Hyperparameters(N: 192, M: 320) : nil
        case .mbt2018:
            return (1...4).contains(q) ? Hyperparameters(N: 192, M: 192) : (5...8).contains(q) ? Hyperparameters(N: 192, M: 320) : nil
        case .cheng2020Anchor, .cheng2020Attention:
            return (1...3).contains(q) ? Hyperparameters(N: 128, M: 128) : (4...6).contains(q) ? Hyperparameters(N: 192, M: 192) : nil
        }
    }

    /// The qualities the zoo publishes.
    public var zooQualities: ClosedRange<Int> { mEqualsN ? 1...6 : 1...8 }

    /// Every declaration of this architecture at `h`, in state-dict order.
    package func declarations(_ h: Hyperparameters) -> [TensorDecl] {
        let s = ParameterScope(recording: h)
        _ = declare(s)
        return s.declarations
    }
}
