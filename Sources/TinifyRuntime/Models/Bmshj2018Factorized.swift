// TinifyRuntime: `bmshj2018-factorized`, the factorized-prior model of Ballé, Minnen, Singh, Hwang,
// Johnston, "Variational image compression with a scale hyperprior" (ICLR 2018); mirrors
// compressai.models.FactorizedPrior (v1.2.8).
//
// g_a: conv(3→N) GDN conv(N→N) GDN conv(N→N) GDN conv(N→M), all k5 s2; g_s mirrors it with deconvs
// and IGDN; an EntropyBottleneck(M) models y. N = g_a.0.weight[0], M = g_a.6.weight[0].
import TinifyArchitectures
import TinifyCore

/// The factorized-prior model (and, with `relu`, FactorizedPriorReLU: ReLU instead of GDN).
package class FactorizedPriorEngine: CompressionRuntimeModel, EntropyModelOwner, @unchecked Sendable {
    /// The zoo name.
    package var architecture: Architecture { .bmshj2018Factorized }
    /// N.
    package let n: Int
    /// M.
    package let m: Int
    /// 16: four stride-2 layers.
    package var downsamplingFactor: Int { 16 }
    let gA: Sequential, gS: Sequential
    let entropyBottleneck: EntropyBottleneck
    var gaussianConditional: GaussianConditional? { nil }

    /// Binds a FactorizedPrior (`relu == false`) or FactorizedPriorReLU from canonical keys.
    init(_ w: WeightReader, relu: Bool) throws {
        let id: Architecture = relu ? .bmshj2018FactorizedReLU : .bmshj2018Factorized
        let t = try DeclaredTransforms.build(id, w)
        (n, m) = (t.n, t.m)
        (gA, gS) = (t.gA, t.gS)
        entropyBottleneck = try EntropyBottleneck(w, "entropy_bottleneck", channels: m)
    }

    /// Binds a FactorizedPrior from canonical keys.
    package convenience init(_ w: WeightReader) throws { try self.init(w, relu: false) }

    /// `forward`: y = g_a(x), ŷ and p(ŷ) from the bottleneck, x̂ = g_s(ŷ).
    package func forward(_ x: FloatTensor) throws -> ForwardResult {
        try checkInput(x, factor: downsamplingFactor)
        let y = try gA(x)
        let (yHat, lik) = entropyBottleneck.forward(y)
        return ForwardResult(xHat: try gS(yHat), y: y, likelihoods: ["y": lik])
    }

    /// `aux_loss()`.
    package func auxLoss() -> Double { entropyAuxLoss() }

    /// `update(scale_table, force)`.
    package func update(scaleTable: [Float]?, force: Bool) throws -> [String: Tensor] {
        try entropyUpdate(scaleTable: scaleTable, force: force)
    }
}
