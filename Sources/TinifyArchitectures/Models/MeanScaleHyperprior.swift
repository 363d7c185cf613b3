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

extension ModelDeclaration {
    /// `mbt2018-mean`: MeanScaleHyperprior(N, M).
    static func meanScaleHyperprior(_ s: ParameterScope) -> ModelDeclaration {
        var d = ModelDeclaration(s, bottleneck: .N)
        d.gA = gA(s)
        d.gS = gS(s)
        d.hA = meanScaleHA(s)
        d.hS = meanScaleHS(s)
        d.declareGaussianConditional(s)
        return d
    }

    /// h_a: conv(M→N, 3, 1) LReLU conv(N→N) LReLU conv(N→N).
    static func meanScaleHA(_ s: ParameterScope) -> [Layer] {
        s.sequential("h_a") { q in [q.conv(.M, .N, k: 3, stride: 1), q.leakyReLU(), q.conv(.N, .N), q.leakyReLU(), q.conv(.N, .N)] }
    }

    /// h_s: deconv(N→M) LReLU deconv(M→3M/2) LReLU conv(3M/2→2M, 3, 1).
    static func meanScaleHS(_ s: ParameterScope) -> [Layer] {
        s.sequential("h_s") { q in [q.deconv(.N, .M), q.leakyReLU(), q.deconv(.M, .m(3, 2)), q.leakyReLU(), q.conv(.m(3, 2), .m(2, 1), k: 3, stride: 1)] }
    }
}
