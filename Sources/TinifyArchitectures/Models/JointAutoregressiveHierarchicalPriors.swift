// TinifyArchitectures: JointAutoregressiveHierarchicalPriors (`mbt2018`).
//
// Minnen, Ballé, Toderici, "Joint Autoregressive and Hierarchical Priors for Learned Image
// Compression", NeurIPS 2018. Mirrors compressai.models.google.JointAutoregressiveHierarchicalPriors.
//
//   x ─▶ g_a ─▶ y ─┬──────────────▶ Q ─▶ ŷ ─▶ g_s ─▶ x̂
//                  │                     │ ▲ GaussianConditional(σ, μ)
//                  │        context_prediction(ŷ) ─┐
//                  └─▶ h_a ─▶ z ─▶ Q ─▶ ẑ ─▶ h_s ─▶ params ─▶ entropy_parameters ─▶ (σ, μ)
//                              EntropyBottleneck(N)

/// `mbt2018`: JointAutoregressiveHierarchicalPriors(N, M).
package struct JointAutoregressiveHierarchicalPriorsDeclaration: CompressionArchitecture {
    /// `mbt2018`.
    package static let id = Architecture.mbt2018
    /// N and M.
    package let hyperparameters: Hyperparameters
    /// EntropyBottleneck(N) on z.
    package let entropyBottleneck: EntropyBottleneck
    /// Transforms.
    package let gA: [Layer], gS: [Layer], hA: [Layer], hS: [Layer]
    /// The Gaussian conditional on y.
    package let gaussianConditional: GaussianConditional
    /// 1×1 convs 4M → 10M/3 → 8M/3 → 2M.
    package let entropyParameters: [Layer]
    /// Masked 5×5 conv M → 2M (mask type A).
    package let contextPrediction: MaskedConv2d

    /// Declares (and binds) the model's tensors through `s`.
    package init(_ s: ParameterScope) {
        hyperparameters = s.hyperparameters
        entropyBottleneck = s.child("entropy_bottleneck", "EntropyBottleneck") { EntropyBottleneck($0, .N) }
        gA = FactorizedPriorDeclaration.gA(s)
        gS = FactorizedPriorDeclaration.gS(s)
        hA = MeanScaleHyperpriorDeclaration.hA(s)
        hS = MeanScaleHyperpriorDeclaration.hS(s)
        gaussianConditional = s.child("gaussian_conditional", "GaussianConditional") { GaussianConditional($0) }
        entropyParameters = s.sequential("entropy_parameters") { q in
            [q.conv(.m(12, 3), .m(10, 3), k: 1, stride: 1), q.leakyReLU(), q.conv(.m(10, 3), .m(8, 3), k: 1, stride: 1), q.leakyReLU(),
             q.conv(.m(8, 3), .m(6, 3), k: 1, stride: 1)]
        }
        contextPrediction = s.child("context_prediction", "MaskedConv2d") { MaskedConv2d($0, .M, .m(2, 1)) }
    }
}
