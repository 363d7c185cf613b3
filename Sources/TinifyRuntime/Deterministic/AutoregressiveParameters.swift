// TinifyRuntime: the Gaussian parameters of the autoregressive models at each latent position,
// computed by the deterministic kernels (Minnen, Ballé, Toderici, NeurIPS 2018; mirrors
// compressai.models.JointAutoregressiveHierarchicalPriors._compress_ar / _decompress_ar, v1.2.8):
//     ctx    = context_prediction(ŷ) at (h, w)   — the 'A'-masked 5×5 conv, M → 2M
//     (σ, μ) = entropy_parameters(cat(params[:, h, w], ctx))
// The order of every sum is fixed, here, once, for encoder and decoder alike:
// - the context sums over the 12 causal taps in raster order, and within a tap over the M
//   channels (tap-major), then adds the bias; the first 10 taps lie in the two rows above, so
//   their partial sums are computed for a whole row at once (in parallel, as soon as the rows
//   above are final) and only the last two taps are added position by position;
// - entropy_parameters' first layer sums over the 2M hyperprior channels, then over the 2M
//   context channels, then adds its bias; the hyperprior part is again computed for a whole row.
// Splitting a sum this way does not change it (DeterministicGemm's accumulate), so every
// position's (σ, μ) is the same sequence of binary32 operations on every machine.
import TinifyCore

/// The per-position parameter path of an autoregressive model.
struct AutoregressiveParameters: Sendable {
    /// The context model's kernel size and padding.
    static let kernel = 5, padding = 2
    /// The causal taps, in raster order.
    static let taps = MaskedConv.taps(kernel)
    /// How many of them lie in rows above the current one.
    static let tapsAbove = taps.filter { $0.row < padding }.count
    /// Latent channels M.
    let m: Int
    /// The context model as a dense layer over the taps (input index t · M + c).
    let context: DenseLayer
    /// entropy_parameters; the first takes cat(params, ctx).
    let layers: [DenseLayer]
    /// Channels of h_s's output (params).
    let paramsChannels: Int
    /// A term added to the context's output after its bias (mbt2018-vbr's `scale_to_context(g)`).
    var contextOffset: [Float]?

    /// The path over the context weight (2M, M, 5, 5) and bias, and entropy_parameters' layers.
    init(contextWeight: [Float], contextBias: [Float]?, m: Int, layers: [DenseLayer], paramsChannels: Int) throws {
        let k = AutoregressiveParameters.kernel, taps = AutoregressiveParameters.taps
        let outC = 2 * m
        guard contextWeight.count == outC * m * k * k, let first = layers.first, let last = layers.last,
              first.inputs == paramsChannels + outC, last.outputs == 2 * m,
              zip(layers, layers.dropFirst()).allSatisfy({ $0.outputs == $1.inputs }) else {
            throw RuntimeError.layerMismatch("entropy parameters of \(layers.map { "\($0.inputs)→\($0.outputs)" }) for M = \(m)")
        }
        var dense = [Float](repeating: 0, count: outC * taps.count * m)
        for o in 0..<outC {
            for (t, tap) in taps.enumerated() {
                for c in 0..<m { dense[o * taps.count * m + t * m + c] = contextWeight[((o * m + c) * k + tap.row) * k + tap.column] }
            }
        }
        context = try DenseLayer(weight: dense, outputs: outC, inputs: taps.count * m, bias: contextBias, act: .none)
        self.m = m; self.layers = layers; self.paramsChannels = paramsChannels
    }

    /// The parts of row `h`'s sums that do not depend on the row itself: for every column w,
    /// the context's sum over the taps above (`width × 2M` into `contextRow`) and the first
    /// layer's sum over params (`width × layers[0].outputs` into `hyperRow`). `plane` is ŷ, M ×
    /// (H+4) × (W+4), padded by 2; `params` is one image's h_s output (P × H × W).
    func prepareRow(_ h: Int, plane: UnsafePointer<Float>, params: UnsafePointer<Float>, height: Int, width: Int,
                    contextRow: UnsafeMutablePointer<Float>, hyperRow: UnsafeMutablePointer<Float>) {
        let taps = AutoregressiveParameters.taps, above = AutoregressiveParameters.tapsAbove
        let pad = AutoregressiveParameters.padding, pw = width + 2 * pad, ph = height + 2 * pad
        let k = above * m
        let window = UnsafeMutablePointer<Float>.allocate(capacity: max(1, width * max(k, paramsChannels)))
        defer { window.deallocate() }
        for w in 0..<width {
            let row = window + w * k
            for t in 0..<above {
                let (r, col) = taps[t]
                for c in 0..<m { row[t * m + c] = plane[(c * ph + h + r) * pw + w + col] }
            }
        }
        context.partialRows(window, rows: width, inputs: 0..<k, into: contextRow)
        let area = height * width
        for w in 0..<width {
            for c in 0..<paramsChannels { window[w * paramsChannels + c] = params[c * area + h * width + w] }
        }
        layers[0].partialRows(window, rows: width, inputs: 0..<paramsChannels, into: hyperRow)
    }

    /// Scratch sizes for `parameters`.
    var scratchCount: Int { 2 * m + context.outputs + layers.reduce(0) { $0 + $1.outputs } }

