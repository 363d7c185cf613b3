// TinifyRuntime: `bmshj2018-hyperprior-vbr` and `mbt2018-mean-vbr`, the variable-rate models of
// Kamisli, Racapé, Choi, "Variable-Rate Learned Image Compression with Multi-Objective
// Optimization and Quantization-Reconstruction Offsets" (DCC 2024); mirrors
// compressai.models.vbr.ScaleHyperpriorVbr and MeanScaleHyperpriorVbr (v1.2.8), stage 2.
//
// One model, many rates: a gain g (Gain[s], or any `inputscale`) scales the latent before
// rounding. y is coded as round(g·y − g·μ) under N(0, g·σ) (the table index from g·σ); the
// decoder rebuilds ŷ = sign(q)·(|q| + offset)/g + μ, where offset = −QuantABCD(max(g·σ, 0.11), g)
// (0 where q = 0). With the variable-rate bottleneck (`vr_entbttlnck`), z is quantised with the
// step lower_bound(gayn2zqstep(1/g)) as well; otherwise z is coded as in the base model.
import TinifyCore
import TinifyArchitectures
import TinifyWeights

/// A VBR hyperprior model at one gain.
package final class VariableRateHyperpriorEngine: CompressionRuntimeModel, EntropyModelOwner, @unchecked Sendable {
    /// The base model's transforms and entropy models (bound under the VBR architecture).
    private let base: ScaleHyperpriorEngine
    /// The declared entropy models: `update()` and z's quantisation step for a gain.
    private let entropyModels: DeclaredEntropyModels
    /// The gains of the rate levels (`Gain`).
    package let gains: [Float]
    /// The gain g this engine codes with.
    package let scale: Float
    /// z's quantisation step at this gain (variable-rate bottleneck only).
    let zStep: Float?
    /// QuantABCD, the reconstruction offsets.
    private let quantABCD: QuantizationOffsets

    package var architecture: Architecture { base.id }
    package var n: Int { base.n }
    package var m: Int { base.m }
    package var downsamplingFactor: Int { 64 }
    var entropyBottleneck: EntropyBottleneck { base.entropyBottleneck }
    var gaussianConditional: GaussianConditional? { base.gc }

    /// Binds the VBR model `id` from canonical keys, at gain `scale` (CompressAI's default:
    /// `Gain[1]`).
    package convenience init(_ w: WeightReader, _ id: Architecture, scale: Float? = nil) throws {
        let d = try DeclaredTransforms.declaration(id, w.store)
        guard let v = d.variableRate else { throw RuntimeError.layerMismatch("\(id.rawValue) has no variable-rate modules") }
        let gains = try w.floats(v.gain.key)
        guard gains.count > 1 else { throw RuntimeError.badShape(key: v.gain.key, shape: [gains.count], expected: "[8]") }
        try self.init(base: try ScaleHyperpriorEngine(w, id), entropyModels: try DeclaredEntropyModels(id, store: w.store), gains: gains,
                      quantABCD: try QuantizationOffsets(v.quantABCD, w), scale: scale ?? abs(gains[1]))
    }

    /// The model over already-bound parts, at gain `scale`.
    private init(base: ScaleHyperpriorEngine, entropyModels: DeclaredEntropyModels, gains: [Float], quantABCD: QuantizationOffsets, scale g: Float) throws {
        guard g.isFinite, g > 0 else { throw RuntimeError.badInput("gain \(g): a VBR model needs a positive finite gain") }
        (self.base, self.entropyModels, self.gains, self.quantABCD, self.scale) = (base, entropyModels, gains, quantABCD, g)
        if base.entropyBottleneck.variableRate {
            guard let step = entropyModels.zStep(scale: g), step.isFinite, step > 0 else {
                throw RuntimeError.badInput("gayn2zqstep gives no positive quantisation step for gain \(g)")
            }
            zStep = step
        } else {
            zStep = nil
        }
    }

    /// ŷ from the integers q: sign(q)·(|q| + offset)·(1/g) + μ, offset 0 where |q| < 1e-4.
    private func reconstruct(_ q: FloatTensor, scales: FloatTensor, means: FloatTensor?) -> FloatTensor {
        let rescale = 1 / scale
        return FloatTensor(shape: q.shape) { out in
            for i in 0..<q.count {
                let a = abs(q[i])
                let off = a < 0.0001 ? 0 : quantABCD.offset(scaledScale: scales[i] * scale, gain: scale, bound: base.gc.scaleBound)
                let sign: Float = q[i] > 0 ? 1 : q[i] < 0 ? -1 : 0
                out[i] = sign * (a + off) * rescale + (means?[i] ?? 0)
            }
        }
    }

    /// ẑ and its likelihoods: the bottleneck's eval forward, at z's step when it has one.
    private func hyperForward(_ z: FloatTensor) -> (FloatTensor, FloatTensor) {
        base.entropyBottleneck.forward(z, step: zStep)
    }

    /// `forward(x, stage=2)` at this gain.
    package func forward(_ x: FloatTensor) throws -> ForwardResult {
        try checkInput(x, factor: downsamplingFactor)
        let y = try base.gA(x)
        let (zHat, zLik) = hyperForward(try base.hyperLatent(y))
        let (scales, means) = try base.gaussianParameters(zHat)
        let centred = means.map { mu in FloatTensor(shape: y.shape) { out in for i in 0..<y.count { out[i] = (y[i] - mu[i]) * scale } } }
            ?? y.map { $0 * scale }
        let q = FloatTensor(shape: y.shape) { out in
            for i in 0..<y.count {
                let a = abs(centred[i]).rounded(.toNearestOrEven)
                out[i] = centred[i] > 0 ? a : centred[i] < 0 ? -a : 0
            }
        }
        let yHat = reconstruct(q, scales: scales, means: means)
        let (_, yLik) = try base.gc.forward(y.map { $0 * scale }, scales: scales.map { $0 * scale }, means: means?.map { $0 * scale })
        return ForwardResult(xHat: try base.gS(yHat), y: y, likelihoods: ["y": yLik, "z": zLik])
    }

    /// The model at rate level `s`: gain |Gain[s]|, as `compress(x, s=s)` codes.
    package func atRateLevel(_ s: Int) throws -> any CompressionRuntimeModel {
        guard gains.indices.contains(s) else { throw RuntimeError.badInput("rate level \(s): \(architecture.rawValue) has levels 0…\(gains.count - 1)") }
        // The same bound parts: only the gain and z's step change.
        return try VariableRateHyperpriorEngine(base: base, entropyModels: entropyModels, gains: gains, quantABCD: quantABCD, scale: abs(gains[s]))
    }

    package func auxLoss() -> Double { base.entropyBottleneck.variableRate ? 0 : entropyAuxLoss() }

    package func update(scaleTable: [Float]?, force: Bool) throws -> [String: Tensor] {
        try entropyModels.update(scaleTable: scaleTable, force: force)
    }

    package func checkCodingTables() throws { try entropyCodingTablesCheck() }

    /// `compress(x, stage=2)`: strings [y, z], shape = z's height and width.
    package func compress(_ x: FloatTensor) throws -> CompressedLatents {
        try checkInput(x, factor: downsamplingFactor)
        let y = try base.gA(x)
        let (zStrings, zHat) = try base.entropyBottleneck.compressDecoded(base.hyperLatent(y), step: zStep)
        let (scales, means) = try base.gaussianParameters(zHat, mode: .deterministic)
        let scaled = scales.map { $0 * scale }
        let yStrings = try base.gc.compress(y.map { $0 * scale }, indexes: try base.gc.indexes(scaled.data), means: means?.map { $0 * scale })
        return CompressedLatents(strings: [yStrings, zStrings], shape: [zHat.h, zHat.w])
    }

    /// ŷ decoded from strings [y, z] at this gain.
    package func decodeLatent(_ c: CompressedLatents) throws -> FloatTensor {
        try checkLatents(c, groups: 2)
        let zHat = try base.entropyBottleneck.decompress(c.strings[1], height: c.shape[0], width: c.shape[1], step: zStep)
        let (scales, means) = try base.gaussianParameters(zHat, mode: .deterministic)
        let q = try base.gc.decompress(c.strings[0], indexes: try base.gc.indexes(scales.map { $0 * scale }.data), means: nil, shape: scales.shape)
        return reconstruct(q, scales: scales, means: means)
    }

    package func synthesize(_ yHat: FloatTensor, bitExact: Bool) throws -> FloatTensor {
        clamped(try base.gS(yHat, mode: bitExact ? .deterministic : .fast))
    }
}

/// The VBR models' `QuantABCD` (Linear 2→12, ReLU, 12→12, ReLU, 12→1): the reconstruction offset
/// of a nonzero symbol from (max(g·σ, bound), g).
struct QuantizationOffsets: Sendable {
    let network: LinearStack

    /// Binds the declared `QuantABCD` layers.
    init(_ declared: [Layer], _ w: WeightReader) throws {
        network = try LinearStack(declared, w, inputs: 2, outputs: 1, name: "QuantABCD")
    }

    /// −QuantABCD(max(g·σ, bound), g), on the fixed operation order of `LinearStack`.
    func offset(scaledScale: Float, gain: Float, bound: Float) -> Float {
        -(network([Swift.max(scaledScale, bound), gain]).first ?? 0)
    }
}
