// Tinify: `bmshj2018-hyperprior`. Ballé, Minnen, Singh, Hwang, Johnston, "Variational image
// compression with a scale hyperprior" (ICLR 2018).
// Mirrors compressai.models.ScaleHyperprior (CompressAI 1.2.8); its tensors are declared once, in
// TinifyArchitectures (ModelDeclaration.scaleHyperprior).
import TinifyArchitectures

/// `bmshj2018-hyperprior`: the scale-hyperprior model (z coded by an entropy bottleneck, y by a zero-mean Gaussian whose scales h_s predicts).
public final class ScaleHyperprior: ZooModel, @unchecked Sendable {
    override class var declaredArchitecture: Architecture? { .bmshj2018Hyperprior }
}
