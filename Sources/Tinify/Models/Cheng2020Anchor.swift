// Tinify: `cheng2020-anchor`. Cheng, Sun, Takeuchi, Katto, "Learned Image Compression with
// Discretized Gaussian Mixture Likelihoods and Attention Modules" (CVPR 2020), the anchor.
// Mirrors compressai.models.Cheng2020Anchor (CompressAI 1.2.8); its tensors are declared once, in
// TinifyArchitectures (ModelDeclaration.cheng2020).
import TinifyArchitectures

/// `cheng2020-anchor`: residual-block transforms with mbt2018's context model (M = N).
public final class Cheng2020Anchor: ZooModel, @unchecked Sendable {
    override class var declaredArchitecture: Architecture? { .cheng2020Anchor }
}
