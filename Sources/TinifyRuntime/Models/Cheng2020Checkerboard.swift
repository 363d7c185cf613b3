// TinifyRuntime: `cheng2020-anchor-checkerboard`: cheng2020-anchor's transforms with the
// checkerboard context of He, Zheng, Sun, Wang, Qin, "Checkerboard Context Model for Efficient
// Learned Image Compression" (CVPR 2021); mirrors compressai.models.sensetime.
// Cheng2020AnchorCheckerboard (v1.2.8): HyperpriorLatentCodec{y: CheckerboardLatentCodec (see
// CheckerboardCodec), hyper: EntropyBottleneck(N) with cheng2020's h_a and h_s}.
// Strings [y anchors, y non-anchors, z]; shape z's.
import TinifyCore
import TinifyArchitectures
import TinifyWeights

/// The checkerboard model.
package final class Cheng2020CheckerboardEngine: CompressionRuntimeModel, EntropyModelOwner, @unchecked Sendable {
    package var architecture: Architecture { .cheng2020AnchorCheckerboard }
    package let n: Int, m: Int
    package var downsamplingFactor: Int { 64 }
    let transforms: DeclaredTransforms.Built
    /// latent_codec.y.
    let codec: CheckerboardCodec
    let entropyBottleneck: EntropyBottleneck
    var gaussianConditional: GaussianConditional? { codec.gc }

    /// Binds the model from canonical keys.
    package init(_ w: WeightReader) throws {
        let id = Architecture.cheng2020AnchorCheckerboard
        transforms = try DeclaredTransforms.build(id, w)
        (n, m) = (transforms.n, transforms.m)
        guard let declared = try DeclaredTransforms.declaration(id, w.store).checkerboard.first else {
            throw RuntimeError.layerMismatch("\(id.rawValue) declares no checkerboard codec")
        }
        codec = try CheckerboardCodec(w, declared)
        entropyBottleneck = try EntropyBottleneck(w, "latent_codec.hyper.entropy_bottleneck", channels: n)
    }

    /// `forward` in eval mode (`forward_method="twopass"`, ste quantisation).
    package func forward(_ x: FloatTensor) throws -> ForwardResult {
        try checkInput(x, factor: downsamplingFactor)
        let y = try transforms.gA(x)
        let (zHat, zLik) = entropyBottleneck.forward(try transforms.hA(y))
        let (yHat, yLik) = try codec.forward(y, side: try transforms.hS(zHat))
        return ForwardResult(xHat: try transforms.gS(yHat), y: y, likelihoods: ["y": yLik, "z": zLik])
    }

    package func auxLoss() -> Double { entropyAuxLoss() }
    package func update(scaleTable: [Float]?, force: Bool) throws -> [String: Tensor] { try entropyUpdate(scaleTable: scaleTable, force: force) }
    package func checkCodingTables() throws { try entropyCodingTablesCheck() }

    /// `compress(x)`: strings [y anchors, y non-anchors, z], shape = z's height and width.
    package func compress(_ x: FloatTensor) throws -> CompressedLatents {
        try checkInput(x, factor: downsamplingFactor)
        let y = try transforms.gA(x)
        let (zStrings, zHat) = try entropyBottleneck.compressDecoded(try transforms.hA(y))
        let (strings, _) = try codec.compress(y, side: try transforms.hS(zHat, mode: .deterministic))
        return CompressedLatents(strings: strings + [zStrings], shape: [zHat.h, zHat.w])
    }

    /// ŷ decoded from strings [y anchors, y non-anchors, z].
    package func decodeLatent(_ c: CompressedLatents) throws -> FloatTensor {
        try checkLatents(c, groups: 3)
        let zHat = try entropyBottleneck.decompress(c.strings[2], height: c.shape[0], width: c.shape[1])
        return try codec.decompress(c.strings[0..<2], side: try transforms.hS(zHat, mode: .deterministic))
    }

    package func synthesize(_ yHat: FloatTensor, bitExact: Bool) throws -> FloatTensor {
        clamped(try transforms.gS(yHat, mode: bitExact ? .deterministic : .fast))
    }
}
