// TinifyRuntime: torch.nn.ConvTranspose2d (weight (in, out, kh, kw), padding, output_padding) as
// stride² output phases. Output row oy = a·s + py receives input row a + (py + p − ky)/s for the taps
// ky ≡ py + p (mod s), so each phase is a small correlation run by GemmConvKernel — no col2im, no
// scatter-add races; the weights are repacked once, here, per phase.

import TinifyCore

/// A transposed 2-D convolution with PyTorch semantics.
package final class ConvTranspose2d: @unchecked Sendable {
    /// Input channels.
    package let inChannels: Int
    /// Output channels.
    package let outChannels: Int
    /// Kernel size (square).
    package let kernel: Int
    /// Stride, padding and output padding (both dimensions).
    package let stride: Int, padding: Int, outputPadding: Int
    /// The key prefix the weights came from (`g_s.0`), for errors.
    package let name: String
    /// The bias, one per output channel.
    package let bias: [Float]?
    /// Outputs of fewer pixels per channel than this skip Winograd: `Conv2d.winogradMinPixels`,
    /// or 128×128 with the F(4×4) tile of g_s, whose weight transform repays itself sooner (an
    /// mbt2018 q3 decode at 768×512 takes 8 % less with its second deconvolution on Winograd; a
    /// 300×200 one the same).
    let winogradMinPixels: Int
    /// The Winograd kernel (5×5, stride 2, for outputs of at least `winogradMinPixels` pixels)
    /// and the per-phase correlations (every other case), each made on first use: the weight
    /// transform and repacking are the costly part of building a model.
    private let deferredWinograd: Deferred<any WinogradKernel>?
    private let deferredPhases: Deferred<[(py: Int, px: Int, kernel: GemmConvKernel)]>
    var phases: [(py: Int, px: Int, kernel: GemmConvKernel)] { deferredPhases.value }

    /// A transposed convolution over `weight` (in, out, k, k).
    package convenience init(weight: [Float], shape: [Int], bias: [Float]?, stride: Int, padding: Int, outputPadding: Int,
                            tile: WinogradTile = .f2, name: String = "") throws {
        try self.init(weights: WeightBuffer(weight), shape: shape, bias: bias, stride: stride, padding: padding,
                      outputPadding: outputPadding, tile: tile, name: name)
    }

    /// The same over weights that may be read in place from a checkpoint.
    package init(weights weight: WeightBuffer, shape: [Int], bias: [Float]?, stride: Int, padding: Int, outputPadding: Int,
                tile: WinogradTile = .f2, name: String = "") throws {
        guard shape.count == 4, shape.allSatisfy({ $0 > 0 }), shape[2] == shape[3], Checked.product(shape) == weight.count,
              bias.map({ $0.count == shape[1] }) ?? true, stride > 0, padding >= 0, outputPadding >= 0 else {
            throw RuntimeError.layerMismatch("deconv of shape \(shape) with \(weight.count) weights, \(bias?.count ?? 0) biases, stride \(stride)")
        }
        inChannels = shape[0]; outChannels = shape[1]; kernel = shape[2]; self.name = name
        self.stride = stride; self.padding = padding; self.outputPadding = outputPadding; self.bias = bias
        winogradMinPixels = tile == .f4 ? 128 * 128 : Conv2d.winogradMinPixels
        let (ci, co, k) = (shape[0], shape[1], shape[2])
        deferredWinograd = k == 5 && stride == 2 && padding == 2 && outputPadding == 1
            ? Deferred { Winograd.transposed5x5(tile, weight: weight, inC: ci, outC: co, bias: bias) } : nil
        deferredPhases = Deferred { [padding] in
            var phases: [(py: Int, px: Int, kernel: GemmConvKernel)] = []
            func taps(_ phase: Int) -> [(k: Int, d: Int)] {
                (0..<k).compactMap { kk in
                    let r = phase + padding - kk
                    let m = ((r % stride) + stride) % stride
                    return m == 0 ? (kk, Int((Double(r) / Double(stride)).rounded(.down))) : nil
                }
            }
            for py in 0..<stride {
                for px in 0..<stride {
                    let ty = taps(py), tx = taps(px)
                    var dy: [Int] = [], dx: [Int] = []
                    for a in ty { for b in tx { dy.append(a.d); dx.append(b.d) } }
                    let t = dy.count
                    // a[o, i, tap] = weight[i, o, ky, kx] over this phase's taps (tap-major source
                    // offsets computed once).
                    let offsets = ty.flatMap { yy in tx.map { xx in yy.k * k + xx.k } }
                    let a = [Float](unsafeUninitializedCapacity: co * ci * t) { pa, count in
                        weight.withUnsafeBufferPointer { pw in
                            offsets.withUnsafeBufferPointer { po in
                                let dst = pa.baseAddress!, src = pw.baseAddress!, off = po.baseAddress!
                                // Eight output channels at a time: for each i their source weights
                                // are adjacent, and their eight destination rows advance together.
                                for o0 in Swift.stride(from: 0, to: co, by: 8) {
                                    let o1 = Swift.min(co, o0 + 8)
                                    for i in 0..<ci {
                                        for o in o0..<o1 {
                                            let d = dst + (o * ci + i) * t, from = src + (i * co + o) * k * k
                                            for tt in 0..<t { d[tt] = from[off[tt]] }
                                        }
                                    }
                                }
                            }
                        }
                        count = co * ci * t
                    }
                    phases.append((py, px, GemmConvKernel(a: WeightBuffer(a), m: co, inC: ci, dy: dy, dx: dx, step: 1)))
                }
            }
            return phases
        }
    }

    /// Binds `<prefix>.weight` and `<prefix>.bias` (CompressAI's `deconv`: padding k//2, output padding s−1).
    package convenience init(_ weights: WeightReader, _ prefix: String, in inC: Int? = nil, out outC: Int? = nil,
                            kernel k: Int = 5, stride: Int = 2, tile: WinogradTile = .f2) throws {
        let key = prefix + ".weight"
        let shape = try weights.shape(key)
        guard shape.count == 4, inC.map({ $0 == shape[0] }) ?? true, outC.map({ $0 == shape[1] }) ?? true,
              shape[2] == k, shape[3] == k, shape[0] > 0, shape[1] > 0 else {
            throw RuntimeError.badShape(key: key, shape: shape, expected: "[\(inC.map(String.init) ?? "in"), \(outC.map(String.init) ?? "out"), \(k), \(k)]")
        }
        let w = try weights.weights(key)
        let b = weights.has(prefix + ".bias") ? try weights.floats(prefix + ".bias", shape: [shape[1]]) : nil
        try self.init(weights: w, shape: shape, bias: b, stride: stride, padding: k / 2, outputPadding: stride - 1, tile: tile, name: prefix)
    }

    /// The output height/width for an input of `h × w`.
    package func outputSize(_ h: Int, _ w: Int) -> (Int, Int) {
        ((h - 1) * stride - 2 * padding + kernel + outputPadding, (w - 1) * stride - 2 * padding + kernel + outputPadding)
    }

    /// Applies the transposed convolution (then `act`) to an NCHW tensor; `.deterministic` always
    /// runs the per-phase correlations with the deterministic product.
    package func callAsFunction(_ x: FloatTensor, _ act: Activation = .none, mode: KernelMode = .fast) throws -> FloatTensor {
        guard x.shape.count == 4, x.c == inChannels else {
            throw RuntimeError.layerMismatch("deconv \(name) given \(x.shape), expected \(inChannels) input channels")
        }
        if case .fast = mode {
            try SystemLibraries.loadBLAS()
            if let winograd = deferredWinograd, x.h * x.w * stride * stride >= winogradMinPixels { return winograd.value(x, act) }
        }
        let (oh, ow) = outputSize(x.h, x.w)
        let s = stride, co = outChannels
        // Work items: (phase, rows) tiles over all phases at once.
        var items: [(phase: Int, r0: Int, r1: Int, gh: Int, gw: Int)] = []
        for (pi, ph) in phases.enumerated() {
            let gh = oh > ph.py ? (oh - ph.py + s - 1) / s : 0
            let gw = ow > ph.px ? (ow - ph.px + s - 1) / s : 0
            if gh == 0 || gw == 0 { continue }
            let rows = ph.kernel.rowsPerTile(gridH: gh, gridW: gw, budget: 3 << 20 / 2)
            var r = 0
            while r < gh { items.append((pi, r, min(gh, r + rows), gh, gw)); r += rows }
        }
        let inPlane = x.c * x.h * x.w, outPlane = co * oh * ow
        let bias = self.bias
        return FloatTensor(shape: [x.n, co, oh, ow]) { out in
            x.withUnsafeBufferPointer { px in
                for b in 0..<x.n {
                    let src = px.baseAddress! + b * inPlane, dst = out + b * outPlane
                    Parallel.forEach(items.count) { i in
                        let it = items[i]
                        let ph = phases[it.phase]
                        ph.kernel.computeTile(src, h: x.h, w: x.w, gridW: it.gw, r0: it.r0, r1: it.r1, mode: mode) { c in
                            let n = (it.r1 - it.r0) * it.gw
                            for o in 0..<co {
                                let bo = bias?[o] ?? 0
                                let crow = c + o * n
                                let plane = dst + o * oh * ow
                                for a in it.r0..<it.r1 {
                                    let orow = plane + (a * s + ph.py) * ow + ph.px
                                    let cr = crow + (a - it.r0) * it.gw
                                    for j in 0..<it.gw { orow[j * s] = act.apply(cr[j] + bo) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
