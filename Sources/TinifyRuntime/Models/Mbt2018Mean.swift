// TinifyRuntime: `mbt2018-mean`, the mean-scale hyperprior model of Minnen, Ballé, Toderici,
// "Joint Autoregressive and Hierarchical Priors for Learned Image Compression" (NeurIPS 2018);
// mirrors compressai.models.MeanScaleHyperprior (v1.2.8).
//
// z = h_a(y) (LeakyReLU), params = h_s(ẑ) with h_s: deconv(N→M) LReLU deconv(M→3M/2) LReLU
// conv(3M/2→2M,k3,s1); scales = params[0:M], means = params[M:2M]; ŷ = round(y − μ) + μ.
import TinifyCore

/// The mean-scale hyperprior model.
public final class MeanScaleHyperprior: CompressionRuntimeModel, EntropyModelOwner, @unchecked Sendable {
    /// The zoo name.
    public var architecture: String { "mbt2018-mean" }
    /// N.
    public let n: Int
    /// M.
    public let m: Int
    /// 64: y is H/16 and z is y/4.
    public var downsamplingFactor: Int { 64 }
    let gA: Sequential, gS: Sequential, hA: Sequential, hS: Sequential
    let entropyBottleneck: EntropyBottleneck
    let gc: GaussianConditional
    var gaussianConditional: GaussianConditional? { gc }

    /// Binds a MeanScaleHyperprior from canonical keys.
    public init(_ w: WeightReader) throws {
        n = try ModelShapes.dim(w, "g_a.0.weight", 0)
        m = try ModelShapes.dim(w, "g_a.6.weight", 0)
        let t = try DeclaredTransforms.build(.mbt2018Mean, w)
        (gA, gS, hA, hS) = (t.gA, t.gS, t.hA, t.hS)
        entropyBottleneck = try EntropyBottleneck(w, "entropy_bottleneck", channels: n)
        gc = try GaussianConditional(w, "gaussian_conditional")
    }

    /// `forward`: y = g_a(x), z = h_a(y), ẑ, (scales, means) = h_s(ẑ), ŷ = round(y − μ) + μ.
    public func forward(_ x: FloatTensor) throws -> ForwardResult {
        try checkInput(x, factor: downsamplingFactor)
        let y = gA(x)
        let z = hA(y)
        let (zHat, zLik) = entropyBottleneck.forward(z)
        let params = hS(zHat)
        let scales = params.channels(0..<m), means = params.channels(m..<(2 * m))
        let (yHat, yLik) = gc.forward(y, scales: scales, means: means)
        return ForwardResult(xHat: gS(yHat), y: y, likelihoods: ["y": yLik, "z": zLik])
    }

    /// `aux_loss()`.
    public func auxLoss() -> Double { entropyAuxLoss() }

    /// `update(scale_table, force)`.
    public func update(scaleTable: [Float]?, force: Bool) throws -> [String: Tensor] {
        try entropyUpdate(scaleTable: scaleTable, force: force)
    }
}
