// TinifyArchitectures: MeanScaleHyperprior (`mbt2018-mean`).
//
// Minnen, Ballé, Toderici, "Joint Autoregressive and Hierarchical Priors for Learned Image
// Compression", NeurIPS 2018 (the mean-scale hyperprior without context model). Mirrors
// compressai.models.google.MeanScaleHyperprior.
//
//   x ─▶ g_a ─▶ y ─┬────────────▶ Q ─▶ ŷ ─▶ g_s ─▶ x̂
//                  │                  ▲ GaussianConditional(σ, μ)
//                  └─▶ h_a ─▶ z ─▶ Q ─▶ ẑ ─▶ h_s ─▶ (σ, μ) = split(2M)
//                              EntropyBottleneck(N)

/// `mbt2018-mean`: MeanScaleHyperprior(N, M).
package struct MeanScaleHyperpriorDeclaration: CompressionArchitecture {
    /// `mbt2018-mean`.
    package static let id = Architecture.mbt2018Mean
    /// N and M.
    package let hyperparameters: Hyperparameters
    /// EntropyBottleneck(N) on z.
    package let entropyBottleneck: EntropyBottleneck
    /// Transforms.
    package let gA: [Layer], gS: [Layer], hA: [Layer], hS: [Layer]
    /// The Gaussian conditional on y.
    package let gaussianConditional: GaussianConditional

    /// Declares (and binds) the model's tensors through `s`.
    package init(_ s: ParameterScope) {
        hyperparameters = s.hyperparameters
        entropyBottleneck = s.child("entropy_bottleneck", "EntropyBottleneck") { EntropyBottleneck($0, .N) }
        gA = FactorizedPriorDeclaration.gA(s)
        gS = FactorizedPriorDeclaration.gS(s)
        hA = MeanScaleHyperpriorDeclaration.hA(s)
        hS = MeanScaleHyperpriorDeclaration.hS(s)
        gaussianConditional = s.child("gaussian_conditional", "GaussianConditional") { GaussianConditional($0) }
    }

    /// h_a: conv(M→N, 3, 1) LReLU conv(N→N) LReLU conv(N→N).
    static func hA(_ s: ParameterScope) -> [Layer] {
        s.sequential("h_a") { q in [q.conv(.M, .N, k: 3, stride: 1), q.leakyReLU(), q.conv(.N, .N), q.leakyReLU(), q.conv(.N, .N)] }
    }
    /// h_s: deconv(N→M) LReLU deconv(M→3M/2) LReLU conv(3M/2→2M, 3, 1).
    static func hS(_ s: ParameterScope) -> [Layer] {
        s.sequential("h_s") { q in [q.deconv(.N, .M), q.leakyReLU(), q.deconv(.M, .m(3, 2)), q.leakyReLU(), q.conv(.m(3, 2), .m(2, 1), k: 3, stride: 1)] }
    }
}
