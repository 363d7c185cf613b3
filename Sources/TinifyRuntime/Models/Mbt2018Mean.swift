// TinifyRuntime: `mbt2018-mean`, the mean-scale hyperprior model of Minnen, Ballé, Toderici,
// "Joint Autoregressive and Hierarchical Priors for Learned Image Compression" (NeurIPS 2018);
// mirrors compressai.models.MeanScaleHyperprior (v1.2.8).
//
// z = h_a(y) (LeakyReLU), params = h_s(ẑ) with h_s: deconv(N→M) LReLU deconv(M→3M/2) LReLU
// conv(3M/2→2M,k3,s1); scales = params[0:M], means = params[M:2M]; ŷ = round(y − μ) + μ.
import TinifyCore

/// The mean-scale hyperprior model: ScaleHyperprior's parts, with h_s predicting means too.
package final class MeanScaleHyperpriorEngine: ScaleHyperpriorEngine, @unchecked Sendable {
    /// Binds a MeanScaleHyperprior from canonical keys.
    package convenience init(_ w: WeightReader) throws { try self.init(w, .mbt2018Mean) }
}
