// Tinify: `mbt2018-mean`. Minnen, Ballé, Toderici, "Joint Autoregressive and Hierarchical
// Priors for Learned Image Compression" (NeurIPS 2018), the mean-scale hyperprior.
// Mirrors compressai.models.MeanScaleHyperprior (CompressAI 1.2.8); its tensors are declared once, in
// TinifyArchitectures (ModelDeclaration.meanScaleHyperprior).
import TinifyArchitectures

/// `mbt2018-mean`: the mean-scale hyperprior model (h_s predicts the means and scales of y).
public final class MeanScaleHyperprior: ZooModel, @unchecked Sendable {
    override class var declaredArchitecture: Architecture? { .mbt2018Mean }
}
