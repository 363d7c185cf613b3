// TinifyRuntime: `cheng2020-attn`, the attention model of Cheng, Sun, Takeuchi, Katto, "Learned
// Image Compression with Discretized Gaussian Mixture Likelihoods and Attention Modules"
// (CVPR 2020); mirrors compressai.models.Cheng2020Attention (v1.2.8): Cheng2020Anchor with
// attention blocks in the transforms (single Gaussian entropy model).
//
// g_a: RBS(3→N) RB RBS AB RB RBS RB conv3x3(N→N,s2) AB;
// g_s: AB RB RBU RB RBU AB RB RBU RB subpel(N→3,2); hyper-transforms as the anchor.
import TinifyArchitectures

/// The Cheng2020 attention model.
package final class Cheng2020AttentionEngine: Cheng2020AnchorEngine, @unchecked Sendable {
    /// The zoo name.
    package override var architecture: Architecture { .cheng2020Attention }

    /// Binds a Cheng2020Attention from canonical keys (N = g_a.0.conv1.weight[0], M = N).
    package override init(_ w: WeightReader) throws {
        let t = try DeclaredTransforms.build(.cheng2020Attention, w)
        try super.init(w, n: t.n, m: t.m, transforms: t)
    }
}
