// Tinify: `bmshj2018-factorized-relu`. Ballé et al. (ICLR 2018), the factorized-prior model with
// ReLU in place of GDN.
// Mirrors compressai.models.FactorizedPriorReLU (CompressAI 1.2.8); its tensors are declared once, in
// TinifyArchitectures (ModelDeclaration.factorizedPriorReLU).
import TinifyArchitectures

/// `bmshj2018-factorized-relu`: the factorized-prior model with ReLU activations.
public final class FactorizedPriorReLU: ZooModel, @unchecked Sendable {
    override class var declaredArchitecture: Architecture? { .bmshj2018FactorizedReLU }
}
