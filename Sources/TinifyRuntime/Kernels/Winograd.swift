// TinifyRuntime: 3×3 stride-1 convolutions by Winograd's minimal filtering F(2×2, 3×3) (Lavin &
// Gray, "Fast Algorithms for Convolutional Neural Networks", CVPR 2016): 16 multiplies per 2×2
// outputs instead of 36, as 16 GEMMs (one per transform position) over tiles of the image.
//
//   V = Bᵀ d B (4×4 input tile), U = G g Gᵀ (per filter, once at build), M = Σ_i U·V, Y = Aᵀ M A
//   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],
//   Aᵀ = [1 1 1 0; 0 1 −1 −1].
//
// CompressAI's 5×5 stride-2 convolutions and transposed convolutions reduce to this kernel:
// a k5 s2 convolution is a 3×3 convolution of the space-to-depth input (4·in channels, taps that
// fall outside the 5×5 kernel are zero), and a k5 s2 transposed convolution (padding 2, output
// padding 1) is a 3×3 convolution to 4·out channels followed by PixelShuffle(2) (see the
// initialisers below).
import CBLAS
import CVectorKernels

/// Which Winograd tile a 3×3 convolution uses.
package enum WinogradTile: Sendable {
    /// F(2×2, 3×3): 16 multiplies per four outputs, rounding error close to a direct sum.
    case f2
    /// F(4×4, 3×3): 36 multiplies per sixteen outputs, about six times F(2×2)'s rounding error.
    case f4
}

/// A Winograd 3×3 stride-1 padding-1 convolution (possibly pixel-shuffled).
protocol WinogradKernel: AnyObject, Sendable {
    /// Output channels of the 3×3 convolution (before any pixel shuffle).
    var outC: Int { get }
    /// Input channels.
    var inC: Int { get }
    /// PixelShuffle factor applied to the output (1 or 2).
    var shuffle: Int { get }
    /// Runs on one image `x` (inC × h × w, contiguous), writing the (shuffled) output to `out`.
    func run(_ x: UnsafePointer<Float>, h: Int, w: Int, out: UnsafeMutablePointer<Float>, act: Activation)
}

extension WinogradKernel {
    /// Applies the convolution to an NCHW tensor (3×3, stride 1, padding 1 on `x`).
    func callAsFunction(_ x: FloatTensor, _ act: Activation) -> FloatTensor {
        precondition(x.c == inC, "winograd input has \(x.c) channels, expected \(inC)")  // Conv2d checked it (a thrown error)
        let (h, w, s) = (x.h, x.w, shuffle)
        return x.withUnsafeBufferPointer { px in
            FloatTensor(shape: [x.n, outC / (s * s), h * s, w * s]) { out in
                for b in 0..<x.n {
                    run(px.baseAddress! + b * inC * h * w, h: h, w: w, out: out + b * outC * h * w, act: act)
                }
            }
        }
    }
}

/// Builds Winograd kernels, and rewrites CompressAI's 5×5 stride-2 (transposed) convolutions as
/// 3×3 ones.
enum Winograd {
    /// A kernel for `weight` (outC, inC, 3, 3).
    static func make(_ tile: WinogradTile, weight: WeightBuffer, outC: Int, inC: Int, bias: [Float]?, shuffle: Int = 1) -> any WinogradKernel {
        switch tile {
        case .f2: return Winograd3x3(weight: weight, outC: outC, inC: inC, bias: bias, shuffle: shuffle)
        case .f4: return WinogradF4(weight: weight, outC: outC, inC: inC, bias: bias, shuffle: shuffle)
        }
    }

