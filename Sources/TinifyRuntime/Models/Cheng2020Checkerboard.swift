// TinifyRuntime: `cheng2020-anchor-checkerboard`: cheng2020-anchor's transforms with the
// checkerboard context of He, Zheng, Sun, Wang, Qin, "Checkerboard Context Model for Efficient
// Learned Image Compression" (CVPR 2021); mirrors compressai.models.sensetime.
// Cheng2020AnchorCheckerboard and compressai.latent_codecs.CheckerboardLatentCodec (v1.2.8).
//
// y's positions split into anchors ((row + column) even) and non-anchors. Anchors are coded from
// the hyperprior alone: params = entropy_parameters(cat(0, h_s(ẑ))); non-anchors from the
// hyperprior and ctx = context_prediction(ŷ of the anchors) — a 5×5 conv whose stored mask keeps
// the taps of the other parity. Each pass codes its half as one (C, H, W/2) tensor
// (`unembed`), so both passes run in parallel over positions. Strings [y anchors, y non-anchors,
// z]; the Gaussian parameters are (scales, means).
import TinifyCore
import TinifyArchitectures
import TinifyWeights

/// The checkerboard model.
package final class Cheng2020CheckerboardEngine: CompressionRuntimeModel, EntropyModelOwner, @unchecked Sendable {
    package var architecture: Architecture { .cheng2020AnchorCheckerboard }
    package let n: Int, m: Int
    package var downsamplingFactor: Int { 64 }
    let gA: Sequential, gS: Sequential, hA: Sequential, hS: Sequential
    /// context_prediction with its stored checkerboard mask applied.
    let context: Conv2d
    /// The 1×1 convs from cat(ctx, params) to (scales, means).
    let entropyParameters: Sequential
    let entropyBottleneck: EntropyBottleneck
    let gc: GaussianConditional
    var gaussianConditional: GaussianConditional? { gc }

    /// Binds the model from canonical keys.
    package init(_ w: WeightReader) throws {
        let id = Architecture.cheng2020AnchorCheckerboard
        let t = try DeclaredTransforms.build(id, w)
        (n, m) = (t.n, t.m)
        (gA, gS, hA, hS) = (t.gA, t.gS, t.hA, t.hS)
        guard let codec = try DeclaredTransforms.declaration(id, w.store).checkerboard.first else {
            throw RuntimeError.layerMismatch("\(id.rawValue) declares no checkerboard codec")
        }
        let ctx = "latent_codec.y.context_prediction"
        context = try Conv2d(w, ctx, in: m, out: 2 * m, kernel: 5, padding: 2, mask: try w.floats(ctx + ".mask"))
        entropyParameters = try DeclaredTransforms.sequential(codec.entropyParameters, w)
        entropyBottleneck = try EntropyBottleneck(w, "latent_codec.hyper.entropy_bottleneck", channels: n)
        gc = try GaussianConditional(w, "latent_codec.y.y.gaussian_conditional")
    }

    /// Whether (row, column) is an anchor (CompressAI's `anchor_parity="even"`).
    @inline(__always) static func isAnchor(_ r: Int, _ c: Int) -> Bool { (r + c) % 2 == 0 }

    /// (scales, means) from a context and the hyperprior's parameters.
    private func gaussian(_ ctx: FloatTensor, _ side: FloatTensor, mode: KernelMode) throws -> (scales: FloatTensor, means: FloatTensor) {
        let p = try entropyParameters(try FloatTensor.concatChannels(ctx, side), mode: mode)
        return (p.channels(0..<m), p.channels(m..<(2 * m)))
    }

    /// `forward` in eval mode, `forward_method="twopass"` with ste quantisation (ŷ = round(y − μ) + μ).
    package func forward(_ x: FloatTensor) throws -> ForwardResult {
        try checkInput(x, factor: downsamplingFactor)
        let y = try gA(x)
        let (zHat, zLik) = entropyBottleneck.forward(try hA(y))
        let side = try hS(zHat)
        let zeros = FloatTensor(shape: [y.n, 2 * m, y.h, y.w], repeating: 0)
        let (s0, m0) = try gaussian(zeros, side, mode: .fast)
        let anchors = Self.quantized(y, means: m0, anchors: true)
        let (s1, m1) = try gaussian(try context(anchors), side, mode: .fast)
        let nonAnchors = Self.quantized(y, means: m1, anchors: false)
        let yHat = FloatTensor(shape: y.shape) { out in for i in 0..<y.count { out[i] = anchors[i] + nonAnchors[i] } }
        let scales = Self.merged(s0, s1), means = Self.merged(m0, m1)
        let (_, yLik) = try gc.forward(y, scales: scales, means: means)
        return ForwardResult(xHat: try gS(yHat), y: y, likelihoods: ["y": yLik, "z": zLik])
    }

    /// round(y − μ) + μ at one parity's positions, 0 at the others.
    static func quantized(_ y: FloatTensor, means: FloatTensor, anchors: Bool) -> FloatTensor {
        FloatTensor(shape: y.shape) { out in
            let (h, w) = (y.h, y.w)
            for plane in 0..<(y.n * y.c) {
                for r in 0..<h {
                    for c in 0..<w {
                        let i = (plane * h + r) * w + c
                        out[i] = isAnchor(r, c) == anchors ? (y[i] - means[i]).rounded(.toNearestOrEven) + means[i] : 0
                    }
                }
            }
        }
    }

    /// The anchors' values from `a`, the non-anchors' from `b`.
    static func merged(_ a: FloatTensor, _ b: FloatTensor) -> FloatTensor {
        FloatTensor(shape: a.shape) { out in
            let (h, w) = (a.h, a.w)
            for plane in 0..<(a.n * a.c) {
                for r in 0..<h { for c in 0..<w { let i = (plane * h + r) * w + c; out[i] = isAnchor(r, c) ? a[i] : b[i] } }
            }
        }
    }

    /// `unembed`: one parity's positions as an (N, C, H, W/2) tensor (half 0: anchors).
    static func unembed(_ x: FloatTensor, half: Int) -> FloatTensor {
        let (h, w) = (x.h, x.w / 2)
        return FloatTensor(shape: [x.n, x.c, h, w]) { out in
            for plane in 0..<(x.n * x.c) {
                for r in 0..<h { for j in 0..<w { out[(plane * h + r) * w + j] = x[(plane * h + r) * x.w + 2 * j + (r + half) % 2] } }
            }
        }
    }

    /// `embed`: the two halves back into one (N, C, H, W) tensor.
    static func embed(_ anchors: FloatTensor, _ nonAnchors: FloatTensor) -> FloatTensor {
        let (h, w) = (anchors.h, anchors.w)
        return FloatTensor(shape: [anchors.n, anchors.c, h, 2 * w]) { out in
            for plane in 0..<(anchors.n * anchors.c) {
                for r in 0..<h {
                    for j in 0..<w {
                        out[(plane * h + r) * 2 * w + 2 * j + r % 2] = anchors[(plane * h + r) * w + j]
                        out[(plane * h + r) * 2 * w + 2 * j + (r + 1) % 2] = nonAnchors[(plane * h + r) * w + j]
                    }
                }
            }
        }
    }

    package func auxLoss() -> Double { entropyAuxLoss() }

    package func update(scaleTable: [Float]?, force: Bool) throws -> [String: Tensor] {
        try entropyUpdate(scaleTable: scaleTable, force: force)
    }

    package func checkCodingTables() throws { try entropyCodingTablesCheck() }

    /// The non-anchors' context: context_prediction over the anchors' ŷ, the non-anchor half.
    private func nonAnchorContext(_ anchorHalf: FloatTensor) throws -> FloatTensor {
        let zeros = FloatTensor(shape: anchorHalf.shape, repeating: 0)
        return Self.unembed(try context(Self.embed(anchorHalf, zeros), mode: .deterministic), half: 1)
    }

    /// `compress(x)`: strings [y anchors, y non-anchors, z], shape = z's height and width.
    package func compress(_ x: FloatTensor) throws -> CompressedLatents {
        try checkInput(x, factor: downsamplingFactor)
        let y = try gA(x)
        let (zStrings, zHat) = try entropyBottleneck.compressDecoded(try hA(y))
        let side = try hS(zHat, mode: .deterministic)
        var strings: [[[UInt8]]] = []
        var anchorHalf = FloatTensor(shape: [0], repeating: 0)
        for half in 0..<2 {
            let sideHalf = Self.unembed(side, half: half), yHalf = Self.unembed(y, half: half)
            let ctx = half == 0 ? FloatTensor(shape: sideHalf.shape, repeating: 0) : try nonAnchorContext(anchorHalf)
            let (scales, means) = try gaussian(ctx, sideHalf, mode: .deterministic)
            let indexes = try gc.indexes(scales.data)
            strings.append(try gc.compress(yHalf, indexes: indexes, means: means))
            if half == 0 { anchorHalf = FloatTensor(shape: yHalf.shape) { out in for i in 0..<yHalf.count { out[i] = (yHalf[i] - means[i]).rounded(.toNearestOrEven) + means[i] } } }
        }
        return CompressedLatents(strings: strings + [zStrings], shape: [zHat.h, zHat.w])
    }

    /// ŷ decoded from strings [y anchors, y non-anchors, z].
    package func decodeLatent(_ c: CompressedLatents) throws -> FloatTensor {
        try checkLatents(c, groups: 3)
        let zHat = try entropyBottleneck.decompress(c.strings[2], height: c.shape[0], width: c.shape[1])
        let side = try hS(zHat, mode: .deterministic)
        var halves: [FloatTensor] = []
        for half in 0..<2 {
            let sideHalf = Self.unembed(side, half: half)
            let ctx = half == 0 ? FloatTensor(shape: sideHalf.shape, repeating: 0) : try nonAnchorContext(halves[0])
            let (scales, means) = try gaussian(ctx, sideHalf, mode: .deterministic)
            halves.append(try gc.decompress(c.strings[half], indexes: try gc.indexes(scales.data), means: means,
                                            shape: [c.strings[half].count, m, sideHalf.h, sideHalf.w]))
        }
        return Self.embed(halves[0], halves[1])
    }

    package func synthesize(_ yHat: FloatTensor, bitExact: Bool) throws -> FloatTensor {
        clamped(try gS(yHat, mode: bitExact ? .deterministic : .fast))
    }
}
