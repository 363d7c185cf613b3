// TinifyArchitectures: Cheng2020Anchor (`cheng2020-anchor`) and Cheng2020Attention (`cheng2020-attn`).
//
// Cheng, Sun, Takeuchi, Katto, "Learned Image Compression with Discretized Gaussian Mixture
// Likelihoods and Attention Modules", CVPR 2020. Mirrors compressai.models.waseda.Cheng2020Anchor
// and Cheng2020Attention (both with CompressAI's single-Gaussian entropy model, M = N).
//
//   x ─▶ g_a (residual blocks [+ attention]) ─▶ y ─▶ … as mbt2018 … ─▶ g_s (residual
//   upsampling blocks [+ attention], subpel) ─▶ x̂
//
// h_a: five 3×3 convs (strides 1,1,2,1,2) with LReLU; h_s: conv3x3, subpel×2, conv3x3,
// subpel×2, conv3x3 to 2N; entropy_parameters and context_prediction as in mbt2018 with M = N.

extension ModelDeclaration {
    /// `cheng2020-anchor` (`attention` false) or `cheng2020-attn`: Cheng2020Anchor(N) or
    /// Cheng2020Attention(N), M = N.
    static func cheng2020(_ s: ParameterScope, attention: Bool) -> ModelDeclaration {
        var d = ModelDeclaration(s, bottleneck: .N)
        d.gA = cheng2020GA(s, attention: attention)
        d.gS = cheng2020GS(s, attention: attention)
        d.hA = cheng2020HA(s)
        d.hS = cheng2020HS(s)
        d.declareGaussianConditional(s)
        d.declareContextModel(s) { .n($0, $1) }
        return d
    }

    /// g_a: strided residual blocks and residual blocks (with two attention blocks in cheng2020-attn).
    static func cheng2020GA(_ s: ParameterScope, attention: Bool) -> [Layer] {
        s.sequential("g_a") { q in
            attention
                ? [q.residualWithStride(.const(3), .N), q.residual(.N, .N), q.residualWithStride(.N, .N), q.attention(.N), q.residual(.N, .N),
                   q.residualWithStride(.N, .N), q.residual(.N, .N), q.conv(.N, .N, k: 3, stride: 2), q.attention(.N)]
                : [q.residualWithStride(.const(3), .N), q.residual(.N, .N), q.residualWithStride(.N, .N), q.residual(.N, .N),
                   q.residualWithStride(.N, .N), q.residual(.N, .N), q.conv(.N, .N, k: 3, stride: 2)]
        }
    }

    /// g_s: residual and upsampling residual blocks, ending in a subpel conv to 3 channels.
    static func cheng2020GS(_ s: ParameterScope, attention: Bool) -> [Layer] {
        s.sequential("g_s") { q in
            attention
                ? [q.attention(.N), q.residual(.N, .N), q.residualUpsample(.N, .N), q.residual(.N, .N), q.residualUpsample(.N, .N),
                   q.attention(.N), q.residual(.N, .N), q.residualUpsample(.N, .N), q.residual(.N, .N), q.subpel(.N, .const(3))]
                : [q.residual(.N, .N), q.residualUpsample(.N, .N), q.residual(.N, .N), q.residualUpsample(.N, .N),
                   q.residual(.N, .N), q.residualUpsample(.N, .N), q.residual(.N, .N), q.subpel(.N, .const(3))]
        }
    }

    /// h_a: five 3×3 convs (strides 1, 1, 2, 1, 2) with LeakyReLU between.
    static func cheng2020HA(_ s: ParameterScope) -> [Layer] {
        s.sequential("h_a") { q in
            [q.conv(.N, .N, k: 3, stride: 1), q.leakyReLU(), q.conv(.N, .N, k: 3, stride: 1), q.leakyReLU(), q.conv(.N, .N, k: 3, stride: 2),
             q.leakyReLU(), q.conv(.N, .N, k: 3, stride: 1), q.leakyReLU(), q.conv(.N, .N, k: 3, stride: 2)]
        }
    }

    /// h_s: conv3x3, subpel, conv3x3 to 3N/2, subpel, conv3x3 to 2N, with LeakyReLU between.
    static func cheng2020HS(_ s: ParameterScope) -> [Layer] {
        s.sequential("h_s") { q in
            [q.conv(.N, .N, k: 3, stride: 1), q.leakyReLU(), q.subpel(.N, .N), q.leakyReLU(), q.conv(.N, .n(3, 2), k: 3, stride: 1),
             q.leakyReLU(), q.subpel(.n(3, 2), .n(3, 2)), q.leakyReLU(), q.conv(.n(3, 2), .n(2, 1), k: 3, stride: 1)]
        }
    }
}
