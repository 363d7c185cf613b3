// Tinify: `bmshj2018-factorized`. Ballé, Minnen, Singh, Hwang, Johnston, "Variational image
// compression with a scale hyperprior" (ICLR 2018), the factorized-prior model.
// Mirrors compressai.models.FactorizedPrior (CompressAI 1.2.8); its tensors are declared once, in
// TinifyArchitectures (ModelDeclaration.factorizedPrior).
import TinifyArchitectures

/// `bmshj2018-factorized`: the factorized-prior model (GDN transforms, one entropy bottleneck on y).
public final class FactorizedPrior: ZooModel, @unchecked Sendable {
    override class var declaredArchitecture: Architecture? { .bmshj2018Factorized }
}
