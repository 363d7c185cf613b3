// TinifyArchitectures: FactorizedPrior (`bmshj2018-factorized`) and FactorizedPriorReLU
// (`bmshj2018-factorized-relu`).
//
// Ballé, Minnen, Singh, Hwang, Johnston, "Variational image compression with a scale
// hyperprior", ICLR 2018 (the factorized-prior baseline). Mirrors
// compressai.models.google.FactorizedPrior and FactorizedPriorReLU.
//
//   x ─▶ g_a ─▶ y ─▶ Q ─▶ ŷ ─▶ g_s ─▶ x̂
//                    └─ EntropyBottleneck(M)
//
// g_a: conv(3→N) GDN conv(N→N) GDN conv(N→N) GDN conv(N→M), all 5×5 stride 2;
// g_s: the mirror with transposed convs and IGDN. The ReLU variant uses ReLU in place of GDN.

extension ModelDeclaration {
    /// `bmshj2018-factorized`: FactorizedPrior(N, M).
    static func factorizedPrior(_ s: ParameterScope) -> ModelDeclaration {
        var d = ModelDeclaration(s, bottleneck: .M)
        d.gA = gA(s)
        d.gS = gS(s)
        return d
    }

    /// `bmshj2018-factorized-relu`: FactorizedPriorReLU(N, M).
    static func factorizedPriorReLU(_ s: ParameterScope) -> ModelDeclaration {
        var d = ModelDeclaration(s, bottleneck: .M)
        d.gA = s.sequential("g_a") { q in [q.conv(.const(3), .N), q.relu(), q.conv(.N, .N), q.relu(), q.conv(.N, .N), q.relu(), q.conv(.N, .M)] }
        d.gS = s.sequential("g_s") { q in [q.deconv(.M, .N), q.relu(), q.deconv(.N, .N), q.relu(), q.deconv(.N, .N), q.relu(), q.deconv(.N, .const(3))] }
        return d
    }

    /// g_a of the Ballé/Minnen models: conv(3→N) GDN conv(N→N) GDN conv(N→N) GDN conv(N→M), 5×5 stride 2.
    static func gA(_ s: ParameterScope) -> [Layer] {
        s.sequential("g_a") { q in [q.conv(.const(3), .N), q.gdn(.N), q.conv(.N, .N), q.gdn(.N), q.conv(.N, .N), q.gdn(.N), q.conv(.N, .M)] }
    }

    /// g_s of the Ballé/Minnen models: the mirror of g_a with transposed convs and IGDN.
    static func gS(_ s: ParameterScope) -> [Layer] {
        s.sequential("g_s") { q in [q.deconv(.M, .N), q.igdn(.N), q.deconv(.N, .N), q.igdn(.N), q.deconv(.N, .N), q.igdn(.N), q.deconv(.N, .const(3))] }
    }
}