    /// A k5, stride-2, padding-2 convolution (weight (O, I, 5, 5)) as a 3×3 convolution of the
    /// space-to-depth input: channel (py·2+px)·I + i holds x[i, 2r+py, 2c+px], and its tap
    /// (ky', kx') is w[o, i, 2ky'+py, 2kx'+px] (zero past the kernel).
    static func strided5x5(weight: WeightBuffer, outC: Int, inC: Int, bias: [Float]?) -> Winograd3x3 {
        let c2 = 4 * inC
        // Each output channel's 4·I·9 taps in parallel, from its I·25 weights (zero past the kernel).
        let w = [Float](unsafeUninitializedCapacity: outC * c2 * 9) { pw, count in
            weight.withUnsafeBufferPointer { src in
                let dst = pw.baseAddress!, from = src.baseAddress!
                Parallel.chunks(outC, grain: max(1, 8192 / max(1, c2 * 9))) { range in
                    for o in range {
                        let d = dst + o * c2 * 9, f = from + o * inC * 25
                        for py in 0..<2 { for px in 0..<2 { for i in 0..<inC {
                            let t = d + ((py * 2 + px) * inC + i) * 9, g = f + i * 25
                            for ky in 0..<3 { for kx in 0..<3 {
                                let sy = 2 * ky + py, sx = 2 * kx + px
                                t[ky * 3 + kx] = sy < 5 && sx < 5 ? g[sy * 5 + sx] : 0
                            } }
                        } } }
                    }
                }
            }
            count = outC * c2 * 9
        }
        return Winograd3x3(weight: WeightBuffer(w), outC: outC, inC: c2, bias: bias)
    }

    /// A k5, stride-2, padding-2, output-padding-1 transposed convolution (weight (I, O, 5, 5))
    /// as a 3×3 convolution to 4·O channels (channel o·4 + py·2 + px is output phase (py, px);
    /// its tap k' uses kernel row py + 4 − 2k') followed by PixelShuffle(2).
    static func transposed5x5(_ tile: WinogradTile, weight: WeightBuffer, inC: Int, outC: Int, bias: [Float]?) -> any WinogradKernel {
        let o4 = 4 * outC
        // Each output channel's four phases in parallel (zero taps past the kernel).
        let w = [Float](unsafeUninitializedCapacity: o4 * inC * 9) { pw, count in
            weight.withUnsafeBufferPointer { src in
                let dst = pw.baseAddress!, from = src.baseAddress!
                Parallel.chunks(outC, grain: max(1, 8192 / max(1, 4 * inC * 9))) { range in
                    for o in range {
                        for py in 0..<2 { for px in 0..<2 {
                            let co = o * 4 + py * 2 + px
                            for i in 0..<inC {
                                let t = dst + (co * inC + i) * 9, g = from + (i * outC + o) * 25
                                for ky in 0..<3 { for kx in 0..<3 {
                                    let sy = py + 4 - 2 * ky, sx = px + 4 - 2 * kx
                                    t[ky * 3 + kx] = sy >= 0 && sy < 5 && sx >= 0 && sx < 5 ? g[sy * 5 + sx] : 0
                                } }
                            }
                        } }
                    }
                }
            }
            count = o4 * inC * 9
        }
        let b4 = bias.map { b in (0..<o4).map { b[$0 / 4] } }
        return make(tile, weight: WeightBuffer(w), outC: o4, inC: inC, bias: b4, shuffle: 2)
    }
}

/// A 3×3, stride-1, padding-1 convolution run with Winograd F(2×2, 3×3); the output may be
/// pixel-shuffled by `shuffle` (1 = none, 2 = PixelShuffle(2)).
final class Winograd3x3: WinogradKernel, @unchecked Sendable {
    /// Output channels of the 3×3 convolution (before any pixel shuffle).
    let outC: Int
    /// Input channels.
    let inC: Int
    /// Transformed filters: 16 matrices of outC × inC (pooled storage, as WinogradF4's).
    let u: FloatStorage
    /// Bias per convolution output channel.
    let bias: [Float]?
    /// PixelShuffle factor applied to the output (1 or 2).
    let shuffle: Int

