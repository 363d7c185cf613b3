// TinifyRuntime: compress / decompress of the autoregressive models of Minnen, Ballé, Toderici,
// "Joint Autoregressive and Hierarchical Priors for Learned Image Compression" (NeurIPS 2018) and
// Cheng, Sun, Takeuchi, Katto, "Learned Image Compression with Discretized Gaussian Mixture
// Likelihoods and Attention Modules" (CVPR 2020), mirroring
// compressai.models.JointAutoregressiveHierarchicalPriors._compress_ar / _decompress_ar (v1.2.8),
// which Cheng2020Anchor and Cheng2020Attention inherit. z is coded as in the hyperprior models;
// y is coded pixel by pixel in raster order into one stream per image: at each position the
// masked 5×5 context of the already-coded ŷ and the hyperprior's parameters there give (σ, μ)
// through entropy_parameters, and the M channels are coded with build_indexes(σ), ŷ = q + μ.
// Encoder and decoder run the same context arithmetic on the same values, so they agree exactly.
import TinifyCore

/// The causal taps of the 'A'-masked 5×5 context convolution: rows above and the two positions
/// to the left (12 taps), as a dense (out, in · 12) matrix, and the bias.
struct CausalContext: @unchecked Sendable {
    /// Kernel size and padding of the context model.
    static let kernel = 5, padding = 2
    /// The (row, column) offsets within the 5×5 window that the mask keeps.
    static let taps = MaskedConv.taps(kernel)
    let inChannels: Int, outChannels: Int
    /// weights[o · (in · taps) + c · taps + t].
    let weights: [Float]
    let bias: [Float]

    /// The causal taps of `all`, the context weight (out, in, 5, 5) as stored, and its bias.
    init(weight all: [Float], bias: [Float]?, in inC: Int, out outC: Int) {
        let k = CausalContext.kernel
        let taps = CausalContext.taps
        var dense = [Float](repeating: 0, count: outC * inC * taps.count)
        for o in 0..<outC {
            for c in 0..<inC {
                for (t, (r, col)) in taps.enumerated() {
                    dense[(o * inC + c) * taps.count + t] = all[((o * inC + c) * k + r) * k + col]
                }
            }
        }
        weights = dense
        self.bias = bias ?? [Float](repeating: 0, count: outC)
        inChannels = inC
        outChannels = outC
    }

    /// The context at (h, w) of `plane` (in · (H+4) · (W+4), padded by 2), written to `out`.
    func context(_ plane: UnsafePointer<Float>, height: Int, width: Int, h: Int, w: Int, into out: UnsafeMutablePointer<Float>) {
        let taps = CausalContext.taps, pw = width + 2 * CausalContext.padding, ph = height + 2 * CausalContext.padding
        var window = [Float](repeating: 0, count: inChannels * taps.count)
        for c in 0..<inChannels {
            for (t, (r, col)) in taps.enumerated() { window[c * taps.count + t] = plane[(c * ph + h + r) * pw + w + col] }
        }
        let n = window.count, wide = n & ~15
        weights.withUnsafeBufferPointer { wp in
            window.withUnsafeBufferPointer { vp in
                let v = UnsafeRawPointer(vp.baseAddress!)
                for o in 0..<outChannels {
                    let row = wp.baseAddress! + o * n
                    // Sixteen lanes, summed lane-wise, then the lanes and the tail in order:
                    // the same order in the encoder and the decoder.
                    var lanes = SIMD16<Float>()
                    var i = 0
                    while i < wide {
                        lanes += UnsafeRawPointer(row + i).loadUnaligned(as: SIMD16<Float>.self) * v.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
                        i += 16
                    }
                    var acc = lanes.sum()
                    while i < n { acc += row[i] * vp[i]; i += 1 }
                    out[o] = acc + bias[o]
                }
            }
        }
    }
}

extension JointAutoregressiveHierarchicalPriors {
    /// Throws the reason the stored CDF tables cannot code.
    public func checkCodingTables() throws { try entropyCodingTablesCheck() }

