// TinifyRuntime: compress / decompress of the autoregressive models of Minnen, Ballé, Toderici,
// "Joint Autoregressive and Hierarchical Priors for Learned Image Compression" (NeurIPS 2018) and
// Cheng, Sun, Takeuchi, Katto, "Learned Image Compression with Discretized Gaussian Mixture
// Likelihoods and Attention Modules" (CVPR 2020), mirroring
// compressai.models.JointAutoregressiveHierarchicalPriors._compress_ar / _decompress_ar (v1.2.8),
// which Cheng2020Anchor and Cheng2020Attention inherit. z is coded as in the hyperprior models;
// y is coded pixel by pixel in raster order into one stream per image: at each position the
// masked 5×5 context of the already-coded ŷ and the hyperprior's parameters there give (σ, μ)
// through entropy_parameters, and the M channels are coded with build_indexes(σ), ŷ = q + μ.
// h_s, the context and entropy_parameters run on the deterministic kernels
// (AutoregressiveParameters), so encoder and decoder agree on every machine.
import TinifyCore

extension JointAutoregressiveHierarchicalPriorsEngine {
    /// Throws the reason the stored CDF tables cannot code.
    package func checkCodingTables() throws { try entropyCodingTablesCheck() }

    /// `compress(x)`: strings [y, z] (one autoregressive y stream per image), shape = z's size.
    package func compress(_ x: FloatTensor) throws -> CompressedLatents {
        try checkInput(x, factor: downsamplingFactor)
        let y = try gA(x)
        let (zStrings, zHat) = try entropyBottleneck.compressDecoded(hA(y))
        let params = try hS(zHat, mode: .deterministic)
        let table = try gc.codingTable.get()
        let (height, width) = (4 * zHat.h, 4 * zHat.w)
        guard y.h == height, y.w == width, y.c == m else { throw CodingError.shapeMismatch("y \(y.shape) for z \(zHat.shape)") }
        let pad = AutoregressiveParameters.padding, (ph, pw) = (height + 2 * pad, width + 2 * pad)
        var yStrings: [[UInt8]] = []
        for b in 0..<y.n {
            var plane = autoregressive.paddedPlane(y, batch: b)
            var symbols = [Int32](), indexes = [Int32]()
            symbols.reserveCapacity(m * height * width)
            indexes.reserveCapacity(m * height * width)
            try autoregressive.rasterLoop(params: params, batch: b, height: height, width: width, plane: &plane) { h, w, scales, means, p in
                indexes.append(contentsOf: try gc.indexes(scales))
                for c in 0..<m {
                    let at = (c * ph + h + pad) * pw + w + pad
                    let q = try Symbols.round(p[at] - means[c])
                    p[at] = Float(q) + means[c]
                    symbols.append(q)
                }
            }
            var encoder = RansEncoder()
            try encoder.encode(symbols, indexes: indexes, table: table)
            yStrings.append(encoder.flush())
        }
        return CompressedLatents(strings: [yStrings, zStrings], shape: [zHat.h, zHat.w])
    }

    /// ŷ decoded from strings [y, z], position by position in raster order.
    package func decodeLatent(_ c: CompressedLatents) throws -> FloatTensor {
        try checkLatents(c, groups: 2)
        let zHat = try entropyBottleneck.decompress(c.strings[1], height: c.shape[0], width: c.shape[1])
        let params = try hS(zHat, mode: .deterministic)
        let table = try gc.codingTable.get()
        let (height, width) = (4 * c.shape[0], 4 * c.shape[1])
        let pad = AutoregressiveParameters.padding, (ph, pw) = (height + 2 * pad, width + 2 * pad)
        var yHat = FloatTensor(shape: [c.strings[0].count, m, height, width], repeating: 0)
        for (b, string) in c.strings[0].enumerated() {
            var decoder = try RansDecoder(string)
            var plane = [Float](repeating: 0, count: m * ph * pw)
            try autoregressive.rasterLoop(params: params, batch: b, height: height, width: width, plane: &plane) { h, w, scales, means, p in
                let q = try decoder.decode(indexes: try gc.indexes(scales), table: table)
                for ch in 0..<m { p[(ch * ph + h + pad) * pw + w + pad] = Float(q[ch]) + means[ch] }
            }
            yHat.withUnsafeMutableBufferPointer { autoregressive.unpad(plane, into: $0.baseAddress!, batch: b, height: height, width: width) }
        }
        return yHat
    }

    /// g_s(ŷ) clamped; `bitExact` runs it on the deterministic kernels.
    package func synthesize(_ yHat: FloatTensor, bitExact: Bool) throws -> FloatTensor {
        clamped(try gS(yHat, mode: bitExact ? .deterministic : .fast))
    }
}
