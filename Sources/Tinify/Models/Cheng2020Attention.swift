// Tinify: `cheng2020-attn`. Cheng, Sun, Takeuchi, Katto, "Learned Image Compression with
// Discretized Gaussian Mixture Likelihoods and Attention Modules" (CVPR 2020).
// Mirrors compressai.models.Cheng2020Attention (CompressAI 1.2.8); its tensors are declared once, in
// TinifyArchitectures (ModelDeclaration.cheng2020).
import TinifyArchitectures

/// `cheng2020-attn`: the anchor with attention blocks in the transforms (M = N).
public final class Cheng2020Attention: ZooModel, @unchecked Sendable {
    override class var declaredArchitecture: Architecture? { .cheng2020Attention }
}
