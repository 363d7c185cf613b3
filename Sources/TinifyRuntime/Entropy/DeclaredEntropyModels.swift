// TinifyRuntime: the entropy models an architecture declares (compressai.entropy_models
// EntropyBottleneck / EntropyBottleneckVbr and every GaussianConditional, wherever the
// declaration puts them: at the root, under a checkerboard latent codec, one per ELIC channel
// group), bound on their own. `update()` and `aux_loss()` need nothing else, so they work for
// every architecture, including those whose transforms this runtime does not run.
import TinifyCore
import TinifyArchitectures
import TinifyWeights

/// The entropy bottleneck and Gaussian conditionals of one declared model.
package struct DeclaredEntropyModels {
    /// The entropy bottleneck (on y for the factorized models, on z otherwise).
    package let bottleneck: EntropyBottleneck
    /// Every Gaussian conditional, in declaration order.
    package let conditionals: [GaussianConditional]
    /// A VBR model's `Gain` and, with the variable-rate bottleneck, `gayn2zqstep` and
    /// `lower_bound_zqstep.bound`.
    private let gain: [Float]?
    private let zStepNetwork: LinearStack?
    private let zStepBound: Float

    /// Binds the entropy models `id` declares over `store` (canonical keys, verified).
    package init(_ id: Architecture, store: WeightStore) throws {
        let d = try DeclaredTransforms.declaration(id, store)
        let w = WeightReader(store)
        bottleneck = try EntropyBottleneck(w, DeclaredTransforms.prefix(d.entropyBottleneck.quantiles, ".quantiles"))
        let declared = [d.gaussianConditional].compactMap { $0 } + d.checkerboard.map(\.gaussianConditional)
        conditionals = try declared.map { try GaussianConditional(w, DeclaredTransforms.prefix($0.scaleBound, ".scale_bound")) }
        gain = try d.variableRate.map { try w.floats($0.gain.key) }
        let network = d.variableRate?.gayn2zqstep ?? []
        zStepNetwork = network.isEmpty ? nil : try LinearStack(network, w, inputs: 1, outputs: 1, name: "gayn2zqstep")
        zStepBound = try d.variableRate?.lowerBoundZQStep.map { try w.scalar($0.key, default: Float(0.5)) } ?? 0.5
    }

    /// The gains of a VBR model's rate levels (`Gain`), nil for other models.
    package var gains: [Float]? { gain }

    /// z's quantisation step for `scale` (a gain): `lower_bound_zqstep(gayn2zqstep(1/scale))`, in
    /// float32 as torch computes it (each Linear a fused multiply-add chain, then the bias); nil
    /// without the variable-rate bottleneck.
    package func zStep(scale: Float) -> Float? {
        guard let last = zStepNetwork?([1 / scale]).first else { return nil }
        return Swift.max(TorchMath.softplus([last])[0], zStepBound)
    }

    /// `update(scale_table, force)`: the new CDF buffers by key (empty when nothing was due).
    /// With `scale` (a VBR model with the variable-rate bottleneck: `update(force, scale=…)`),
    /// the bottleneck's tables are those of z's quantisation step for that gain
    /// (`update_variable(qs=zStep(scale))`).
    package func update(scaleTable: [Float]?, force: Bool, scale: Float? = nil) throws -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        var step: Float?
        if let scale {
            guard let s = zStep(scale: scale), s.isFinite else {
                throw RuntimeError.badInput("update with a scale needs a VBR model with the variable-rate entropy bottleneck (gayn2zqstep)")
            }
            step = s
        }
        if let eb = try bottleneck.update(force: force, step: step) {
            for (k, v) in eb { out[k] = try TensorFactory.int32(v.values, shape: v.shape) }
        }
        for gc in conditionals {
            guard let buffers = try gc.update(scaleTable: scaleTable, force: force) else { continue }
            for (k, v) in buffers {
                if let ints = v.ints { out[k] = try TensorFactory.int32(ints, shape: v.shape) }
                if let floats = v.floats { out[k] = try TensorFactory.float32(floats, shape: v.shape) }
            }
        }
        return out
    }

    /// `aux_loss()`: CompressAI sums the loss of the modules that are `EntropyBottleneck`s, and an
    /// `EntropyBottleneckVbr` is not one, so a VBR model with it has an aux loss of 0.
    package func auxLoss() -> Double { bottleneck.variableRate ? 0 : bottleneck.auxLoss() }
}
