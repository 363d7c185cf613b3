// TinifyRuntime: `cheng2020-anchor`, the anchor model of Cheng, Sun, Takeuchi, Katto, "Learned
// Image Compression with Discretized Gaussian Mixture Likelihoods and Attention Modules"
// (CVPR 2020); mirrors compressai.models.Cheng2020Anchor (v1.2.8) — a single Gaussian, not the
// paper's mixture, with mbt2018's context model and entropy parameters (M = N).
//
// g_a: RBS(3→N) RB RBS RB RBS RB conv3x3(N→N,s2); g_s: RB RBU RB RBU RB RBU RB subpel(N→3,2);
// h_a: conv3x3 at 0,2,4,6,8 (strides 1,1,2,1,2) with LeakyReLU between; h_s: conv3x3 LReLU
// subpel(N→N) LReLU conv3x3(N→3N/2) LReLU subpel(3N/2→3N/2) LReLU conv3x3(3N/2→2N).

/// The Cheng2020 anchor model.
public class Cheng2020Anchor: JointAutoregressiveHierarchicalPriors, @unchecked Sendable {
    /// The zoo name.
    public override var architecture: String { "cheng2020-anchor" }

    /// Binds a Cheng2020Anchor from canonical keys (N = g_a.0.conv1.weight[0], M = N).
    public init(_ w: WeightReader) throws {
        let n = try ModelShapes.dim(w, "g_a.0.conv1.weight", 0)
        let (gA, gS) = try Cheng2020Anchor.transforms(w, n: n)
        try super.init(w, n: n, m: n, gA: gA, gS: gS, hA: try Cheng2020Anchor.hyperAnalysis(w, n: n),
                       hS: try Cheng2020Anchor.hyperSynthesis(w, n: n))
    }

    /// Binds around given transforms (for Cheng2020Attention).
    override init(_ w: WeightReader, n: Int, m: Int, gA: Sequential, gS: Sequential, hA: Sequential, hS: Sequential) throws {
        try super.init(w, n: n, m: m, gA: gA, gS: gS, hA: hA, hS: hS)
    }

    /// g_a and g_s; g_s, which only shapes x̂, uses the faster Winograd tile.
    static func transforms(_ w: WeightReader, n: Int) throws -> (Sequential, Sequential) {
        var gA = Sequential(), gS = Sequential()
        for i in 0..<3 {
            let rbs = try ResidualBlockWithStride(w, "g_a.\(2 * i)", in: i == 0 ? 3 : n, out: n)
            let rb = try ResidualBlock(w, "g_a.\(2 * i + 1)", in: n, out: n)
            gA.append { rbs($0) }; gA.append { rb($0) }
        }
        let last = try Conv2d(w, "g_a.6", in: n, out: n, kernel: 3, stride: 2, padding: 1)
        gA.append { last($0) }
        for i in 0..<3 {
            let rb = try ResidualBlock(w, "g_s.\(2 * i)", in: n, out: n, tile: .f4)
            let rbu = try ResidualBlockUpsample(w, "g_s.\(2 * i + 1)", in: n, out: n, tile: .f4)
            gS.append { rb($0) }; gS.append { rbu($0) }
        }
        let rb = try ResidualBlock(w, "g_s.6", in: n, out: n, tile: .f4)
        let sub = try SubpelConv(w, "g_s.7", in: n, out: 3, r: 2, tile: .f4)
        gS.append { rb($0) }; gS.append { sub($0) }
        return (gA, gS)
    }

    static func hyperAnalysis(_ w: WeightReader, n: Int) throws -> Sequential {
        var s = Sequential()
        let strides = [1, 1, 2, 1, 2]
        for (i, st) in strides.enumerated() {
            let conv = try Conv2d(w, "h_a.\(2 * i)", in: n, out: n, kernel: 3, stride: st, padding: 1)
            let act: Activation = i < 4 ? .leakyRelu : .none
            s.append { conv($0, act) }
        }
        return s
    }

    static func hyperSynthesis(_ w: WeightReader, n: Int) throws -> Sequential {
        let c0 = try Conv2d(w, "h_s.0", in: n, out: n, kernel: 3, stride: 1, padding: 1)
        let s2 = try SubpelConv(w, "h_s.2", in: n, out: n, r: 2)
        let c4 = try Conv2d(w, "h_s.4", in: n, out: n * 3 / 2, kernel: 3, stride: 1, padding: 1)
        let s6 = try SubpelConv(w, "h_s.6", in: n * 3 / 2, out: n * 3 / 2, r: 2)
        let c8 = try Conv2d(w, "h_s.8", in: n * 3 / 2, out: n * 2, kernel: 3, stride: 1, padding: 1)
        var s = Sequential()
        s.append { c0($0, .leakyRelu) }; s.append { s2($0, .leakyRelu) }
        s.append { c4($0, .leakyRelu) }; s.append { s6($0, .leakyRelu) }; s.append { c8($0) }
        return s
    }
}
