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

/// The layers Cheng2020Anchor and Cheng2020Attention share beyond g_a and g_s.
struct ChengHead {
    let hA: [Layer], hS: [Layer], gaussianConditional: GaussianConditional, entropyParameters: [Layer], contextPrediction: MaskedConv2d

    init(_ s: ParameterScope) {
        hA = s.sequential("h_a") { q in
            [q.conv(.N, .N, k: 3, stride: 1), q.leakyReLU(), q.conv(.N, .N, k: 3, stride: 1), q.leakyReLU(), q.conv(.N, .N, k: 3, stride: 2),
             q.leakyReLU(), q.conv(.N, .N, k: 3, stride: 1), q.leakyReLU(), q.conv(.N, .N, k: 3, stride: 2)]
        }
        hS = s.sequential("h_s") { q in
            [q.conv(.N, .N, k: 3, stride: 1), q.leakyReLU(), q.subpel(.N, .N), q.leakyReLU(), q.conv(.N, .n(3, 2), k: 3, stride: 1),
             q.leakyReLU(), q.subpel(.n(3, 2), .n(3, 2)), q.leakyReLU(), q.conv(.n(3, 2), .n(2, 1), k: 3, stride: 1)]
        }
        gaussianConditional = s.child("gaussian_conditional", "GaussianConditional") { GaussianConditional($0) }
        entropyParameters = s.sequential("entropy_parameters") { q in
            [q.conv(.n(12, 3), .n(10, 3), k: 1, stride: 1), q.leakyReLU(), q.conv(.n(10, 3), .n(8, 3), k: 1, stride: 1), q.leakyReLU(),
             q.conv(.n(8, 3), .n(6, 3), k: 1, stride: 1)]
        }
        contextPrediction = s.child("context_prediction", "MaskedConv2d") { MaskedConv2d($0, .N, .n(2, 1)) }
    }
}

/// `cheng2020-anchor`: Cheng2020Anchor(N), M = N.
package struct Cheng2020AnchorDeclaration: CompressionArchitecture {
    /// `cheng2020-anchor`.
    package static let id = Architecture.cheng2020Anchor
    /// N (and M = N).
    package let hyperparameters: Hyperparameters
    /// EntropyBottleneck(N) on z.
    package let entropyBottleneck: EntropyBottleneck
    /// Transforms.
    package let gA: [Layer], gS: [Layer], hA: [Layer], hS: [Layer]
    /// The Gaussian conditional on y.
    package let gaussianConditional: GaussianConditional
    /// 1×1 convs 4N → 10N/3 → 8N/3 → 2N.
    package let entropyParameters: [Layer]
    /// Masked 5×5 conv N → 2N.
    package let contextPrediction: MaskedConv2d

    /// Declares (and binds) the model's tensors through `s`.
    package init(_ s: ParameterScope) {
        hyperparameters = s.hyperparameters
        entropyBottleneck = s.child("entropy_bottleneck", "EntropyBottleneck") { EntropyBottleneck($0, .N) }
        gA = s.sequential("g_a") { q in
            [q.residualWithStride(.const(3), .N), q.residual(.N, .N), q.residualWithStride(.N, .N), q.residual(.N, .N),
             q.residualWithStride(.N, .N), q.residual(.N, .N), q.conv(.N, .N, k: 3, stride: 2)]
        }
        gS = s.sequential("g_s") { q in
            [q.residual(.N, .N), q.residualUpsample(.N, .N), q.residual(.N, .N), q.residualUpsample(.N, .N),
             q.residual(.N, .N), q.residualUpsample(.N, .N), q.residual(.N, .N), q.subpel(.N, .const(3))]
        }
        let head = ChengHead(s)
        (hA, hS, gaussianConditional, entropyParameters, contextPrediction) = (head.hA, head.hS, head.gaussianConditional, head.entropyParameters, head.contextPrediction)
    }
}

/// `cheng2020-attn`: Cheng2020Attention(N), M = N.
package struct Cheng2020AttentionDeclaration: CompressionArchitecture {
    /// `cheng2020-attn`.
    package static let id = Architecture.cheng2020Attention
    /// N (and M = N).
    package let hyperparameters: Hyperparameters
    /// EntropyBottleneck(N) on z.
    package let entropyBottleneck: EntropyBottleneck
    /// Transforms.
    package let gA: [Layer], gS: [Layer], hA: [Layer], hS: [Layer]
    /// The Gaussian conditional on y.
    package let gaussianConditional: GaussianConditional
    /// 1×1 convs 4N → 10N/3 → 8N/3 → 2N.
    package let entropyParameters: [Layer]
    /// Masked 5×5 conv N → 2N.
    package let contextPrediction: MaskedConv2d

    /// Declares (and binds) the model's tensors through `s`.
    package init(_ s: ParameterScope) {
        hyperparameters = s.hyperparameters
        entropyBottleneck = s.child("entropy_bottleneck", "EntropyBottleneck") { EntropyBottleneck($0, .N) }
        gA = s.sequential("g_a") { q in
            [q.residualWithStride(.const(3), .N), q.residual(.N, .N), q.residualWithStride(.N, .N), q.attention(.N), q.residual(.N, .N),
             q.residualWithStride(.N, .N), q.residual(.N, .N), q.conv(.N, .N, k: 3, stride: 2), q.attention(.N)]
        }
        gS = s.sequential("g_s") { q in
            [q.attention(.N), q.residual(.N, .N), q.residualUpsample(.N, .N), q.residual(.N, .N), q.residualUpsample(.N, .N),
             q.attention(.N), q.residual(.N, .N), q.residualUpsample(.N, .N), q.residual(.N, .N), q.subpel(.N, .const(3))]
        }
        let head = ChengHead(s)
        (hA, hS, gaussianConditional, entropyParameters, contextPrediction) = (head.hA, head.hS, head.gaussianConditional, head.entropyParameters, head.contextPrediction)
    }
}