    /// A kernel for `weight` (outC, inC, 3, 3) in PyTorch layout.
    init(weight: WeightBuffer, outC: Int, inC: Int, bias: [Float]?, shuffle: Int = 1) {
        precondition(weight.count == outC * inC * 9)  // Conv2d's init checked it (a thrown error)
        self.outC = outC; self.inC = inC; self.bias = bias; self.shuffle = shuffle
        let plane = outC * inC
        let u = FloatStorage(count: 16 * plane)
        let pu = u.base
        weight.withUnsafeBufferPointer { pw in
            Parallel.chunks(plane, grain: 8192) { range in
                if tinify_f2_filter_transform(pw.baseAddress!, range.lowerBound, range.upperBound, pu, plane) != 0 { return }
                for oi in range {
                    let g = pw.baseAddress! + oi * 9
                    // t = G·g (4×3) then U = t·Gᵀ (4×4), in double, rounded once.
                    var t = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
                    withUnsafeMutableBytes(of: &t) { raw in
                        let tp = raw.bindMemory(to: Double.self).baseAddress!
                        for c in 0..<3 {
                            let a = Double(g[c]), b = Double(g[3 + c]), d = Double(g[6 + c])
                            tp[c] = a; tp[3 + c] = 0.5 * (a + b + d); tp[6 + c] = 0.5 * (a - b + d); tp[9 + c] = d
                        }
                        for r in 0..<4 {
                            let a = tp[r * 3], b = tp[r * 3 + 1], d = tp[r * 3 + 2]
                            pu[(r * 4) * plane + oi] = Float(a)
                            pu[(r * 4 + 1) * plane + oi] = Float(0.5 * (a + b + d))
                            pu[(r * 4 + 2) * plane + oi] = Float(0.5 * (a - b + d))
                            pu[(r * 4 + 3) * plane + oi] = Float(d)
                        }
                    }
                }
            }
        }
        self.u = u
    }

    /// Runs on one image `x` (inC × h × w, contiguous), zero padding implied. Writes the
    /// (shuffled) output, h × w per conv channel, to `out`.
    func run(_ x: UnsafePointer<Float>, h: Int, w: Int, out: UnsafeMutablePointer<Float>, act: Activation) {
        run(DenseRows(x: x, h: h, w: w), h: h, w: w, out: out, act: act)
    }

    /// Runs on the space-to-depth view of one image `x` (inC / 4 × inH × inW, contiguous): an
    /// h × w grid whose channel (py·2 + px)·inC/4 + i, row r, column c is x[i, 2r + py, 2c + px]
    /// (zero past the edge), read in place — the 5×5 stride-2 convolution with no copy of its input.
    func runSpaceToDepth(_ x: UnsafePointer<Float>, inH: Int, inW: Int, h: Int, w: Int, out: UnsafeMutablePointer<Float>,
                         act: Activation) {
        run(SpaceToDepthRows(x: x, channels: inC / 4, inH: inH, inW: inW, h: h, w: w), h: h, w: w, out: out, act: act)
    }

