// TinifyRuntime: `cheng2020-attn`, the attention model of Cheng, Sun, Takeuchi, Katto, "Learned
// Image Compression with Discretized Gaussian Mixture Likelihoods and Attention Modules"
// (CVPR 2020); mirrors compressai.models.Cheng2020Attention (v1.2.8): Cheng2020Anchor with
// attention blocks in the transforms (single Gaussian entropy model).
//
// g_a: RBS(3→N) RB RBS AB RB RBS RB conv3x3(N→N,s2) AB;
// g_s: AB RB RBU RB RBU AB RB RBU RB subpel(N→3,2); hyper-transforms as the anchor.

/// The Cheng2020 attention model.
public final class Cheng2020Attention: Cheng2020Anchor, @unchecked Sendable {
    /// The zoo name.
    public override var architecture: String { "cheng2020-attn" }

    /// Binds a Cheng2020Attention from canonical keys (N = g_a.0.conv1.weight[0], M = N).
    public override init(_ w: WeightReader) throws {
        let n = try ModelShapes.dim(w, "g_a.0.conv1.weight", 0)
        var gA = Sequential(), gS = Sequential()
        func rbs(_ i: Int, _ inC: Int) throws { let b = try ResidualBlockWithStride(w, "g_a.\(i)", in: inC, out: n); gA.append { b($0) } }
        // g_s, which only shapes x̂, uses the faster Winograd tile; g_a, whose output is rounded, the exact one.
        func tile(_ p: String) -> WinogradTile { p.hasPrefix("g_s") ? .f4 : .f2 }
        func rb(_ p: String) throws -> (FloatTensor) -> FloatTensor { let b = try ResidualBlock(w, p, in: n, out: n, tile: tile(p)); return { b($0) } }
        func ab(_ p: String) throws -> (FloatTensor) -> FloatTensor { let b = try AttentionBlock(w, p, channels: n, tile: tile(p)); return { b($0) } }
        func rbu(_ p: String) throws -> (FloatTensor) -> FloatTensor { let b = try ResidualBlockUpsample(w, p, in: n, out: n, tile: .f4); return { b($0) } }
        try rbs(0, 3); gA.append(try rb("g_a.1")); try rbs(2, n); gA.append(try ab("g_a.3"))
        gA.append(try rb("g_a.4")); try rbs(5, n); gA.append(try rb("g_a.6"))
        let last = try Conv2d(w, "g_a.7", in: n, out: n, kernel: 3, stride: 2, padding: 1)
        gA.append { last($0) }; gA.append(try ab("g_a.8"))
        gS.append(try ab("g_s.0")); gS.append(try rb("g_s.1")); gS.append(try rbu("g_s.2"))
        gS.append(try rb("g_s.3")); gS.append(try rbu("g_s.4")); gS.append(try ab("g_s.5"))
        gS.append(try rb("g_s.6")); gS.append(try rbu("g_s.7")); gS.append(try rb("g_s.8"))
        let sub = try SubpelConv(w, "g_s.9", in: n, out: 3, r: 2, tile: .f4)
        gS.append { sub($0) }
        try super.init(w, n: n, m: n, gA: gA, gS: gS, hA: try Cheng2020Anchor.hyperAnalysis(w, n: n),
                       hS: try Cheng2020Anchor.hyperSynthesis(w, n: n))
    }
}
