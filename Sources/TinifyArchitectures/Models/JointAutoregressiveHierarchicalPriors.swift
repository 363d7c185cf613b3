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

extension ModelDeclaration {
    /// `mbt2018`: JointAutoregressiveHierarchicalPriors(N, M): the mean-scale hyperprior's
    /// modules, then entropy_parameters (4M → 10M/3 → 8M/3 → 2M) and context_prediction
    /// (masked 5×5, M → 2M, mask type A).
    static func jointAutoregressiveHierarchicalPriors(_ s: ParameterScope) -> ModelDeclaration {
        var d = meanScaleHyperprior(s)
        d.declareContextModel(s) { .m($0, $1) }
        return d
    }
}
