// TinifyRuntime: `bmshj2018-hyperprior`, the scale-hyperprior model of Ballé, Minnen, Singh, Hwang,
// Johnston, "Variational image compression with a scale hyperprior" (ICLR 2018); mirrors
// compressai.models.ScaleHyperprior (v1.2.8).
//
// z = h_a(|y|) with h_a: conv(M→N,k3,s1) ReLU conv(N→N,k5,s2) ReLU conv(N→N,k5,s2); an
// EntropyBottleneck(N) models z; scales = h_s(ẑ) with h_s: deconv(N→N) ReLU deconv(N→N) ReLU
// conv(N→M,k3,s1) ReLU; a GaussianConditional (zero mean) models y, ŷ = round(y).
import TinifyCore
import TinifyArchitectures

/// The scale-hyperprior model (and, through `MeanScaleHyperprior`, the mean-scale one).
package class ScaleHyperpriorEngine: CompressionRuntimeModel, EntropyModelOwner, @unchecked Sendable {
    /// The zoo name.
    package var architecture: Architecture { id }
    let id: Architecture
    /// N.
    package let n: Int
    /// M.
    package let m: Int
    /// 64: y is H/16 and z is y/4.
    package var downsamplingFactor: Int { 64 }
    let gA: Sequential, gS: Sequential, hA: Sequential, hS: Sequential
    let entropyBottleneck: EntropyBottleneck
    let gc: GaussianConditional
    var gaussianConditional: GaussianConditional? { gc }

    /// Binds a ScaleHyperprior from canonical keys.
    package convenience init(_ w: WeightReader) throws { try self.init(w, .bmshj2018Hyperprior) }

    /// Binds the hyperprior model `id` declares from canonical keys.
    init(_ w: WeightReader, _ id: Architecture) throws {
        self.id = id
        let t = try DeclaredTransforms.build(id, w)
        (n, m) = (t.n, t.m)
        (gA, gS, hA, hS) = (t.gA, t.gS, t.hA, t.hS)
        entropyBottleneck = try EntropyBottleneck(w, "entropy_bottleneck", channels: n)
        gc = try GaussianConditional(w, "gaussian_conditional")
    }

    /// Whether h_s predicts means too (mbt2018-mean and its VBR variant).
    var hasMeans: Bool { id == .mbt2018Mean || id == .mbt2018MeanVbr }

    /// z = h_a(|y|) (bmshj2018-hyperprior) or h_a(y) (mbt2018-mean).
    func hyperLatent(_ y: FloatTensor) throws -> FloatTensor {
        try hA(hasMeans ? y : y.map { abs($0) })
    }

    /// The Gaussian parameters h_s(ẑ) gives: scales only (bmshj2018-hyperprior) or scales and
    /// means, its first and second M channels (mbt2018-mean). Coding runs h_s `.deterministic`.
    func gaussianParameters(_ zHat: FloatTensor, mode: KernelMode = .fast) throws -> (scales: FloatTensor, means: FloatTensor?) {
        let p = try hS(zHat, mode: mode)
        return hasMeans ? (p.channels(0..<m), p.channels(m..<(2 * m))) : (p, nil)
    }

    /// `forward`: y = g_a(x), z, ẑ from the bottleneck, (scales, means) from h_s(ẑ), and
    /// ŷ = round(y − μ) + μ (μ = 0 without means).
    package func forward(_ x: FloatTensor) throws -> ForwardResult {
        try checkInput(x, factor: downsamplingFactor)
        let y = try gA(x)
        let (zHat, zLik) = entropyBottleneck.forward(try hyperLatent(y))
        let (scales, means) = try gaussianParameters(zHat)
        let (yHat, yLik) = try gc.forward(y, scales: scales, means: means)
        return ForwardResult(xHat: try gS(yHat), y: y, likelihoods: ["y": yLik, "z": zLik])
    }

    /// `aux_loss()`.
    package func auxLoss() -> Double { entropyAuxLoss() }

    /// `update(scale_table, force)`.
    package func update(scaleTable: [Float]?, force: Bool) throws -> [String: Tensor] {
        try entropyUpdate(scaleTable: scaleTable, force: force)
    }
}
