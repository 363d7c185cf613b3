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

    /// Starts a declaration with CompressAI's first module, `entropy_bottleneck` over `channels`.
    package init(_ s: ParameterScope, bottleneck channels: Dim) {
        hyperparameters = s.hyperparameters
        entropyBottleneck = s.child("entropy_bottleneck", "EntropyBottleneck") { EntropyBottleneck($0, channels) }
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
        entropyParameters = s.sequential("entropy_parameters") { q in
            [q.conv(c(12, 3), c(10, 3), k: 1, stride: 1), q.leakyReLU(), q.conv(c(10, 3), c(8, 3), k: 1, stride: 1), q.leakyReLU(),
             q.conv(c(8, 3), c(6, 3), k: 1, stride: 1)]
        }
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
        }
    }
}
