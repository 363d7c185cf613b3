// TinifyRuntime: `bmshj2018-factorized`, the factorized-prior model of Ballé, Minnen, Singh, Hwang,
// Johnston, "Variational image compression with a scale hyperprior" (ICLR 2018); mirrors
// compressai.models.FactorizedPrior (v1.2.8).
//
// g_a: conv(3→N) GDN conv(N→N) GDN conv(N→N) GDN conv(N→M), all k5 s2; g_s mirrors it with deconvs
// and IGDN; an EntropyBottleneck(M) models y. N = g_a.0.weight[0], M = g_a.6.weight[0].
import TinifyCore

/// The factorized-prior model (and, with `relu`, FactorizedPriorReLU: ReLU instead of GDN).
public class FactorizedPrior: CompressionRuntimeModel, EntropyModelOwner, @unchecked Sendable {
    /// The zoo name.
    public var architecture: String { "bmshj2018-factorized" }
    /// N.
    public let n: Int
    /// M.
    public let m: Int
    /// 16: four stride-2 layers.
    public var downsamplingFactor: Int { 16 }
    let gA: Sequential, gS: Sequential
    let entropyBottleneck: EntropyBottleneck
    var gaussianConditional: GaussianConditional? { nil }

    /// Binds a FactorizedPrior (`relu == false`) or FactorizedPriorReLU from canonical keys.
    init(_ w: WeightReader, relu: Bool) throws {
        n = try ModelShapes.dim(w, "g_a.0.weight", 0)
        m = try ModelShapes.dim(w, "g_a.6.weight", 0)
        (gA, gS) = try BalleTransforms.make(w, n: n, m: m, relu: relu)
        entropyBottleneck = try EntropyBottleneck(w, "entropy_bottleneck", channels: m)
    }

    /// Binds a FactorizedPrior from canonical keys.
    public convenience init(_ w: WeightReader) throws { try self.init(w, relu: false) }

    /// `forward`: y = g_a(x), ŷ and p(ŷ) from the bottleneck, x̂ = g_s(ŷ).
    public func forward(_ x: FloatTensor) throws -> ForwardResult {
        try checkInput(x, factor: downsamplingFactor)
        let y = gA(x)
        let (yHat, lik) = entropyBottleneck.forward(y)
        return ForwardResult(xHat: gS(yHat), y: y, likelihoods: ["y": lik])
    }

    /// `aux_loss()`.
    public func auxLoss() -> Double { entropyAuxLoss() }

    /// `update(scale_table, force)`.
    public func update(scaleTable: [Float]?, force: Bool) throws -> [String: Tensor] {
        try entropyUpdate(scaleTable: scaleTable, force: force)
    }
}

/// The g_a / g_s pair shared by the Ballé and Minnen models.
enum BalleTransforms {
    /// g_a (conv k5 s2 with GDN, or ReLU) and g_s (deconv k5 s2 with IGDN, or ReLU). g_s, which only
    /// shapes x̂, uses the faster Winograd tile; g_a, whose output is rounded, the exact one.
    static func make(_ w: WeightReader, n: Int, m: Int, relu: Bool) throws -> (Sequential, Sequential) {
        var gA = Sequential(), gS = Sequential()
        let inC = [3, n, n, n], outC = [n, n, n, m]
        for i in 0..<4 {
            let conv = try Conv2d(w, "g_a.\(2 * i)", in: inC[i], out: outC[i], kernel: 5, stride: 2, padding: 2)
            if i < 3 {
                if relu {
                    gA.append { conv($0, .relu) }
                } else {
                    let gdn = try GDN(w, "g_a.\(2 * i + 1)", channels: outC[i], inverse: false)
                    gA.append { gdn(conv($0)) }
                }
            } else {
                gA.append { conv($0) }
            }
        }
        let sIn = [m, n, n, n], sOut = [n, n, n, 3]
        for i in 0..<4 {
            let deconv = try ConvTranspose2d(w, "g_s.\(2 * i)", in: sIn[i], out: sOut[i], kernel: 5, stride: 2, tile: .f4)
            if i < 3 {
                if relu {
                    gS.append { deconv($0, .relu) }
                } else {
                    let igdn = try GDN(w, "g_s.\(2 * i + 1)", channels: sOut[i], inverse: true)
                    gS.append { igdn(deconv($0)) }
                }
            } else {
                gS.append { deconv($0) }
            }
        }
        return (gA, gS)
    }
}
