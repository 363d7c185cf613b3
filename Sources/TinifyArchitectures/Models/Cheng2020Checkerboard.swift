// TinifyArchitectures: Cheng2020AnchorCheckerboard (`cheng2020-anchor-checkerboard`).
//
// Transforms of Cheng, Sun, Takeuchi, Katto, "Learned Image Compression with Discretized
// Gaussian Mixture Likelihoods and Attention Modules", CVPR 2020; context model of He, Zheng,
// Sun, Wang, Qin, "Checkerboard Context Model for Efficient Learned Image Compression", CVPR
// 2021. Mirrors compressai.models.sensetime.Cheng2020AnchorCheckerboard (M = N).
//
//   x ─▶ g_a ─▶ y ─▶ latent_codec.y: CheckerboardLatentCodec — anchors (even row+col parity)
//                    coded from the hyperprior alone, non-anchors from the hyperprior and a
//                    checkerboard-masked 5×5 context of the anchors ─▶ ŷ ─▶ g_s ─▶ x̂
//        latent_codec.hyper: EntropyBottleneck(N), cheng2020's h_a and h_s
//
// Keys: g_a, g_s, then latent_codec.y.{entropy_parameters, context_prediction,
// y.gaussian_conditional}, then latent_codec.hyper.{entropy_bottleneck, h_a, h_s}.

extension ModelDeclaration {
    /// `cheng2020-anchor-checkerboard`: Cheng2020AnchorCheckerboard(N), M = N.
    static func cheng2020AnchorCheckerboard(_ s: ParameterScope) -> ModelDeclaration {
        let gA = cheng2020GA(s, attention: false), gS = cheng2020GS(s, attention: false)
        let (y, hyper) = s.child("latent_codec", "HyperpriorLatentCodec") { l in
            let y = l.child("y", "CheckerboardLatentCodec") { c in
                CheckerboardLatentCodec(c, latent: .N, meansFirst: false) { mbt2018EntropyParameters($0) { .n($0, $1) } }
            }
            let hyper = l.child("hyper", "HyperLatentCodec") { HyperLatentCodec($0, hA: cheng2020HA, hS: cheng2020HS) }
            return (y, hyper)
        }
        var d = ModelDeclaration(s.hyperparameters, entropyBottleneck: hyper.entropyBottleneck)
        (d.gA, d.gS, d.hA, d.hS) = (gA, gS, hyper.hA, hyper.hS)
        d.checkerboard = [y]
        return d
    }
}
