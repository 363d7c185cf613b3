// TinifyRuntime: `bmshj2018-factorized-relu`, the factorized-prior model of Ballé, Minnen, Singh,
// Hwang, Johnston, "Variational image compression with a scale hyperprior" (ICLR 2018) with the
// GDN activations replaced by ReLU; mirrors compressai.models.FactorizedPriorReLU (v1.2.8).
import TinifyArchitectures

/// FactorizedPrior with ReLU in place of GDN/IGDN (same keys, minus the GDN parameters).
package final class FactorizedPriorReLUEngine: FactorizedPriorEngine, @unchecked Sendable {
    /// The zoo name.
    package override var architecture: Architecture { .bmshj2018FactorizedReLU }

    /// Binds a FactorizedPriorReLU from canonical keys.
    package init(_ w: WeightReader) throws { try super.init(w, relu: true) }
}
