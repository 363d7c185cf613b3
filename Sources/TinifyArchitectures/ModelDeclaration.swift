// TinifyArchitectures: what one architecture declares — its modules, in the order CompressAI
// registers them (which is the state dict's order) — and the registry from an architecture to
// its declaration. Each architecture's own file (Models/) declares it once, as one function.

/// An architecture's modules, declared (and, over a store, bound) through a `ParameterScope`.
package struct ModelDeclaration: Sendable {
    /// N and M the shapes were evaluated with.
    package let hyperparameters: Hyperparameters
    /// The entropy bottleneck (on y for the factorized models, on z for the others).
    package let entropyBottleneck: EntropyBottleneck
    /// The analysis and synthesis transforms.
    package var gA: [Layer] = [], gS: [Layer] = []
    /// The hyper-analysis and hyper-synthesis transforms (empty for the factorized models).
    package var hA: [Layer] = [], hS: [Layer] = []
    /// The Gaussian conditional on y (nil for the factorized models).
    package var gaussianConditional: GaussianConditional?
    /// The 1×1 convolutions from context and hyperprior to (scales, means) (autoregressive models).
    package var entropyParameters: [Layer] = []
    /// The masked 5×5 context model (autoregressive models).
    package var contextPrediction: MaskedConv2d?
    /// The variable-rate models' gain and small networks (nil for every other model).
    package var variableRate: VariableRateModules?
    /// The checkerboard latent codecs: one for cheng2020-anchor-checkerboard, one per channel
    /// group for ELIC (empty for every other model).
    package var checkerboard: [CheckerboardLatentCodec] = []
    /// ELIC's channel-context transforms, for groups 1…G−1 (`latent_codec.y.channel_context.y{k}`).
    package var channelContext: [[Layer]] = []

    /// Starts a declaration with CompressAI's first module, `entropy_bottleneck` over `channels`
    /// (an `EntropyBottleneckVbr` when the hyperparameters ask for the variable-rate bottleneck).
    package init(_ s: ParameterScope, bottleneck channels: Dim) {
        hyperparameters = s.hyperparameters
        let vbr = s.hyperparameters.variableRateBottleneck
        entropyBottleneck = s.child("entropy_bottleneck", vbr ? "EntropyBottleneckVbr" : "EntropyBottleneck") {
            EntropyBottleneck($0, channels, variableRate: vbr)
        }
    }

    /// A declaration whose entropy bottleneck was declared elsewhere (inside a latent codec).
    package init(_ h: Hyperparameters, entropyBottleneck: EntropyBottleneck) {
        hyperparameters = h
        self.entropyBottleneck = entropyBottleneck
    }

    /// N, the channels of the transforms.
    package var N: Int { hyperparameters.N }
    /// M, the channels of the latent.
    package var M: Int { hyperparameters.M }

    /// Declares `gaussian_conditional`.
    package mutating func declareGaussianConditional(_ s: ParameterScope) {
        gaussianConditional = s.child("gaussian_conditional", "GaussianConditional") { GaussianConditional($0) }
    }

    /// Declares mbt2018's context model over `c` latent channels: `entropy_parameters` (1×1
    /// convs 4c → 10c/3 → 8c/3 → 2c with LeakyReLU) and `context_prediction` (masked 5×5, c → 2c).
    package mutating func declareContextModel(_ s: ParameterScope, _ c: (Int, Int) -> Dim) {
        entropyParameters = s.sequential("entropy_parameters") { Self.mbt2018EntropyParameters($0, c) }
        contextPrediction = s.child("context_prediction", "MaskedConv2d") { MaskedConv2d($0, c(1, 1), c(2, 1)) }
    }
}

extension Architecture {
    /// Declares (and, over a store, binds) this architecture's tensors through `s`.
    package func declare(_ s: ParameterScope) -> ModelDeclaration {
        switch self {
        case .bmshj2018Factorized: return .factorizedPrior(s)
        case .bmshj2018FactorizedReLU: return .factorizedPriorReLU(s)
        case .bmshj2018Hyperprior: return .scaleHyperprior(s)
        case .mbt2018Mean: return .meanScaleHyperprior(s)
        case .mbt2018: return .jointAutoregressiveHierarchicalPriors(s)
        case .cheng2020Anchor: return .cheng2020(s, attention: false)
        case .cheng2020Attention: return .cheng2020(s, attention: true)
        case .bmshj2018HyperpriorVbr: return .variableRate(s) { .scaleHyperprior($0) }
        case .mbt2018MeanVbr: return .variableRate(s) { .meanScaleHyperprior($0) }
        case .mbt2018Vbr: return .variableRate(s, scaleToContext: true) { .jointAutoregressiveHierarchicalPriors($0) }
        case .cheng2020AnchorCheckerboard: return .cheng2020AnchorCheckerboard(s)
        case .elic2022Official: return .elic2022(s, chandelier: false)
        case .elic2022Chandelier: return .elic2022(s, chandelier: true)
        }
    }
}