    /// (σ, μ) at (h, w) into `scales` and `means` (M each), finishing the sums `prepareRow` began
    /// (`contextRow` and `hyperRow` point at this column's entries; both are consumed).
    func parameters(_ h: Int, _ w: Int, plane: UnsafePointer<Float>, height: Int, width: Int,
                    contextRow: UnsafeMutablePointer<Float>, hyperRow: UnsafeMutablePointer<Float>,
                    scratch: UnsafeMutablePointer<Float>, scales: UnsafeMutablePointer<Float>, means: UnsafeMutablePointer<Float>) {
        let taps = AutoregressiveParameters.taps, above = AutoregressiveParameters.tapsAbove
        let pad = AutoregressiveParameters.padding, pw = width + 2 * pad, ph = height + 2 * pad
        let own = taps.count - above
        let window = scratch
        for t in 0..<own {
            let (r, col) = taps[above + t]
            for c in 0..<m { window[t * m + c] = plane[(c * ph + h + r) * pw + w + col] }
        }
        context.partial(window, inputs: (above * m)..<(taps.count * m), into: contextRow, accumulate: true)
        context.finish(contextRow)
        if let offset = contextOffset { for i in 0..<offset.count { contextRow[i] += offset[i] } }
        layers[0].partial(contextRow, inputs: paramsChannels..<layers[0].inputs, into: hyperRow, accumulate: true)
        layers[0].finish(hyperRow)
        var current = UnsafeMutablePointer(hyperRow)
        var free = scratch + own * m
        for layer in layers.dropFirst() {
            layer.apply(current, into: free)
            current = free
            free += layer.outputs
        }
        scales.update(from: current, count: m)
        means.update(from: current + m, count: m)
    }

    /// Batch item `b` of y (M × H × W) padded by 2 around each channel: the plane the raster
    /// loop codes in place, holding y until each position is coded (the mask never reads those).
    func paddedPlane(_ y: FloatTensor, batch b: Int) -> [Float] {
        let pad = Self.padding, (height, width) = (y.h, y.w), (ph, pw) = (height + 2 * pad, width + 2 * pad)
        var plane = [Float](repeating: 0, count: m * ph * pw)
        for c in 0..<m { for h in 0..<height { for w in 0..<width { plane[(c * ph + h + pad) * pw + w + pad] = y[((b * m + c) * height + h) * width + w] } } }
        return plane
    }

    /// The plane's interior written as batch item `b` of an (N, M, height, width) tensor at `out`.
    func unpad(_ plane: [Float], into out: UnsafeMutablePointer<Float>, batch b: Int, height: Int, width: Int) {
        let pad = Self.padding, (ph, pw) = (height + 2 * pad, width + 2 * pad)
        for c in 0..<m { for h in 0..<height { for w in 0..<width { out[((b * m + c) * height + h) * width + w] = plane[(c * ph + h + pad) * pw + w + pad] } } }
    }

    /// Runs the raster-order loop over one image's latent positions: for each position, (σ, μ)
    /// from the deterministic parameter path, then `code(h, w, σ, μ, plane)`, which must write
    /// ŷ at (h, w) of every channel into the padded `plane` before the loop moves on.
    func rasterLoop(params: FloatTensor, batch b: Int, height: Int, width: Int, plane planeArray: inout [Float],
                    _ code: (Int, Int, [Float], [Float], UnsafeMutablePointer<Float>) throws -> Void) throws {
        try planeArray.withUnsafeMutableBufferPointer { pp in
            try rasterLoop(params: params, batch: b, height: height, width: width, plane: pp.baseAddress!, code)
        }
    }

    /// The loop itself, over the plane's memory.
    private func rasterLoop(params: FloatTensor, batch b: Int, height: Int, width: Int, plane: UnsafeMutablePointer<Float>,
                            _ code: (Int, Int, [Float], [Float], UnsafeMutablePointer<Float>) throws -> Void) throws {
        let ctxC = context.outputs, hyperC = layers[0].outputs
        var contextRow = [Float](repeating: 0, count: width * ctxC)
        var hyperRow = [Float](repeating: 0, count: width * hyperC)
        var scratch = [Float](repeating: 0, count: scratchCount)
        var scales = [Float](repeating: 0, count: m), means = [Float](repeating: 0, count: m)
        let perImage = params.c * height * width
        try params.withUnsafeBufferPointer { pp in
            let p = pp.baseAddress! + b * perImage
            for h in 0..<height {
                contextRow.withUnsafeMutableBufferPointer { cr in
                    hyperRow.withUnsafeMutableBufferPointer { hr in
                        prepareRow(h, plane: plane, params: p, height: height, width: width, contextRow: cr.baseAddress!, hyperRow: hr.baseAddress!)
                    }
                }
                for w in 0..<width {
                    contextRow.withUnsafeMutableBufferPointer { cr in
                        hyperRow.withUnsafeMutableBufferPointer { hr in
                            scratch.withUnsafeMutableBufferPointer { sp in
                                scales.withUnsafeMutableBufferPointer { sc in
                                    means.withUnsafeMutableBufferPointer { mn in
                                        parameters(h, w, plane: plane, height: height, width: width,
                                                   contextRow: cr.baseAddress! + w * ctxC, hyperRow: hr.baseAddress! + w * hyperC,
                                                   scratch: sp.baseAddress!, scales: sc.baseAddress!, means: mn.baseAddress!)
                                    }
                                }
                            }
                        }
                    }
                    try code(h, w, scales, means, plane)
                }
            }
        }
    }
}
