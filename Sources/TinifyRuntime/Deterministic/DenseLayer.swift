// TinifyRuntime: a 1×1 convolution applied at one latent position at a time, in the fixed order of
// DeterministicGemm: out[o] = act((Σ_k W[o, k] · x[k]) + b[o]), the sum in order of k from zero.
// Used by the autoregressive models' entropy_parameters (mirrors the nn.Conv2d(·, ·, 1) layers of
// compressai.models.JointAutoregressiveHierarchicalPriors.entropy_parameters).

/// One 1×1 convolution and its activation. The weight is kept twice: transposed (inputs ×
/// outputs) for the row-batched products, and packed in blocks of 32 outputs (block b holds, for
/// each input k in order, W[32b ..< 32b + 32, k], zero past the last output) so that the
/// position-by-position product streams contiguous memory.
struct DenseLayer: Sendable {
    /// Outputs per packed block.
    static let block = 32
    /// Input and output channels.
    let inputs: Int, outputs: Int
    /// Wᵀ: row k holds W[·, k].
    let transposed: [Float]
    /// W in blocks of 32 outputs, input-major within a block.
    let packed: [Float]
    /// The bias (zeros when the layer has none).
    let bias: [Float]
    /// The activation after the bias.
    let act: Activation

    /// The layer over `weight` (outputs × inputs, as a 1×1 conv weight is stored).
    init(weight: [Float], outputs: Int, inputs: Int, bias: [Float]?, act: Activation) throws {
        guard outputs > 0, inputs > 0, weight.count == outputs * inputs, bias.map({ $0.count == outputs }) ?? true else {
            throw RuntimeError.layerMismatch("1×1 layer of \(outputs)×\(inputs) with \(weight.count) weights")
        }
        let b = DenseLayer.block, blocks = (outputs + b - 1) / b
        var t = [Float](repeating: 0, count: weight.count)
        var p = [Float](repeating: 0, count: blocks * inputs * b)
        for o in 0..<outputs {
            for k in 0..<inputs {
                t[k * outputs + o] = weight[o * inputs + k]
                p[((o / b) * inputs + k) * b + o % b] = weight[o * inputs + k]
            }
        }
        transposed = t
        packed = p
        self.bias = bias ?? [Float](repeating: 0, count: outputs)
        self.inputs = inputs; self.outputs = outputs; self.act = act
    }

    /// `out[o] (+)= Σ_{k in range} x[k − range.lowerBound] · W[o, k]`, term by term in order of k,
    /// added to `out` when `accumulate` (the rest of a sum begun by an earlier call), else from
    /// zero: DeterministicGemm's product, so the AVX, vector and scalar versions give the same bits.
    func partial(_ x: UnsafePointer<Float>, inputs range: Range<Int>, into out: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let b = DenseLayer.block
        packed.withUnsafeBufferPointer { wp in
            // Block by block, a one-row product over the block's contiguous weights (ldb = 32).
            for o0 in stride(from: 0, to: outputs, by: b) {
                DeterministicGemm.multiply(m: 1, n: min(b, outputs - o0), k: range.count, a: x, lda: range.count,
                                           b: wp.baseAddress! + (o0 / b * inputs + range.lowerBound) * b, ldb: b,
                                           c: out + o0, ldc: b, accumulate: accumulate)
            }
        }
    }

    /// The same partial product for `rows` positions at once (x: rows × range.count, out: rows ×
    /// outputs), positions spread over the cores; each output element is still one ordered sum.
    func partialRows(_ x: UnsafePointer<Float>, rows: Int, inputs range: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        let k = range.count, n = outputs
        let tiles = min(rows, max(1, Parallel.workers * 2))
        let step = (rows + tiles - 1) / max(tiles, 1)
        transposed.withUnsafeBufferPointer { w in
            let b = w.baseAddress! + range.lowerBound * n
            Parallel.forEach(tiles) { t in
                let lo = t * step, hi = min(rows, lo + step)
                if lo < hi {
                    DeterministicGemm.multiply(m: hi - lo, n: n, k: k, a: x + lo * k, lda: k, b: b, ldb: n, c: out + lo * n, ldc: n)
                }
            }
        }
    }

    /// Adds the bias and applies the activation to a finished sum.
    func finish(_ out: UnsafeMutablePointer<Float>) {
        for o in 0..<outputs { out[o] = act.apply(out[o] + bias[o]) }
    }

    /// The whole layer on one position.
    func apply(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        partial(x, inputs: 0..<inputs, into: out, accumulate: false)
        finish(out)
    }
}