    /// The convolution over the grid `source` presents (h × w per channel).
    private func run<Source: WinogradRows>(_ source: Source, h: Int, w: Int, out: UnsafeMutablePointer<Float>, act: Activation) {
        let (th, tw) = Winograd3x3.tiles(h, w)
        let wp = 2 * tw + 2
        // Chunks of whole tile rows of up to 384 tiles (each GEMM packs its U_ξ once per chunk, so
        // wide chunks amortise the packing) whose transformed tiles stay within about 3 MB (a
        // fresh scratch costs its page faults), at least two chunks per worker when the image allows.
        let target = min(384, max(64, (3 << 20) / (64 * (inC + outC))))
        var rows = max(1, (target + tw - 1) / tw)
        let minChunks = Parallel.workers * 2
        if th >= minChunks { rows = min(rows, (th + minChunks - 1) / minChunks) }
        rows = min(rows, th)
        let chunks = (th + rows - 1) / rows
        let (ic, oc) = (inC, outC)
        withExtendedLifetime(u) {
            let uBase = u.base
            Parallel.forEach(chunks, scratch: 16 * (ic + oc) * rows * tw + 4 * wp + 4 * tw + w + 4 * w) { ci, scratch in
                let a0 = ci * rows, a1 = min(th, a0 + rows)
                let tc = (a1 - a0) * tw
                let v = scratch
                let m = scratch + 16 * ic * tc
                let rowbuf = m + 16 * oc * tc
                let zeros = rowbuf + 4 * wp + 4 * tw
                zeros.update(repeating: 0, count: w)
                let gathered = zeros + w
                // Input transform: V[ξ][i][t], rows of Bᵀ·d first (contiguous), then columns.
                // Padded column c is input column c − 1; tile row a reads input rows 2a−1 … 2a+2.
                let t0 = rowbuf, t1 = rowbuf + wp, t2 = rowbuf + 2 * wp, t3 = rowbuf + 3 * wp
                for k in 0..<4 {
                    let t = rowbuf + k * wp
                    t[0] = 0
                    if w + 1 < wp { (t + w + 1).update(repeating: 0, count: wp - w - 1) }
                }
                for k in 0..<ic {
                    let i = source.channel(k)
                    for a in a0..<a1 {
                        let (r0, r1, r2, r3) = source.rows(channel: i, from: 2 * a - 1, zeros: zeros, buffer: gathered)
                        let u0 = t0 + 1, u1 = t1 + 1, u2 = t2 + 1, u3 = t3 + 1
                        if tinify_f2_input_rows(r0, r1, r2, r3, w, rowbuf, wp) == 0 {
                            for c in 0..<w {
                                u0[c] = r0[c] - r2[c]; u1[c] = r1[c] + r2[c]
                                u2[c] = r2[c] - r1[c]; u3[c] = r1[c] - r3[c]
                            }
                        }
                        let tBase = (a - a0) * tw
                        if tinify_f2_input_columns(rowbuf, wp, tw, v + i * tc + tBase, ic * tc) != 0 { continue }
                        for row in 0..<4 {
                            let tr = rowbuf + row * wp
                            let d0 = v + ((row * 4 + 0) * ic + i) * tc + tBase
                            let d1 = v + ((row * 4 + 1) * ic + i) * tc + tBase
                            let d2 = v + ((row * 4 + 2) * ic + i) * tc + tBase
                            let d3 = v + ((row * 4 + 3) * ic + i) * tc + tBase
                            var b = 0
                            // Eight tiles at a time: columns 2b…2b+15 and 2b+2…2b+17 (wp ≥ 2·tw + 2).
                            while b + 8 <= tw && 2 * b + 18 <= wp {
                                let lo = UnsafeRawPointer(tr + 2 * b).loadUnaligned(as: SIMD16<Float>.self)
                                let hi = UnsafeRawPointer(tr + 2 * b + 2).loadUnaligned(as: SIMD16<Float>.self)
                                let x0 = lo.evenHalf, x1 = lo.oddHalf, x2 = hi.evenHalf, x3 = hi.oddHalf
                                UnsafeMutableRawPointer(d0 + b).storeBytes(of: x0 - x2, as: SIMD8<Float>.self)
                                UnsafeMutableRawPointer(d1 + b).storeBytes(of: x1 + x2, as: SIMD8<Float>.self)
                                UnsafeMutableRawPointer(d2 + b).storeBytes(of: x2 - x1, as: SIMD8<Float>.self)
                                UnsafeMutableRawPointer(d3 + b).storeBytes(of: x1 - x3, as: SIMD8<Float>.self)
                                b += 8
                            }
                            while b < tw {
                                let c = 2 * b
                                let x0 = tr[c], x1 = tr[c + 1], x2 = tr[c + 2], x3 = tr[c + 3]
                                d0[b] = x0 - x2; d1[b] = x1 + x2; d2[b] = x2 - x1; d3[b] = x1 - x3
                                b += 1
                            }
                        }
                    }
                }
                // 16 GEMMs: M_ξ (oc × tc) = U_ξ (oc × ic) · V_ξ (ic × tc).
                for xi in 0..<16 {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(oc), Int32(tc), Int32(ic),
                                1, uBase + xi * oc * ic, Int32(ic), v + xi * ic * tc, Int32(tc), 0, m + xi * oc * tc, Int32(tc))
                }
                // Output transform: Y = Aᵀ M A into two staging rows, then bias, activation and
                // the (possibly pixel-shuffled) store.
                let s = shuffle
                let ow = w * s, oh = h * s
                let y0buf = rowbuf, y1buf = rowbuf + 2 * tw
                let stride = oc * tc
                for o in 0..<oc {
                    let bo = bias?[o] ?? 0
                    let plane: UnsafeMutablePointer<Float>
                    let py: Int, px: Int
                    if s == 1 { plane = out + o * h * w; py = 0; px = 0 } else { plane = out + (o / 4) * oh * ow; py = (o / 2) % 2; px = o % 2 }
                    for a in a0..<a1 {
                        let mb = m + o * tc + (a - a0) * tw
                        let m0 = mb, m1 = mb + stride, m2 = mb + 2 * stride, m3 = mb + 3 * stride
                        let m4 = mb + 4 * stride, m5 = mb + 5 * stride, m6 = mb + 6 * stride, m7 = mb + 7 * stride
                        let m8 = mb + 8 * stride, m9 = mb + 9 * stride, m10 = mb + 10 * stride, m11 = mb + 11 * stride
                        let m12 = mb + 12 * stride, m13 = mb + 13 * stride, m14 = mb + 14 * stride, m15 = mb + 15 * stride
                        var b = tinify_f2_output_rows(mb, stride, tw, y0buf, y1buf) != 0 ? tw : 0
                        @inline(__always) func ld(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
                            UnsafeRawPointer(p + b).loadUnaligned(as: SIMD8<Float>.self)
                        }
                        while b + 8 <= tw {
                            let s0 = ld(m0) + ld(m4) + ld(m8), s1 = ld(m1) + ld(m5) + ld(m9)
                            let s2 = ld(m2) + ld(m6) + ld(m10), s3 = ld(m3) + ld(m7) + ld(m11)
                            let e0 = ld(m4) - ld(m8) - ld(m12), e1 = ld(m5) - ld(m9) - ld(m13)
                            let e2 = ld(m6) - ld(m10) - ld(m14), e3 = ld(m7) - ld(m11) - ld(m15)
                            UnsafeMutableRawPointer(y0buf + 2 * b).storeBytes(of: Winograd3x3.interleave(s0 + s1 + s2, s1 - s2 - s3), as: SIMD16<Float>.self)
                            UnsafeMutableRawPointer(y1buf + 2 * b).storeBytes(of: Winograd3x3.interleave(e0 + e1 + e2, e1 - e2 - e3), as: SIMD16<Float>.self)
                            b += 8
                        }
                        while b < tw {
                            let s0 = m0[b] + m4[b] + m8[b], s1 = m1[b] + m5[b] + m9[b]
                            let s2 = m2[b] + m6[b] + m10[b], s3 = m3[b] + m7[b] + m11[b]
                            let e0 = m4[b] - m8[b] - m12[b], e1 = m5[b] - m9[b] - m13[b]
                            let e2 = m6[b] - m10[b] - m14[b], e3 = m7[b] - m11[b] - m15[b]
                            y0buf[2 * b] = s0 + s1 + s2; y0buf[2 * b + 1] = s1 - s2 - s3
                            y1buf[2 * b] = e0 + e1 + e2; y1buf[2 * b + 1] = e1 - e2 - e3
                            b += 1
                        }
                        for dy in 0..<2 where 2 * a + dy < h {
                            let buf = dy == 0 ? y0buf : y1buf
                            let row = plane + ((2 * a + dy) * s + py) * ow + px
                            act.store(buf, count: w, bias: bo, to: row, step: s, limit: ow - px)
                        }
                    }
                }
            }
        }
    }

    /// (a0, b0, a1, b1, …): two vectors interleaved.
    @inline(__always) static func interleave(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD16<Float> {
        SIMD16(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3], a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7])
    }

    /// Tiles for an h × w output.
    static func tiles(_ h: Int, _ w: Int) -> (th: Int, tw: Int) { ((h + 1) / 2, (w + 1) / 2) }

}

