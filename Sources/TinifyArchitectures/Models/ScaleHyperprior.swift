// TinifyArchitectures: ScaleHyperprior (`bmshj2018-hyperprior`).
//
// Ballé, Minnen, Singh, Hwang, Johnston, "Variational image compression with a scale
// hyperprior", ICLR 2018. Mirrors compressai.models.google.ScaleHyperprior.
//
//   x ─▶ g_a ─▶ y ─┬──────────────▶ Q ─▶ ŷ ─▶ g_s ─▶ x̂
//                  │ |y|                 ▲ GaussianConditional(σ)
//                  └─▶ h_a ─▶ z ─▶ Q ─▶ ẑ ─▶ h_s ─▶ σ
//                              EntropyBottleneck(N)

/// `bmshj2018-hyperprior`: ScaleHyperprior(N, M).
package struct ScaleHyperpriorDeclaration: CompressionArchitecture {
    /// `bmshj2018-hyperprior`.
    package static let id = Architecture.bmshj2018Hyperprior
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
        hA = s.sequential("h_a") { q in [q.conv(.M, .N, k: 3, stride: 1), q.relu(), q.conv(.N, .N), q.relu(), q.conv(.N, .N)] }
        hS = s.sequential("h_s") { q in [q.deconv(.N, .N), q.relu(), q.deconv(.N, .N), q.relu(), q.conv(.N, .M, k: 3, stride: 1), q.relu()] }
        gaussianConditional = s.child("gaussian_conditional", "GaussianConditional") { GaussianConditional($0) }
    }
}
