// Tinify: `mbt2018`. Minnen, Ballé, Toderici, "Joint Autoregressive and
// Hierarchical Priors for Learned Image Compression" (NeurIPS 2018).
// Mirrors compressai.models.JointAutoregressiveHierarchicalPriors (CompressAI 1.2.8); its tensors are declared once, in
// TinifyArchitectures (ModelDeclaration.jointAutoregressiveHierarchicalPriors).
import TinifyArchitectures

/// `mbt2018`: the joint autoregressive and hierarchical priors model (a masked 5×5 context model beside the hyperprior; y is coded serially).
public final class JointAutoregressiveHierarchicalPriors: ZooModel, @unchecked Sendable {
    override class var declaredArchitecture: Architecture? { .mbt2018 }
}