/// Where a Winograd F(2×2) kernel reads its input rows: four consecutive rows of one channel of
/// an h × w grid, zero outside it.
protocol WinogradRows {
    /// The k-th channel to transform (a permutation of the channels that keeps the input rows
    /// that neighbouring channels read in cache).
    func channel(_ k: Int) -> Int
    /// Rows `y … y + 3` of `channel` (`zeros`, w zeros, for rows outside the grid; `buffer`, 4·w
    /// floats, for rows the source has to assemble).
    func rows(channel: Int, from y: Int, zeros: UnsafeMutablePointer<Float>, buffer: UnsafeMutablePointer<Float>)
        -> (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>)
}

/// A contiguous C × h × w input, read in place.
struct DenseRows: WinogradRows {
    let x: UnsafePointer<Float>, h: Int, w: Int

    @inline(__always) func channel(_ k: Int) -> Int { k }

    @inline(__always) func rows(channel: Int, from y: Int, zeros: UnsafeMutablePointer<Float>, buffer: UnsafeMutablePointer<Float>)
        -> (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>) {
        let plane = x + channel * h * w
        @inline(__always) func row(_ r: Int) -> UnsafePointer<Float> { r >= 0 && r < h ? plane + r * w : UnsafePointer(zeros) }
        return (row(y), row(y + 1), row(y + 2), row(y + 3))
    }
}

