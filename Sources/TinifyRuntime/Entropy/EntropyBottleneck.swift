// TinifyRuntime: the factorized entropy model of Ballé, Minnen, Singh, Hwang, Johnston,
// "Variational image compression with a scale hyperprior" (ICLR 2018, appendix 6.1);
// mirrors compressai.entropy_models.EntropyBottleneck (v1.2.8) in eval mode.
//
// Per channel c the CDF logit is `v = x; v = softplus(H_k)·v + b_k; v += tanh(a_k)⊙tanh(v)` (k < K−1).
// The arithmetic follows torch's kernels (TorchMath): softplus/sigmoid with their vector/tail split
// over the whole operand, ordered products for small batched matmuls, FMA chains for large ones.
import TinifyCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An EntropyBottleneck bound from a checkpoint.
package final class EntropyBottleneck: @unchecked Sendable {
    /// The module's key prefix (`entropy_bottleneck`).
    package let prefix: String
    /// Channels.
    package let channels: Int
    /// Layer widths `1, f…, 1`.
    package let widths: [Int]
    /// `softplus(matrices.k)` (C, f_out, f_in) as torch computes it.
    let softplusMatrices: [[Float]]
    /// `biases.k` (C, f_out, 1).
    let biases: [[Float]]
    /// `tanh(factors.k)` (C, f_out, 1).
    let tanhFactors: [[Float]]
    /// `quantiles` (C, 1, 3).
    package let quantiles: [Float]
    /// `target` [−t, 0, t].
    package let target: [Float]
    /// `likelihood_lower_bound.bound`.
    package let likelihoodBound: Float
    /// Whether the checkpoint's `_offset` is non-empty (CDFs already built).
    package let isUpdated: Bool
    /// Whether this is an `EntropyBottleneckVbr` (filters named `_matrixk`, …).
    package let variableRate: Bool
    /// The tail mass (CompressAI's default).
    package let tailMass: Double = 1e-9

    /// Binds `<prefix>.matrices.k`, `.biases.k`, `.factors.k` (or `._matrixk`, `._biask`,
    /// `._factork`), `.quantiles` and buffers.
    package init(_ w: WeightReader, _ prefix: String, channels c: Int? = nil) throws {
        self.prefix = prefix
        let qShape = try w.shape(prefix + ".quantiles")
        guard qShape.count == 3, qShape[1] == 1, qShape[2] == 3, c.map({ $0 == qShape[0] }) ?? true else {
            throw RuntimeError.badShape(key: prefix + ".quantiles", shape: qShape, expected: "[\(c.map(String.init) ?? "C"), 1, 3]")
        }
        let c = qShape[0]
        channels = c
        quantiles = try w.floats(prefix + ".quantiles")
        // EntropyBottleneck names its filters `matrices.k`, `biases.k`, `factors.k`; the VBR
        // models' EntropyBottleneckVbr keeps the 1.1 names `_matrixk`, `_biask`, `_factork`.
        let vbr = w.has(prefix + "._matrix0")
        func matrix(_ k: Int) -> String { vbr ? "\(prefix)._matrix\(k)" : "\(prefix).matrices.\(k)" }
        func bias(_ k: Int) -> String { vbr ? "\(prefix)._bias\(k)" : "\(prefix).biases.\(k)" }
        func factor(_ k: Int) -> String { vbr ? "\(prefix)._factor\(k)" : "\(prefix).factors.\(k)" }
        var widths = [1]
        var sp: [[Float]] = [], bs: [[Float]] = [], tf: [[Float]] = []
        var k = 0
        while w.has(matrix(k)) {
            let key = matrix(k)
            let s = try w.shape(key)
            guard s.count == 3, s[0] == c, s[2] == widths[k], s[1] > 0 else {
                throw RuntimeError.badShape(key: key, shape: s, expected: "[\(c), f_out, \(widths[k])]")
            }
            widths.append(s[1])
            sp.append(TorchMath.softplus(try w.floats(key)))
            bs.append(try w.floats(bias(k), shape: [c, s[1], 1]))
            k += 1
        }
        guard k >= 1 else { throw RuntimeError.missingTensor(key: matrix(0)) }
        guard widths.last == 1 else {
            throw RuntimeError.badShape(key: matrix(k - 1), shape: try w.shape(matrix(k - 1)), expected: "[\(c), 1, f_in]")
        }
        for j in 0..<(k - 1) {
            tf.append(try w.floats(factor(j), shape: [c, widths[j + 1], 1]).map(TorchMath.tanh))
        }
        variableRate = vbr
        self.widths = widths
        softplusMatrices = sp; biases = bs; tanhFactors = tf
        let t = Float(CLibrary.log(2 / 1e-9 - 1))
        target = w.has(prefix + ".target") ? try w.floats(prefix + ".target", shape: [3]) : [-t, 0, t]
        likelihoodBound = try w.scalar(prefix + ".likelihood_lower_bound.bound", default: Float(1e-9))
        isUpdated = !w.isEmpty(prefix + "._offset")
        codingTable = Result { try CDFTable(w, prefix) }
    }

    /// The stored CDF tables for coding, or why they cannot code (thrown only when coding).
    let codingTable: Result<CDFTable, Error>

    /// The medians `quantiles[:, 0, 1]`.
    package var medians: [Float] { (0..<channels).map { quantiles[$0 * 3 + 1] } }

    /// `_logits_cumulative` for channel `c` over `count` inputs at `x`, written to `out`, as torch
    /// computes it for an operand whose last dimension is `length` (which decides its matmul path).
    func logits(channel c: Int, _ x: UnsafePointer<Float>, count l: Int, length: Int, _ out: UnsafeMutablePointer<Float>) {
        let maxW = widths.max() ?? 1
        var cur = [Float](repeating: 0, count: maxW * l)
        var nxt = [Float](repeating: 0, count: maxW * l)
        for j in 0..<l { cur[j] = x[j] }
        for k in 0..<(widths.count - 1) {
            let fin = widths[k], fout = widths[k + 1]
            let m = softplusMatrices[k], base = c * fout * fin
            let naive = fin * fout * length < 400
            for o in 0..<fout {
                let b = biases[k][c * fout + o]
                for j in 0..<l {
                    var acc: Float = 0
                    if naive {
                        for i in 0..<fin { acc += m[base + o * fin + i] * cur[i * l + j] }
                    } else {
                        acc = m[base + o * fin] * cur[j]
                        for i in 1..<max(fin, 1) { acc = acc.addingProduct(m[base + o * fin + i], cur[i * l + j]) }
                    }
                    var v = acc + b
                    if k < widths.count - 2 {
                        v = v + tanhFactors[k][c * fout + o] * TorchMath.tanh(v)
                    }
                    nxt[o * l + j] = v
                }
            }
            swap(&cur, &nxt)
        }
        for j in 0..<l { out[j] = cur[j] }
    }

    /// `logits(channel:…)` for a whole row of an operand of last dimension `length`.
    func logits(channel c: Int, _ x: UnsafePointer<Float>, length l: Int, _ out: UnsafeMutablePointer<Float>) {
        logits(channel: c, x, count: l, length: l, out)
    }

    /// The logits of `values` (C × l, channel-major), every channel at once.
    func logits(_ values: [Float], length l: Int) -> [Float] {
        var out = [Float](repeating: 0, count: channels * l)
        values.withUnsafeBufferPointer { pv in
            out.withUnsafeMutableBufferPointer { po in
                let src = pv.baseAddress!, dst = po.baseAddress!
                Parallel.forEach(l * channels >= 4096 ? channels : 1) { job in
                    let range = l * channels >= 4096 ? job..<(job + 1) : 0..<channels
                    for c in range { logits(channel: c, src + c * l, length: l, dst + c * l) }
                }
            }
        }
        return out
    }

    /// `σ(lc(v + ½)) − σ(lc(v − ½))` over a (C × l) operand, with torch's sigmoid vector/tail
    /// split over all C·l elements; also returns the lower and upper logits.
    /// `half` is ½ (or ½·qs for EntropyBottleneckVbr's `_likelihood_variable`).
    func likelihood(_ values: [Float], length l: Int, half: Float = 0.5) -> (pmf: [Float], lower: [Float], upper: [Float]) {
        let lower = logits(values.map { $0 - half }, length: l)
        let upper = logits(values.map { $0 + half }, length: l)
        let n = values.count
        var pmf = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let v = TorchMath.isVector(i, of: n)
            pmf[i] = TorchMath.sigmoid(upper[i], vector: v) - TorchMath.sigmoid(lower[i], vector: v)
        }
        return (pmf, lower, upper)
    }

    /// Eval-mode forward on an NCHW tensor: ŷ = round(y − median) + median (half to even), and
    /// the likelihoods, bounded below by `likelihood_lower_bound`. The logits are evaluated once
    /// per distinct ŷ of a channel (ŷ is quantised), exactly as torch evaluates them for every
    /// element; the sigmoid keeps torch's vector/tail split over the (C, 1, B·H·W) operand.
    ///
    /// With `step` (EntropyBottleneckVbr's `forward(qs=step)`): ŷ = round((y − median)/qs)·qs + median,
    /// its likelihood still over bins 1 wide: CompressAI 1.2.8 passes qs to `_likelihood_variable`
    /// positionally, as `stop_gradient`, so the bins stay ±½.
    package func forward(_ y: FloatTensor, step: Float? = nil) -> (yHat: FloatTensor, likelihoods: FloatTensor) {
        let (b, c, plane) = (y.n, y.c, y.h * y.w)
        let l = b * plane, n = c * l
        let med = medians
        var yHat = FloatTensor(shape: y.shape, repeating: 0)
        var out = FloatTensor(shape: y.shape, repeating: 0)
        let bound = likelihoodBound
        y.withUnsafeBufferPointer { py in
            yHat.withUnsafeMutableBufferPointer { ph in
                out.withUnsafeMutableBufferPointer { po in
                    let src = py.baseAddress!, dstH = ph.baseAddress!, dstL = po.baseAddress!
                    Parallel.forEach(c) { ch in
                        var slot: [UInt32: Int] = [:]
                        var distinct: [Float] = []
                        var which = [Int](repeating: 0, count: l)
                        for bi in 0..<b {
                            for j in 0..<plane {
                                let at = (bi * c + ch) * plane + j
                                let v = step.map { ((src[at] - med[ch]) / $0).rounded(.toNearestOrEven) * $0 + med[ch] }
                                    ?? (src[at] - med[ch]).rounded(.toNearestOrEven) + med[ch]
                                dstH[at] = v
                                if let k = slot[v.bitPattern] { which[bi * plane + j] = k } else {
                                    slot[v.bitPattern] = distinct.count
                                    which[bi * plane + j] = distinct.count
                                    distinct.append(v)
                                }
                            }
                        }
                        let u = distinct.count
                        var lower = [Float](repeating: 0, count: u), upper = lower
                        let minus = distinct.map { $0 - 0.5 }, plus = distinct.map { $0 + 0.5 }
                        minus.withUnsafeBufferPointer { m in lower.withUnsafeMutableBufferPointer { logits(channel: ch, m.baseAddress!, count: u, length: l, $0.baseAddress!) } }
                        plus.withUnsafeBufferPointer { p in upper.withUnsafeMutableBufferPointer { logits(channel: ch, p.baseAddress!, count: u, length: l, $0.baseAddress!) } }
                        for bi in 0..<b {
                            for j in 0..<plane {
                                let k = which[bi * plane + j]
                                let vector = TorchMath.isVector(ch * l + bi * plane + j, of: n)
                                let p = TorchMath.sigmoid(upper[k], vector: vector) - TorchMath.sigmoid(lower[k], vector: vector)
                                dstL[(bi * c + ch) * plane + j] = Swift.max(p, bound)
                            }
                        }
                    }
                }
            }
        }
        return (yHat, out)
    }

    /// `loss()`: Σ |lc(quantiles) − target|.
    package func auxLoss() -> Double {
        let lc = logits(quantiles, length: 3)
        var s = 0.0
        for c in 0..<channels { for k in 0..<3 { s += Double(abs(lc[c * 3 + k] - target[k])) } }
        return s
    }

    /// `update(force:)`: the new `_offset`, `_quantized_cdf` and `_cdf_length` buffers, keyed by
    /// their full checkpoint keys; nil when the checkpoint is already updated and `force` is false.
    ///
    /// With `step` (EntropyBottleneckVbr's `update_variable(qs=step)`), the tables are those of
    /// z quantised with that step: ranges divided by it, samples `k·qs` apart, bins `qs` wide.
    package func update(force: Bool, step qs: Float? = nil) throws -> [String: (values: [Int32], shape: [Int])]? {
        if isUpdated && !force { return nil }
        if let qs { guard qs.isFinite, qs > 0 else { throw RuntimeError.invalidDistribution(key: prefix, reason: "quantisation step \(qs)") } }
        let c = channels
        var minima = [Int32](repeating: 0, count: c), maxima = minima
        var start = [Float](repeating: 0, count: c)
        for ch in 0..<c {
            let q0 = quantiles[ch * 3], m = quantiles[ch * 3 + 1], q2 = quantiles[ch * 3 + 2]
            let lo = (qs.map { (m - q0) / $0 } ?? (m - q0)).rounded(.up), hi = (qs.map { (q2 - m) / $0 } ?? (q2 - m)).rounded(.up)
            guard lo.isFinite, hi.isFinite, abs(lo) < 16_777_216, abs(hi) < 16_777_216 else {
                throw RuntimeError.invalidDistribution(key: prefix + ".quantiles", reason: "channel \(ch) has quantiles \(q0), \(m), \(q2)")
            }
            minima[ch] = Swift.max(0, Int32(lo))
            maxima[ch] = Swift.max(0, Int32(hi))
            start[ch] = m - (qs.map { Float(minima[ch]) * $0 } ?? Float(minima[ch]))
        }
        let lengths = (0..<c).map { minima[$0] + maxima[$0] + 1 }
        let lmax = Int(lengths.max() ?? 1)
        guard c * lmax <= 1 << 26 else {
            throw RuntimeError.invalidDistribution(key: prefix + ".quantiles", reason: "the quantile range needs \(lmax) samples per channel")
        }
        var samples = [Float](repeating: 0, count: c * lmax)
        for ch in 0..<c { for k in 0..<lmax { samples[ch * lmax + k] = (qs.map { Float(k) * $0 } ?? Float(k)) + start[ch] } }
        let (pmf, lower, upper) = likelihood(samples, length: lmax, half: qs.map { 0.5 * $0 } ?? 0.5)
        var cdf = [Int32](repeating: 0, count: c * (lmax + 2))
        for ch in 0..<c {
            // sigmoid(lower[:, 0, :1]) runs on a strided view: scalar path for every element;
            // sigmoid(-upper[:, 0, -1:]) on a fresh contiguous C-element tensor.
            let tail = TorchMath.sigmoid(lower[ch * lmax], vector: false)
                + TorchMath.sigmoid(-upper[ch * lmax + lmax - 1], vector: TorchMath.isVector(ch, of: c))
            let len = Int(lengths[ch])
            let row = try QuantizedCDF.fromPMF(Array(pmf[(ch * lmax)..<(ch * lmax + len)]) + [tail], key: "\(prefix) channel \(ch)")
            for (i, v) in row.enumerated() { cdf[ch * (lmax + 2) + i] = v }
        }
        return [
            prefix + "._offset": (minima.map { -$0 }, [c]),
            prefix + "._quantized_cdf": (cdf, [c, lmax + 2]),
            prefix + "._cdf_length": (lengths.map { $0 + 2 }, [c]),
        ]
    }
}
