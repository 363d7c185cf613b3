// TinifyRuntime: compress / decompress of the factorized and hyperprior models of Ballé, Minnen,
// Singh, Hwang, Johnston, "Variational image compression with a scale hyperprior" (ICLR 2018) and
// Minnen, Ballé, Toderici (NeurIPS 2018), mirroring compressai.models.FactorizedPrior,
// ScaleHyperprior and MeanScaleHyperprior (v1.2.8):
// factorized: strings [y] coded by the bottleneck, shape = y's size;
// hyperpriors: z = h_a(y) coded by the bottleneck, ẑ decoded back (as the decoder will see it),
// scales (and means) = h_s(ẑ), y coded by the Gaussian conditional; strings [y, z], shape = z's size.
import TinifyCore

/// Checks a compressed latent set: `groups` string groups, each with the same number of strings,
/// and a two-number positive shape no larger than `limit` per side. The decoder's memory and time
/// follow the declared shape, not the strings' length, so the default bounds it to an image of
/// 16384 pixels a side (y of the factorized models: 1024; z of the others: 256).
func checkLatents(_ c: CompressedLatents, groups: Int, limit: Int? = nil) throws {
    let limit = limit ?? (groups == 1 ? 1 << 10 : 1 << 8)
    guard c.strings.count == groups else { throw CodingError.shapeMismatch("\(c.strings.count) string groups, expected \(groups)") }
    guard let batch = c.strings.first?.count, batch >= 1, c.strings.allSatisfy({ $0.count == batch }) else {
        throw CodingError.shapeMismatch("string groups of different or zero batch sizes")
    }
    guard c.shape.count == 2, c.shape.allSatisfy({ $0 > 0 && $0 <= limit }) else {
        throw CodingError.shapeMismatch("latent shape \(c.shape), expected two sides in 1…\(limit)")
    }
}

/// x̂ clamped to [0, 1] (`clamp_(0, 1)`).
func clamped(_ x: FloatTensor) -> FloatTensor { x.map { Swift.min(Swift.max($0, 0), 1) } }

extension FactorizedPriorEngine {
    /// Throws the reason the stored CDF tables cannot code.
    package func checkCodingTables() throws { try entropyCodingTablesCheck() }

    /// `compress(x)`: strings [y], shape = y's height and width.
    package func compress(_ x: FloatTensor) throws -> CompressedLatents {
        try checkInput(x, factor: downsamplingFactor)
        let y = try gA(x)
        return CompressedLatents(strings: [try entropyBottleneck.compress(y)], shape: [y.h, y.w])
    }

    /// ŷ decoded from strings [y].
    package func decodeLatent(_ c: CompressedLatents) throws -> FloatTensor {
        try checkLatents(c, groups: 1)
        return try entropyBottleneck.decompress(c.strings[0], height: c.shape[0], width: c.shape[1])
    }

    /// g_s(ŷ) clamped; `bitExact` runs it on the deterministic kernels.
    package func synthesize(_ yHat: FloatTensor, bitExact: Bool) throws -> FloatTensor {
        clamped(try gS(yHat, mode: bitExact ? .deterministic : .fast))
    }
}

extension ScaleHyperpriorEngine {
    /// Throws the reason the stored CDF tables cannot code.
    package func checkCodingTables() throws { try entropyCodingTablesCheck() }

    /// `compress(x)`: strings [y, z], shape = z's height and width.
    package func compress(_ x: FloatTensor) throws -> CompressedLatents {
        try checkInput(x, factor: downsamplingFactor)
        let y = try gA(x)
        let (zStrings, zHat) = try entropyBottleneck.compressDecoded(hyperLatent(y))
        let (scales, means) = try gaussianParameters(zHat, mode: .deterministic)
        let yStrings = try gc.compress(y, indexes: try gc.indexes(scales.data), means: means)
        return CompressedLatents(strings: [yStrings, zStrings], shape: [zHat.h, zHat.w])
    }

    /// ŷ decoded from strings [y, z]: ẑ, then (σ, μ) = h_s(ẑ) on the deterministic kernels.
    package func decodeLatent(_ c: CompressedLatents) throws -> FloatTensor {
        try checkLatents(c, groups: 2)
        let zHat = try entropyBottleneck.decompress(c.strings[1], height: c.shape[0], width: c.shape[1])
        let (scales, means) = try gaussianParameters(zHat, mode: .deterministic)
        return try gc.decompress(c.strings[0], indexes: try gc.indexes(scales.data), means: means, shape: scales.shape)
    }

    /// g_s(ŷ) clamped; `bitExact` runs it on the deterministic kernels.
    package func synthesize(_ yHat: FloatTensor, bitExact: Bool) throws -> FloatTensor {
        clamped(try gS(yHat, mode: bitExact ? .deterministic : .fast))
    }
}
