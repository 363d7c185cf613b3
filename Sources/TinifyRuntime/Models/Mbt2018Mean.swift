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
        (gA, gS) = try BalleTransforms.make(w, n: n, m: m, relu: false)
        hA = try MinnenHyper.analysis(w, n: n, m: m)
        hS = try MinnenHyper.synthesis(w, n: n, m: m)
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

/// The Minnen hyper-transforms (shared by mbt2018-mean and mbt2018).
enum MinnenHyper {
    /// h_a: conv(M→N,k3,s1) LReLU conv(N→N,k5,s2) LReLU conv(N→N,k5,s2).
    static func analysis(_ w: WeightReader, n: Int, m: Int) throws -> Sequential {
        let a0 = try Conv2d(w, "h_a.0", in: m, out: n, kernel: 3, stride: 1, padding: 1)
        let a2 = try Conv2d(w, "h_a.2", in: n, out: n, kernel: 5, stride: 2, padding: 2)
        let a4 = try Conv2d(w, "h_a.4", in: n, out: n, kernel: 5, stride: 2, padding: 2)
        var s = Sequential()
        s.append { a0($0, .leakyRelu) }; s.append { a2($0, .leakyRelu) }; s.append { a4($0) }
        return s
    }

    /// h_s: deconv(N→M) LReLU deconv(M→3M/2) LReLU conv(3M/2→2M,k3,s1).
    static func synthesis(_ w: WeightReader, n: Int, m: Int) throws -> Sequential {
        let s0 = try ConvTranspose2d(w, "h_s.0", in: n, out: m)
        let s2 = try ConvTranspose2d(w, "h_s.2", in: m, out: m * 3 / 2)
        let s4 = try Conv2d(w, "h_s.4", in: m * 3 / 2, out: 2 * m, kernel: 3, stride: 1, padding: 1)
        var s = Sequential()
        s.append { s0($0, .leakyRelu) }; s.append { s2($0, .leakyRelu) }; s.append { s4($0) }
        return s
    }
}