/// The space-to-depth view of a C × inH × inW input: channel (py·2 + px)·C + i of the h × w grid
/// holds x[i, 2r + py, 2c + px], zero past the input's edge. Each row is gathered (every other
/// element) into the caller's buffer.
struct SpaceToDepthRows: WinogradRows {
    let x: UnsafePointer<Float>, channels: Int, inH: Int, inW: Int, h: Int, w: Int

    /// The four phases of one input channel one after another (they read the same input rows).
    @inline(__always) func channel(_ k: Int) -> Int { (k & 3) * channels + (k >> 2) }

    @inline(__always) func rows(channel: Int, from y: Int, zeros: UnsafeMutablePointer<Float>, buffer: UnsafeMutablePointer<Float>)
        -> (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>) {
        let phase = channel / channels, py = phase / 2, px = phase % 2
        let plane = x + (channel - phase * channels) * inH * inW
        // Columns 2c + px < inW exist: c < (inW − px + 1) / 2.
        let present = Swift.min(w, Swift.max(0, (inW - px + 1) / 2))
        @inline(__always) func row(_ k: Int) -> UnsafePointer<Float> {
            let r = y + k, source = 2 * r + py
            guard r >= 0, r < h, source < inH else { return UnsafePointer(zeros) }
            let src = plane + source * inW + px, dst = buffer + k * w
            var c = tinify_gather_even(src, inW - px, dst, present) != 0 ? present : 0
            // Eight outputs from sixteen inputs while the sixteenth is inside the row.
            while c + 8 <= present && 2 * c + px + 16 <= inW {
                UnsafeMutableRawPointer(dst + c).storeBytes(of: UnsafeRawPointer(src + 2 * c).loadUnaligned(as: SIMD16<Float>.self).evenHalf,
                                                            as: SIMD8<Float>.self)
                c += 8
            }
            while c < present { dst[c] = src[2 * c]; c += 1 }
            if c < w { (dst + c).update(repeating: 0, count: w - c) }
            return UnsafePointer(dst)
        }
        return (row(0), row(1), row(2), row(3))
    }
}

