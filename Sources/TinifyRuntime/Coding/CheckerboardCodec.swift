// TinifyRuntime: one compressai.latent_codecs.CheckerboardLatentCodec (He, Zheng, Sun, Wang,
// Qin, "Checkerboard Context Model for Efficient Learned Image Compression", CVPR 2021, v1.2.8)
// as the checkerboard model and each ELIC channel group use it: anchors ((row + column) even)
// coded from the side parameters alone, params = entropy_parameters(cat(0, side)); non-anchors
// from cat(context_prediction(ŷ of the anchors), side). Each pass codes its half of the latent
// as one (C, H, W/2) tensor (`unembed`), on the deterministic kernels when coding.
import TinifyCore
import TinifyArchitectures

/// A checkerboard latent codec bound to its weights.
struct CheckerboardCodec: @unchecked Sendable {
    /// The latent channels it codes.
    let channels: Int
    /// context_prediction with its stored checkerboard mask applied.
    let context: Conv2d
    /// The 1×1 convs from cat(ctx, side) to the Gaussian parameters.
    let entropyParameters: Sequential
    let gc: GaussianConditional
    /// Whether the parameters are (means, scales) (ELIC Chandelier) rather than (scales, means).
    let meansFirst: Bool

    /// Binds the codec `declared` names.
    init(_ w: WeightReader, _ declared: CheckerboardLatentCodec) throws {
        let ctx = DeclaredTransforms.prefix(declared.contextPrediction.conv.weight, ".weight")
        let shape = try w.shape(ctx + ".weight")
        guard shape.count == 4, shape[0] == 2 * shape[1] else { throw RuntimeError.badShape(key: ctx + ".weight", shape: shape, expected: "[2C, C, 5, 5]") }
        channels = shape[1]
        context = try Conv2d(w, ctx, in: channels, out: 2 * channels, kernel: 5, padding: 2, mask: try w.floats(ctx + ".mask"))
        entropyParameters = try DeclaredTransforms.sequential(declared.entropyParameters, w)
        gc = try GaussianConditional(w, DeclaredTransforms.prefix(declared.gaussianConditional.scaleBound, ".scale_bound"))
        meansFirst = declared.meansFirst
    }

    /// Whether (row, column) is an anchor (CompressAI's `anchor_parity="even"`).
    @inline(__always) static func isAnchor(_ r: Int, _ c: Int) -> Bool { (r + c) % 2 == 0 }

    /// (scales, means) from a context and the side parameters.
    func gaussian(_ ctx: FloatTensor, _ side: FloatTensor, mode: KernelMode) throws -> (scales: FloatTensor, means: FloatTensor) {
        let p = try entropyParameters(try FloatTensor.concatChannels(ctx, side), mode: mode)
        guard p.c == 2 * channels else { throw RuntimeError.layerMismatch("entropy_parameters gave \(p.c) channels for a latent of \(channels)") }
        let (a, b) = (p.channels(0..<channels), p.channels(channels..<(2 * channels)))
        return meansFirst ? (b, a) : (a, b)
    }

    /// `forward` in eval mode, `forward_method="twopass"`, ste quantisation: ŷ and the likelihoods.
    func forward(_ y: FloatTensor, side: FloatTensor) throws -> (yHat: FloatTensor, likelihoods: FloatTensor) {
        let zeros = FloatTensor(shape: [y.n, 2 * channels, y.h, y.w], repeating: 0)
        let (s0, m0) = try gaussian(zeros, side, mode: .fast)
        let anchors = Self.quantized(y, means: m0, anchors: true)
        let (s1, m1) = try gaussian(try context(anchors), side, mode: .fast)
        let nonAnchors = Self.quantized(y, means: m1, anchors: false)
        let yHat = FloatTensor(shape: y.shape) { out in for i in 0..<y.count { out[i] = anchors[i] + nonAnchors[i] } }
        return (yHat, try gc.forward(y, scales: Self.merged(s0, s1), means: Self.merged(m0, m1)).likelihoods)
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

    /// The non-anchors' context: context_prediction over the anchors' ŷ, the non-anchor half.
    private func nonAnchorContext(_ anchorHalf: FloatTensor) throws -> FloatTensor {
        let zeros = FloatTensor(shape: anchorHalf.shape, repeating: 0)
        return Self.unembed(try context(Self.embed(anchorHalf, zeros), mode: .deterministic), half: 1)
    }

    /// `compress(y, side)`: the anchors' and the non-anchors' strings, and ŷ as the decoder gets it.
    func compress(_ y: FloatTensor, side: FloatTensor) throws -> (strings: [[[UInt8]]], yHat: FloatTensor) {
        var strings: [[[UInt8]]] = [], halves: [FloatTensor] = []
        for half in 0..<2 {
            let sideHalf = Self.unembed(side, half: half), yHalf = Self.unembed(y, half: half)
            let ctx = half == 0 ? FloatTensor(shape: [y.n, 2 * channels, sideHalf.h, sideHalf.w], repeating: 0) : try nonAnchorContext(halves[0])
            let (scales, means) = try gaussian(ctx, sideHalf, mode: .deterministic)
            strings.append(try gc.compress(yHalf, indexes: try gc.indexes(scales.data), means: means))
            halves.append(FloatTensor(shape: yHalf.shape) { out in for i in 0..<yHalf.count { out[i] = (yHalf[i] - means[i]).rounded(.toNearestOrEven) + means[i] } })
        }
        return (strings, Self.embed(halves[0], halves[1]))
    }

    /// `decompress(strings, shape, side)`: ŷ (N, C, H, W) from the two halves' strings.
    func decompress(_ strings: ArraySlice<[[UInt8]]>, side: FloatTensor) throws -> FloatTensor {
        guard strings.count == 2 else { throw CodingError.shapeMismatch("\(strings.count) string groups for a checkerboard codec, expected 2") }
        var halves: [FloatTensor] = []
        for (half, group) in strings.enumerated() {
            let sideHalf = Self.unembed(side, half: half)
            let ctx = half == 0 ? FloatTensor(shape: [sideHalf.n, 2 * channels, sideHalf.h, sideHalf.w], repeating: 0) : try nonAnchorContext(halves[0])
            let (scales, means) = try gaussian(ctx, sideHalf, mode: .deterministic)
            halves.append(try gc.decompress(group, indexes: try gc.indexes(scales.data), means: means, shape: [group.count, channels, sideHalf.h, sideHalf.w]))
        }
        return Self.embed(halves[0], halves[1])
    }
}
