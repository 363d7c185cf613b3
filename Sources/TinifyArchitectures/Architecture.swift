// TinifyArchitectures: the thirteen image architectures of CompressAI's model registry — the
// seven of compressai.zoo.image, the three variable-rate ones of compressai.zoo.image_vbr, the
// checkerboard model and ELIC (compressai.models.sensetime) — and the zoo tables (quality → N, M).

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
    /// `ScaleHyperpriorVbr` (Kamisli, Racapé, Choi 2024): bmshj2018-hyperprior with one model for every rate.
    case bmshj2018HyperpriorVbr = "bmshj2018-hyperprior-vbr"
    /// `MeanScaleHyperpriorVbr`: the variable-rate mbt2018-mean.
    case mbt2018MeanVbr = "mbt2018-mean-vbr"
    /// `JointAutoregressiveHierarchicalPriorsVbr`: the variable-rate mbt2018.
    case mbt2018Vbr = "mbt2018-vbr"
    /// `Cheng2020AnchorCheckerboard` (He et al. 2021): cheng2020-anchor with a two-pass checkerboard context.
    case cheng2020AnchorCheckerboard = "cheng2020-anchor-checkerboard"
    /// `Elic2022Official` (He et al. 2022): uneven channel groups, each with a checkerboard context.
    case elic2022Official = "elic2022-official"
    /// `Elic2022Chandelier`: ELIC whose channel context reads the first and the latest group only.
    case elic2022Chandelier = "elic2022-chandelier"

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
        case .bmshj2018HyperpriorVbr: return "ScaleHyperpriorVbr"
        case .mbt2018MeanVbr: return "MeanScaleHyperpriorVbr"
        case .mbt2018Vbr: return "JointAutoregressiveHierarchicalPriorsVbr"
        case .cheng2020AnchorCheckerboard: return "Cheng2020AnchorCheckerboard"
        case .elic2022Official: return "Elic2022Official"
        case .elic2022Chandelier: return "Elic2022Chandelier"
        }
    }

    /// Whether M is tied to N (Cheng2020 and its checkerboard variant).
    public var mEqualsN: Bool { self == .cheng2020Anchor || self == .cheng2020Attention || self == .cheng2020AnchorCheckerboard }

    /// Whether this is one of the variable-rate models (one model, many quantisation steps).
    public var isVariableRate: Bool { self == .bmshj2018HyperpriorVbr || self == .mbt2018MeanVbr || self == .mbt2018Vbr }

    /// Whether this is ELIC (channel groups; the group sizes are hyperparameters).
    public var hasChannelGroups: Bool { self == .elic2022Official || self == .elic2022Chandelier }

    /// Whether the latent codecs sit under `latent_codec.` (the checkerboard model and ELIC).
    public var usesLatentCodecs: Bool { self == .cheng2020AnchorCheckerboard || hasChannelGroups }

    /// The keys `from_state_dict` reads N and M from (dimension 0 of each).
    public var probes: (n: String, m: String?) {
        if mEqualsN { return ("g_a.0.conv1.weight", nil) }
        return hasChannelGroups ? ("g_a.0.weight", "g_a.13.weight") : ("g_a.0.weight", "g_a.6.weight")
    }

    /// The most channel groups an ELIC state dict is read with (CompressAI's default has 5).
    public static let maxChannelGroups = 64

    /// ELIC's default channel groups for M: `[16, 16, 32, 64, M − 128]`.
    public static func defaultGroups(M: Int) -> [Int] { [16, 16, 32, 64, M - 128] }

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
        case .bmshj2018HyperpriorVbr, .mbt2018MeanVbr:
            // compressai.zoo.image_vbr ignores the quality: one model covers every rate.
            return Hyperparameters(N: 192, M: 320, groups: [], variableRateBottleneck: true)
        case .mbt2018Vbr:
            return Hyperparameters(N: 192, M: 320)
        case .cheng2020AnchorCheckerboard, .elic2022Official, .elic2022Chandelier:
            return nil
        }
    }

    /// The qualities the zoo publishes (empty for the models the zoo has no weights for; the
    /// variable-rate models have one model for every rate, listed as quality 1).
    public var zooQualities: [Int] {
        switch self {
        case .cheng2020Anchor, .cheng2020Attention: return Array(1...6)
        case .bmshj2018HyperpriorVbr, .mbt2018MeanVbr, .mbt2018Vbr: return [1]
        case .cheng2020AnchorCheckerboard, .elic2022Official, .elic2022Chandelier: return []
        default: return Array(1...8)
        }
    }

    /// Every declaration of this architecture at `h`, in state-dict order.
    package func declarations(_ h: Hyperparameters) -> [TensorDecl] {
        let s = ParameterScope(recording: h)
        _ = declare(s)
        return s.declarations
    }
}
