// TinifyArchitectures: the variable-rate models `bmshj2018-hyperprior-vbr`, `mbt2018-mean-vbr`
// and `mbt2018-vbr`.
//
// Kamisli, Racapé, Choi, "Variable-Rate Learned Image Compression with Multi-Objective
// Optimization and Quantization-Reconstruction Offsets", DCC 2024. Mirrors
// compressai.models.vbr.ScaleHyperpriorVbr, MeanScaleHyperpriorVbr and
// JointAutoregressiveHierarchicalPriorsVbr: the base model's modules, plus
//
//   Gain (8 gains, the inverse quantisation steps; a root parameter, so the first key)
//   QuantABCD: Linear(2→12) ReLU Linear(12→12) ReLU Linear(12→1)   (σ, gain) → quantisation offset
//   vr_entbttlnck=True: EntropyBottleneckVbr (1.1-style `_matrixK` names) and
//     gayn2zqstep: Linear(1→10) ReLU Linear(10→10) ReLU Linear(10→1) Softplus, lower_bound_zqstep (0.5)
//   mbt2018-vbr: scale_to_context Linear(1→2M), added to the context model's output

/// The variable-rate models' own modules.
package struct VariableRateModules: Sendable {
    /// `Gain` (8): the gain of each rate level; the quantisation step is its inverse.
    package let gain: BoundTensor
    /// `QuantABCD`: (σ, gain) → quantisation-reconstruction offset.
    package var quantABCD: [Layer] = []
    /// `gayn2zqstep`: 1/gain → z's quantisation step (only with `EntropyBottleneckVbr`).
    package var gayn2zqstep: [Layer] = []
    /// `lower_bound_zqstep.bound` (only with `EntropyBottleneckVbr`).
    package var lowerBoundZQStep: BoundTensor?
    /// `scale_to_context` (mbt2018-vbr): the quantisation step → a term added to the context.
    package var scaleToContext: Linear?

    init(gain: BoundTensor) { self.gain = gain }
}

extension ModelDeclaration {
    /// A variable-rate model: `Gain`, then `base`'s modules, then `QuantABCD`, then either
    /// `gayn2zqstep` and `lower_bound_zqstep` (with the variable-rate bottleneck) or, for
    /// mbt2018-vbr, `scale_to_context`.
    static func variableRate(_ s: ParameterScope, scaleToContext: Bool = false, base: (ParameterScope) -> ModelDeclaration) -> ModelDeclaration {
        var v = VariableRateModules(gain: s.tensor("Gain", [.const(8)]))
        var d = base(s)
        v.quantABCD = s.sequential("QuantABCD") { q in
            [q.linear(.const(2), .const(12)), q.relu(), q.linear(.const(12), .const(12)), q.relu(), q.linear(.const(12), .const(1))]
        }
        if s.hyperparameters.variableRateBottleneck {
            v.gayn2zqstep = s.sequential("gayn2zqstep") { q in
                [q.linear(.const(1), .const(10)), q.relu(), q.linear(.const(10), .const(10)), q.relu(), q.linear(.const(10), .const(1)), q.softplus()]
            }
            v.lowerBoundZQStep = s.child("lower_bound_zqstep", "LowerBound") { $0.tensor("bound", [.const(1)], role: .buffer) }
        }
        if scaleToContext {
            v.scaleToContext = s.child("scale_to_context", "Linear") { Linear($0, .const(1), .m(2, 1)) }
        }
        d.variableRate = v
        return d
    }
}
