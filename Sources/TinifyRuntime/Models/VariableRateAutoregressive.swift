// TinifyRuntime: `mbt2018-vbr`, the variable-rate mbt2018 of Kamisli, Racapé, Choi,
// "Variable-Rate Learned Image Compression with Multi-Objective Optimization and
// Quantization-Reconstruction Offsets" (DCC 2024); mirrors
// compressai.models.vbr.JointAutoregressiveHierarchicalPriorsVbr (v1.2.8), stage 2 with its
// defaults (quantisation offsets on, `ste_recursive`, `scl2ctx`).
//
// As mbt2018, y is coded position by position in raster order, but at gain g: the context gets
// scale_to_context(g) added after its bias; at each position (σ, μ) from entropy_parameters, the
// symbols are round((y − μ)·g) coded with build_indexes(g·σ), and ŷ = sign(q)·(|q| + offset)/g + μ
// (offset = −QuantABCD(max(g·σ, 0.11), g), 0 where q = 0) — and that ŷ, offsets included, is the
// context of the positions after it. The forward pass runs the same loop (CompressAI's
// `_stequantization`), the likelihoods of round((y − μ)·g) under N(0, g·σ).
import TinifyCore
import TinifyArchitectures
import TinifyWeights

/// mbt2018-vbr at one gain.
package final class VariableRateAutoregressiveEngine: CompressionRuntimeModel, EntropyModelOwner, @unchecked Sendable {
    package var architecture: Architecture { .mbt2018Vbr }
    package var n: Int { base.n }
    package var m: Int { base.m }
    package var downsamplingFactor: Int { 64 }
    /// mbt2018's transforms, context weights and entropy models (bound under mbt2018-vbr's keys).
    private let base: JointAutoregressiveHierarchicalPriorsEngine
    /// The deterministic parameter path with scale_to_context(g) added to the context.
    private let path: AutoregressiveParameters
    private let quantABCD: QuantizationOffsets
    /// `scale_to_context`: Linear(1 → 2M).
    private let toContext: LinearStack
    /// The gains of the rate levels (`Gain`).
    package let gains: [Float]
    /// The gain g this engine codes with.
    package let scale: Float
    var entropyBottleneck: EntropyBottleneck { base.entropyBottleneck }
    var gaussianConditional: GaussianConditional? { base.gc }

    /// Binds mbt2018-vbr from canonical keys at gain `scale` (CompressAI's default: `Gain[1]`).
    package convenience init(_ w: WeightReader, scale: Float? = nil) throws {
        let id = Architecture.mbt2018Vbr
        let t = try DeclaredTransforms.build(id, w)
        let d = try DeclaredTransforms.declaration(id, w.store)
        guard let v = d.variableRate, let toContext = v.scaleToContext else { throw RuntimeError.layerMismatch("mbt2018-vbr without scale_to_context") }
        let gains = try w.floats(v.gain.key)
        guard gains.count > 1 else { throw RuntimeError.badShape(key: v.gain.key, shape: [gains.count], expected: "[8]") }
        try self.init(base: try JointAutoregressiveHierarchicalPriorsEngine(w, n: t.n, m: t.m, transforms: t),
                      quantABCD: try QuantizationOffsets(v.quantABCD, w),
                      toContext: try LinearStack([.linear(toContext)], w, inputs: 1, outputs: 2 * t.m, name: "scale_to_context"),
                      gains: gains, scale: scale ?? abs(gains[1]))
    }

    /// The model over already-bound parts, at gain `scale`: the context gets scale_to_context(g).
    private init(base: JointAutoregressiveHierarchicalPriorsEngine, quantABCD: QuantizationOffsets, toContext: LinearStack,
                 gains: [Float], scale g: Float) throws {
        guard g.isFinite, g > 0 else { throw RuntimeError.badInput("gain \(g): a VBR model needs a positive finite gain") }
        (self.base, self.quantABCD, self.toContext, self.gains, self.scale) = (base, quantABCD, toContext, gains, g)
        var p = base.autoregressive
        p.contextOffset = toContext([g])
        path = p
    }

    /// The model at rate level `s`: gain |Gain[s]|, over the same bound parts.
    package func atRateLevel(_ s: Int) throws -> any CompressionRuntimeModel {
        guard gains.indices.contains(s) else { throw RuntimeError.badInput("rate level \(s): mbt2018-vbr has levels 0…\(gains.count - 1)") }
        return try VariableRateAutoregressiveEngine(base: base, quantABCD: quantABCD, toContext: toContext, gains: gains, scale: abs(gains[s]))
    }

    /// One position's reconstruction of every channel: symbols q = round((y − μ)·g), ŷ written into
    /// the plane (offsets included); returns q and g·σ.
    private func quantize(_ h: Int, _ w: Int, scales: [Float], means: [Float], plane p: UnsafeMutablePointer<Float>, ph: Int, pw: Int,
                          symbols: inout [Int32], scaled: inout [Float], values: inout [Float]?) throws {
        let pad = AutoregressiveParameters.padding, rescale = 1 / scale
        for c in 0..<m {
            let at = (c * ph + h + pad) * pw + w + pad
            let v = (p[at] - means[c]) * scale
            values?.append(v)
            let q = try Symbols.round(v)
            let sigma = scales[c] * scale
            p[at] = reconstruct(q, sigma: sigma, mean: means[c], rescale: rescale)
            symbols.append(q)
            scaled.append(sigma)
        }
    }

    /// sign(q)·(|q| + offset)·(1/g) + μ, the offset 0 where q = 0.
    private func reconstruct(_ q: Int32, sigma: Float, mean: Float, rescale: Float) -> Float {
        let a = Float(q.magnitude)
        let off = q == 0 ? 0 : quantABCD.offset(scaledScale: sigma, gain: scale, bound: base.gc.scaleBound)
        let sign: Float = q > 0 ? 1 : q < 0 ? -1 : 0
        return sign * (a + off) * rescale + mean
    }

    /// `forward(x, stage=2)` at this gain: the serial loop of `_stequantization`.
    package func forward(_ x: FloatTensor) throws -> ForwardResult {
        try checkInput(x, factor: downsamplingFactor)
        let y = try base.gA(x)
        let (zHat, zLik) = base.entropyBottleneck.forward(try base.hA(y))
        let params = try base.hS(zHat)
        let (height, width) = (y.h, y.w), pad = AutoregressiveParameters.padding
        var yHat = FloatTensor(shape: y.shape, repeating: 0)
        var centred = [Float](), sigmas = [Float]()
        for b in 0..<y.n {
            var plane = path.paddedPlane(y, batch: b)
            var symbols = [Int32](), scaled = [Float](), values: [Float]? = []
            try path.rasterLoop(params: params, batch: b, height: height, width: width, plane: &plane) { h, w, scales, means, p in
                try quantize(h, w, scales: scales, means: means, plane: p, ph: height + 2 * pad, pw: width + 2 * pad,
                             symbols: &symbols, scaled: &scaled, values: &values)
            }
            yHat.withUnsafeMutableBufferPointer { path.unpad(plane, into: $0.baseAddress!, batch: b, height: height, width: width) }
            // Raster order (position, then channel) to NCHW.
            let v = values ?? []
            var c1 = [Float](repeating: 0, count: v.count), s1 = c1
            for i in v.indices { let (pos, c) = (i / m, i % m); c1[c * height * width + pos] = v[i]; s1[c * height * width + pos] = scaled[i] }
            centred += c1; sigmas += s1
        }
        let (_, yLik) = try base.gc.forward(try FloatTensor(shape: y.shape, data: centred), scales: try FloatTensor(shape: y.shape, data: sigmas), means: nil)
        return ForwardResult(xHat: try base.gS(yHat), y: y, likelihoods: ["y": yLik, "z": zLik])
    }

    package func auxLoss() -> Double { entropyAuxLoss() }
    package func update(scaleTable: [Float]?, force: Bool) throws -> [String: Tensor] { try entropyUpdate(scaleTable: scaleTable, force: force) }
    package func checkCodingTables() throws { try entropyCodingTablesCheck() }

    /// `compress(x, stage=2)`: strings [y, z], shape = z's size.
    package func compress(_ x: FloatTensor) throws -> CompressedLatents {
        try checkInput(x, factor: downsamplingFactor)
        let y = try base.gA(x)
        let (zStrings, zHat) = try base.entropyBottleneck.compressDecoded(base.hA(y))
        let params = try base.hS(zHat, mode: .deterministic)
        let table = try base.gc.codingTable.get()
        let (height, width) = (4 * zHat.h, 4 * zHat.w), pad = AutoregressiveParameters.padding
        guard y.h == height, y.w == width, y.c == m else { throw CodingError.shapeMismatch("y \(y.shape) for z \(zHat.shape)") }
        var yStrings: [[UInt8]] = []
        for b in 0..<y.n {
            var plane = path.paddedPlane(y, batch: b)
            var symbols = [Int32](), scaled = [Float](), values: [Float]? = nil
            try path.rasterLoop(params: params, batch: b, height: height, width: width, plane: &plane) { h, w, scales, means, p in
                try quantize(h, w, scales: scales, means: means, plane: p, ph: height + 2 * pad, pw: width + 2 * pad,
                             symbols: &symbols, scaled: &scaled, values: &values)
            }
            var encoder = RansEncoder()
            try encoder.encode(symbols, indexes: try base.gc.indexes(scaled), table: table)
            yStrings.append(encoder.flush())
        }
        return CompressedLatents(strings: [yStrings, zStrings], shape: [zHat.h, zHat.w])
    }

    /// ŷ decoded from strings [y, z], position by position in raster order.
    package func decodeLatent(_ c: CompressedLatents) throws -> FloatTensor {
        try checkLatents(c, groups: 2)
        let zHat = try base.entropyBottleneck.decompress(c.strings[1], height: c.shape[0], width: c.shape[1])
        let params = try base.hS(zHat, mode: .deterministic)
        let table = try base.gc.codingTable.get()
        let (height, width) = (4 * c.shape[0], 4 * c.shape[1]), pad = AutoregressiveParameters.padding
        let (ph, pw) = (height + 2 * pad, width + 2 * pad), rescale = 1 / scale
        var yHat = FloatTensor(shape: [c.strings[0].count, m, height, width], repeating: 0)
        for (b, string) in c.strings[0].enumerated() {
            var decoder = try RansDecoder(string)
            var plane = [Float](repeating: 0, count: m * ph * pw)
            try path.rasterLoop(params: params, batch: b, height: height, width: width, plane: &plane) { h, w, scales, means, p in
                let sigmas = scales.map { $0 * scale }
                let q = try decoder.decode(indexes: try base.gc.indexes(sigmas), table: table)
                for ch in 0..<m { p[(ch * ph + h + pad) * pw + w + pad] = reconstruct(q[ch], sigma: sigmas[ch], mean: means[ch], rescale: rescale) }
            }
            yHat.withUnsafeMutableBufferPointer { path.unpad(plane, into: $0.baseAddress!, batch: b, height: height, width: width) }
        }
        return yHat
    }

    package func synthesize(_ yHat: FloatTensor, bitExact: Bool) throws -> FloatTensor {
        clamped(try base.gS(yHat, mode: bitExact ? .deterministic : .fast))
    }
}
