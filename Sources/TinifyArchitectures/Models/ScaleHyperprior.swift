// TinifyArchitectures: ScaleHyperprior (`bmshj2018-hyperprior`).
//
// Ballé, Minnen, Singh, Hwang, Johnston, "Variational image compression with a scale
// hyperprior", ICLR 2018. Mirrors compressai.models.google.ScaleHyperprior.
//
//   x ─▶ g_a ─▶ y ─┬──────────────▶ Q ─▶ ŷ ─▶ g_s ─▶ x̂
//                  │ |y|                 ▲ GaussianConditional(σ)
//                  └─▶ h_a ─▶ z ─▶ Q ─▶ ẑ ─▶ h_s ─▶ σ
//                              EntropyBottleneck(N)

extension ModelDeclaration {
    /// `bmshj2018-hyperprior`: ScaleHyperprior(N, M).
    static func scaleHyperprior(_ s: ParameterScope) -> ModelDeclaration {
        var d = ModelDeclaration(s, bottleneck: .N)
        d.gA = gA(s)
        d.gS = gS(s)
        d.hA = s.sequential("h_a") { q in [q.conv(.M, .N, k: 3, stride: 1), q.relu(), q.conv(.N, .N), q.relu(), q.conv(.N, .N)] }
        d.hS = s.sequential("h_s") { q in [q.deconv(.N, .N), q.relu(), q.deconv(.N, .N), q.relu(), q.conv(.N, .M, k: 3, stride: 1), q.relu()] }
        d.declareGaussianConditional(s)
        return d
    }
}