    /// The Gaussian parameters at (h, w): entropy_parameters(cat(params[:, h, w], ctx)) split into
    /// scales and means (M each).
    private func parameters(_ params: FloatTensor, batch b: Int, plane: UnsafePointer<Float>, height: Int, width: Int,
                            h: Int, w: Int) throws -> (scales: [Float], means: [Float]) {
        let (pc, area) = (params.c, height * width)
        var input = [Float](repeating: 0, count: pc + causalContext.outChannels)
        for c in 0..<pc { input[c] = params[(b * pc + c) * area + h * width + w] }
        input.withUnsafeMutableBufferPointer { p in
            causalContext.context(plane, height: height, width: width, h: h, w: w, into: p.baseAddress! + pc)
        }
        let gp = try entropyParameters(try FloatTensor(shape: [1, input.count, 1, 1], data: input)).data
        return (Array(gp[0..<m]), Array(gp[m..<(2 * m)]))
    }

    /// `compress(x)`: strings [y, z] (one autoregressive y stream per image), shape = z's size.
    public func compress(_ x: FloatTensor) throws -> CompressedLatents {
        try checkInput(x, factor: downsamplingFactor)
        let y = try gA(x)
        let (zStrings, zHat) = try entropyBottleneck.compressDecoded(hA(y))
        let params = try hS(zHat)
        let table = try gc.codingTable.get()
        let (height, width) = (4 * zHat.h, 4 * zHat.w)
        guard y.h == height, y.w == width, y.c == m else { throw CodingError.shapeMismatch("y \(y.shape) for z \(zHat.shape)") }
        let pad = CausalContext.padding, (ph, pw) = (height + 2 * pad, width + 2 * pad)
        var yStrings: [[UInt8]] = []
        for b in 0..<y.n {
            // ŷ padded, holding y until each position is coded (the mask never reads those).
            var plane = [Float](repeating: 0, count: m * ph * pw)
            for c in 0..<m { for h in 0..<height { for w in 0..<width {
                plane[(c * ph + h + pad) * pw + w + pad] = y[((b * m + c) * height + h) * width + w]
            } } }
            var symbols = [Int32](), indexes = [Int32]()
            symbols.reserveCapacity(m * height * width)
            indexes.reserveCapacity(m * height * width)
            for h in 0..<height {
                for w in 0..<width {
                    let (scales, means) = try plane.withUnsafeBufferPointer {
                        try parameters(params, batch: b, plane: $0.baseAddress!, height: height, width: width, h: h, w: w)
                    }
                    indexes.append(contentsOf: try gc.indexes(scales))
                    for c in 0..<m {
                        let at = (c * ph + h + pad) * pw + w + pad
                        let q = try Symbols.round(plane[at] - means[c])
                        plane[at] = Float(q) + means[c]
                        symbols.append(q)
                    }
                }
            }
            var encoder = RansEncoder()
            try encoder.encode(symbols, indexes: indexes, table: table)
            yStrings.append(encoder.flush())
        }
        return CompressedLatents(strings: [yStrings, zStrings], shape: [zHat.h, zHat.w])
    }

    /// `decompress(strings, shape)`.
    public func decompress(_ c: CompressedLatents) throws -> FloatTensor {
        try checkLatents(c, groups: 2)
        let zHat = try entropyBottleneck.decompress(c.strings[1], height: c.shape[0], width: c.shape[1])
        let params = try hS(zHat)
        let table = try gc.codingTable.get()
        let (height, width) = (4 * c.shape[0], 4 * c.shape[1])
        let pad = CausalContext.padding, (ph, pw) = (height + 2 * pad, width + 2 * pad)
        var yHat = FloatTensor(shape: [c.strings[0].count, m, height, width], repeating: 0)
        for (b, string) in c.strings[0].enumerated() {
            var decoder = try RansDecoder(string)
            var plane = [Float](repeating: 0, count: m * ph * pw)
            for h in 0..<height {
                for w in 0..<width {
                    let (scales, means) = try plane.withUnsafeBufferPointer {
                        try parameters(params, batch: b, plane: $0.baseAddress!, height: height, width: width, h: h, w: w)
                    }
                    let q = try decoder.decode(indexes: try gc.indexes(scales), table: table)
                    for ch in 0..<m { plane[(ch * ph + h + pad) * pw + w + pad] = Float(q[ch]) + means[ch] }
                }
            }
            yHat.withUnsafeMutableBufferPointer { p in
                for ch in 0..<m { for h in 0..<height { for w in 0..<width {
                    p[((b * m + ch) * height + h) * width + w] = plane[(ch * ph + h + pad) * pw + w + pad]
                } } }
            }
        }
        return clamped(try gS(yHat))
    }
}
