// TinifyRuntime: `mbt2018-mean`, the mean-scale hyperprior model of Minnen, Ballé, Toderici,
// "Joint Autoregressive and Hierarchical Priors for Learned Image Compression" (NeurIPS 2018);
// mirrors compressai.models.MeanScaleHyperprior (v1.2.8).
//
// z = h_a(y) (LeakyReLU), params = h_s(ẑ) with h_s: deconv(N→M) LReLU deconv(M→3M/2) LReLU
// conv(3M/2→2M,k3,s1); scales = params[0:M], means = params[M:2M]; ŷ = round(y − μ) + μ.
import TinifyCore

/// The mean-scale hyperprior model: ScaleHyperprior's parts, with h_s predicting means too.
public final class MeanScaleHyperprior: ScaleHyperprior, @unchecked Sendable {
    /// Binds a MeanScaleHyperprior from canonical keys.
    public convenience init(_ w: WeightReader) throws { try self.init(w, .mbt2018Mean) }

    /// `forward`: y = g_a(x), z = h_a(y), ẑ, (scales, means) = h_s(ẑ), ŷ = round(y − μ) + μ.
    public override func forward(_ x: FloatTensor) throws -> ForwardResult {
        try checkInput(x, factor: downsamplingFactor)
        let y = gA(x)
        let z = hA(y)
        let (zHat, zLik) = entropyBottleneck.forward(z)
        let params = hS(zHat)
        let scales = params.channels(0..<m), means = params.channels(m..<(2 * m))
        let (yHat, yLik) = gc.forward(y, scales: scales, means: means)
        return ForwardResult(xHat: gS(yHat), y: y, likelihoods: ["y": yLik, "z": zLik])
    }
}
