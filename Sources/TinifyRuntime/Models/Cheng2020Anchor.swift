// TinifyRuntime: `cheng2020-anchor`, the anchor model of Cheng, Sun, Takeuchi, Katto, "Learned
// Image Compression with Discretized Gaussian Mixture Likelihoods and Attention Modules"
// (CVPR 2020); mirrors compressai.models.Cheng2020Anchor (v1.2.8) — a single Gaussian, not the
// paper's mixture, with mbt2018's context model and entropy parameters (M = N).
//
// g_a: RBS(3→N) RB RBS RB RBS RB conv3x3(N→N,s2); g_s: RB RBU RB RBU RB RBU RB subpel(N→3,2);
// h_a: conv3x3 at 0,2,4,6,8 (strides 1,1,2,1,2) with LeakyReLU between; h_s: conv3x3 LReLU
// subpel(N→N) LReLU conv3x3(N→3N/2) LReLU subpel(3N/2→3N/2) LReLU conv3x3(3N/2→2N).
import TinifyArchitectures

/// The Cheng2020 anchor model.
package class Cheng2020AnchorEngine: JointAutoregressiveHierarchicalPriorsEngine, @unchecked Sendable {
    /// The zoo name.
    package override var architecture: Architecture { .cheng2020Anchor }

    /// Binds a Cheng2020Anchor from canonical keys (N = g_a.0.conv1.weight[0], M = N).
    package init(_ w: WeightReader) throws {
        let t = try DeclaredTransforms.build(.cheng2020Anchor, w)
        try super.init(w, n: t.n, m: t.m, transforms: t)
    }

    /// Binds around transforms built elsewhere (for Cheng2020Attention).
    override init(_ w: WeightReader, n: Int, m: Int, transforms t: DeclaredTransforms.Built) throws {
        try super.init(w, n: n, m: m, transforms: t)
    }
}
