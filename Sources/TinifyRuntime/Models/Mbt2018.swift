// TinifyRuntime: `mbt2018`, the joint autoregressive and hierarchical priors model of Minnen,
// Ballé, Toderici, "Joint Autoregressive and Hierarchical Priors for Learned Image Compression"
// (NeurIPS 2018); mirrors compressai.models.JointAutoregressiveHierarchicalPriors (v1.2.8).
//
// params = h_s(ẑ) (2M channels), ctx = context_prediction(round(y)) — a 5×5 masked ('A')
// convolution M→2M — and (scales, means) = entropy_parameters(cat(params, ctx)), three 1×1
// convolutions 4M→⌊10M/3⌋→⌊8M/3⌋→2M with LeakyReLU. In the forward pass ŷ = round(y) feeds the
// context model and g_s; the likelihoods are those of round(y − μ) + μ.
import TinifyArchitectures
import TinifyCore

/// The joint autoregressive + hierarchical priors model; Cheng2020 models subclass it.
package class JointAutoregressiveHierarchicalPriorsEngine: CompressionRuntimeModel, EntropyModelOwner, @unchecked Sendable {
    /// The zoo name.
    package var architecture: Architecture { .mbt2018 }
    /// N.
    package let n: Int
    /// M.
    package let m: Int
    /// 64: y is H/16 and z is y/4.
    package var downsamplingFactor: Int { 64 }
    let gA: Sequential, gS: Sequential, hA: Sequential, hS: Sequential
    let context: Conv2d
    /// The context model and entropy_parameters on the deterministic kernels, for the
    /// position-by-position coding loop.
    let autoregressive: AutoregressiveParameters
    let entropyParameters: Sequential
    let entropyBottleneck: EntropyBottleneck
    let gc: GaussianConditional
    var gaussianConditional: GaussianConditional? { gc }

    /// Binds the shared parts (context model, entropy parameters, entropy models) around the given
    /// transforms.
    init(_ w: WeightReader, n: Int, m: Int, transforms t: DeclaredTransforms.Built) throws {
        self.n = n; self.m = m
        gA = t.gA; gS = t.gS; hA = t.hA; hS = t.hS
        // The context model's weight is read once: masked for the forward pass, and as causal taps
        // for the position-by-position coding loop.
        let shape = [2 * m, m, AutoregressiveParameters.kernel, AutoregressiveParameters.kernel]
        let weight = try w.floats("context_prediction.weight", shape: shape)
        let bias = w.has("context_prediction.bias") ? try w.floats("context_prediction.bias", shape: [2 * m]) : nil
        context = try MaskedConv.make(weight: weight, shape: shape, bias: bias)
        autoregressive = try AutoregressiveParameters(contextWeight: weight, contextBias: bias, m: m,
                                                      layers: t.entropyParametersDense, paramsChannels: 2 * m)
        entropyParameters = t.entropyParameters
        entropyBottleneck = try EntropyBottleneck(w, "entropy_bottleneck", channels: n)
        gc = try GaussianConditional(w, "gaussian_conditional")
    }

    /// Binds an mbt2018 model from canonical keys.
    package convenience init(_ w: WeightReader) throws {
        let t = try DeclaredTransforms.build(.mbt2018, w)
        try self.init(w, n: t.n, m: t.m, transforms: t)
    }

    /// `forward` in eval mode.
    package func forward(_ x: FloatTensor) throws -> ForwardResult {
        try checkInput(x, factor: downsamplingFactor)
        let y = try gA(x)
        let z = try hA(y)
        let (zHat, zLik) = entropyBottleneck.forward(z)
        let params = try hS(zHat)
        let yHat = y.map { $0.rounded(.toNearestOrEven) }
        let ctx = try context(yHat)
        let gp = try entropyParameters(try FloatTensor.concatChannels(params, ctx))
        let scales = gp.channels(0..<m), means = gp.channels(m..<(2 * m))
        let (_, yLik) = try gc.forward(y, scales: scales, means: means)
        return ForwardResult(xHat: try gS(yHat), y: y, likelihoods: ["y": yLik, "z": zLik])
    }

    /// `aux_loss()`.
    package func auxLoss() -> Double { entropyAuxLoss() }

    /// `update(scale_table, force)`.
    package func update(scaleTable: [Float]?, force: Bool) throws -> [String: Tensor] {
        try entropyUpdate(scaleTable: scaleTable, force: force)
    }
}
