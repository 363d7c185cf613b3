// TinifyRuntime: 3×3 stride-1 convolutions by Winograd F(4×4, 3×3) (Lavin & Gray, "Fast
// Algorithms for Convolutional Neural Networks", CVPR 2016): 36 multiplies per 4×4 outputs instead
// of 144 — 44 % fewer than F(2×2, 3×3), with about six times its rounding error. It runs only in
// the synthesis transforms g_s, whose output x̂ is compared on an absolute scale, never in layers
// whose output is rounded (y, means, scales).
//
//   V = Bᵀ d B (6×6 input tile), U = G g Gᵀ (per filter, once at build, in double),
//   M = Σ_i U·V, Y = Aᵀ M A (4×4 output tile).
// The matrices are the Toom-Cook construction on the points 0, −1, 1, ½, −2 and ∞, which in
// float32 loses about 2.5× less than the usual 0, ±1, ±2 (Barabasz et al., "Error analysis and
// improving the accuracy of Winograd convolution for deep neural networks", TOMS 2020):
//   Bᵀ = [1 −3/2 −2 3/2 1 0; 0 1 −5/2 ½ 1 0; 0 −1 ½ 5/2 1 0; 0 −2 −1 2 1 0; 0 ½ −1 −½ 1 0;
//         0 1 −3/2 −2 3/2 1],
//   G = [1 0 0; −⅓ ⅓ −⅓; ⅓ ⅓ ⅓; −16/15 −8/15 −4/15; 1/15 −2/15 4/15; 0 0 1],
//   Aᵀ = [1 1 1 1 1 0; 0 −1 1 ½ −2 0; 0 1 1 ¼ 4 0; 0 −1 1 ⅛ −8 1].
import CBLAS
import CVectorKernels

/// A 3×3, stride-1, padding-1 convolution run with Winograd F(4×4, 3×3); the output may be
/// pixel-shuffled by `shuffle` (1 = none, 2 = PixelShuffle(2)).
final class WinogradF4: WinogradKernel, @unchecked Sendable {
    /// Output channels of the 3×3 convolution (before any pixel shuffle).
    let outC: Int
    /// Input channels.
    let inC: Int
    /// Transformed filters: 36 matrices of outC × inC (pooled storage, mapped with the huge-page
    /// hint: four times the weights, they would otherwise cost one page fault per 4 KiB).
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
        // G's three columns (lanes 0…5 are its rows), in double; U = G·w·Gᵀ per filter, rounded
        // once to float.
        let g0 = SIMD8<Double>(1, -1.0 / 3, 1.0 / 3, -16.0 / 15, 1.0 / 15, 0, 0, 0)
        let g1 = SIMD8<Double>(0, 1.0 / 3, 1.0 / 3, -8.0 / 15, -2.0 / 15, 0, 0, 0)
        let g2 = SIMD8<Double>(0, -1.0 / 3, 1.0 / 3, -4.0 / 15, 4.0 / 15, 1, 0, 0)
        let u = FloatStorage(count: 36 * plane)
        let pu = u.base
        weight.withUnsafeBufferPointer { pw in
            Parallel.chunks(plane, grain: 4096) { range in
                if tinify_f4_filter_transform(pw.baseAddress!, range.lowerBound, range.upperBound, pu, plane) != 0 { return }
                for oi in range {
                    let w = pw.baseAddress! + oi * 9
                    // Column c of t = G·w (6 values, lanes 0…5), then U[r][c'] = Σ_c t[r][c]·G[c'][c].
                    let t0 = g0 * Double(w[0]) + g1 * Double(w[3]) + g2 * Double(w[6])
                    let t1 = g0 * Double(w[1]) + g1 * Double(w[4]) + g2 * Double(w[7])
                    let t2 = g0 * Double(w[2]) + g1 * Double(w[5]) + g2 * Double(w[8])
                    for c in 0..<6 {
                        let v = t0 * g0[c] + t1 * g1[c] + t2 * g2[c]
                        for r in 0..<6 { pu[(r * 6 + c) * plane + oi] = Float(v[r]) }
                    }
                }
            }
        }
        self.u = u
    }

    /// Bᵀ applied to six values (the same combination serves rows and columns).
    @inline(__always) static func bt<V: SIMD>(_ x0: V, _ x1: V, _ x2: V, _ x3: V, _ x4: V, _ x5: V)
        -> (V, V, V, V, V, V) where V.Scalar == Float {
        let h1 = 0.5 * x1, h2 = 0.5 * x2, h3 = 0.5 * x3
        return (x0 - 3 * h1 - 2 * x2 + 3 * h3 + x4,
                x1 - 5 * h2 + h3 + x4,
                h2 - x1 + 5 * h3 + x4,
                2 * (x3 - x1) - x2 + x4,
                (h1 - h3) - x2 + x4,
                x1 - 3 * h2 - 2 * x3 + 3 * (0.5 * x4) + x5)
    }

    /// Bᵀ applied to six scalars.
    @inline(__always) static func bt(_ x0: Float, _ x1: Float, _ x2: Float, _ x3: Float, _ x4: Float, _ x5: Float)
        -> (Float, Float, Float, Float, Float, Float) {
        let h1 = 0.5 * x1, h2 = 0.5 * x2, h3 = 0.5 * x3
        return (x0 - 3 * h1 - 2 * x2 + 3 * h3 + x4,
                x1 - 5 * h2 + h3 + x4,
                h2 - x1 + 5 * h3 + x4,
                2 * (x3 - x1) - x2 + x4,
                (h1 - h3) - x2 + x4,
                x1 - 3 * h2 - 2 * x3 + 3 * (0.5 * x4) + x5)
    }

    /// Aᵀ applied to six scalars.
    @inline(__always) static func at(_ m0: Float, _ m1: Float, _ m2: Float, _ m3: Float, _ m4: Float, _ m5: Float)
        -> (Float, Float, Float, Float) {
        let p = m2 + m1, q = m2 - m1
        return (m0 + p + m3 + m4, q + 0.5 * m3 - 2 * m4, p + 0.25 * m3 + 4 * m4, q + 0.125 * m3 - 8 * m4 + m5)
    }

    /// Aᵀ applied to six values.
    @inline(__always) static func at<V: SIMD>(_ m0: V, _ m1: V, _ m2: V, _ m3: V, _ m4: V, _ m5: V)
        -> (V, V, V, V) where V.Scalar == Float {
        let p = m2 + m1, q = m2 - m1
        return (m0 + p + m3 + m4, q + 0.5 * m3 - 2 * m4, p + 0.25 * m3 + 4 * m4, q + 0.125 * m3 - 8 * m4 + m5)
    }

    /// Runs on one image `x` (inC × h × w, contiguous), zero padding implied. Writes the
    /// (shuffled) output, h × w per conv channel, to `out`.
    func run(_ x: UnsafePointer<Float>, h: Int, w: Int, out: UnsafeMutablePointer<Float>, act: Activation) {
        let (th, tw) = ((h + 3) / 4, (w + 3) / 4)
        let wp = 4 * tw + 2
        // Chunks of whole tile rows of about 256 tiles (each GEMM packs its U_ξ once per chunk, so
        // wide chunks amortise the packing), at least two chunks per worker when the image allows.
        var rows = max(1, (256 + tw - 1) / tw)
        let minChunks = Parallel.workers * 2
        if th >= minChunks { rows = min(rows, (th + minChunks - 1) / minChunks) }
        rows = min(rows, th)
        let chunks = (th + rows - 1) / rows
        let (ic, oc) = (inC, outC)
        // Output channels in blocks of up to 128: the products of a block (36 × 128 × tiles) are
        // transformed before the next block's are made, so a chunk's scratch stays near 3 MB however
        // many channels the layer has (fresh pages cost this VM about a millisecond per megabyte).
        let block = min(oc, 128)
        withExtendedLifetime(u) {
            let uBase = u.base
            Parallel.forEach(chunks, scratch: 36 * (ic + block) * rows * tw + 6 * wp + 16 * tw + w + 64) { ci, scratch in
                let a0 = ci * rows, a1 = min(th, a0 + rows)
                let tc = (a1 - a0) * tw
                let v = scratch
                let m = scratch + 36 * ic * tc
                let rowbuf = m + 36 * block * tc
                let ybuf = rowbuf + 6 * wp
                let zeros = ybuf + 16 * tw
                zeros.update(repeating: 0, count: w)
                // Input transform: Bᵀ over rows (contiguous), then over each tile's columns.
                // Padded column c is input column c − 1; tile row a reads input rows 4a−1 … 4a+4.
                for k in 0..<6 {
                    let t = rowbuf + k * wp
                    t[0] = 0
                    if w + 1 < wp { (t + w + 1).update(repeating: 0, count: wp - w - 1) }
                }
                for i in 0..<ic {
                    let plane = x + i * h * w
                    @inline(__always) func row(_ y: Int) -> UnsafePointer<Float> { y >= 0 && y < h ? plane + y * w : UnsafePointer(zeros) }
                    for a in a0..<a1 {
                        let r0 = row(4 * a - 1), r1 = row(4 * a), r2 = row(4 * a + 1)
                        let r3 = row(4 * a + 2), r4 = row(4 * a + 3), r5 = row(4 * a + 4)
                        let t = rowbuf + 1
                        if tinify_f4_input_rows(r0, r1, r2, r3, r4, r5, w, rowbuf, wp) == 0 {
                            for c in 0..<w {
                                let o = WinogradF4.bt(r0[c], r1[c], r2[c], r3[c], r4[c], r5[c])
                                t[c] = o.0; t[wp + c] = o.1; t[2 * wp + c] = o.2
                                t[3 * wp + c] = o.3; t[4 * wp + c] = o.4; t[5 * wp + c] = o.5
                            }
                        }
                        let tBase = (a - a0) * tw
                        if tinify_f4_input_columns(rowbuf, wp, tw, v + i * tc + tBase, ic * tc) != 0 { continue }
                        for row in 0..<6 {
                            let tr = rowbuf + row * wp
                            @inline(__always) func dst(_ col: Int) -> UnsafeMutablePointer<Float> { v + ((row * 6 + col) * ic + i) * tc + tBase }
                            let d0 = dst(0), d1 = dst(1), d2 = dst(2), d3 = dst(3), d4 = dst(4), d5 = dst(5)
                            var b = 0
                            // Eight tiles at a time: columns 4b…4b+31 and 4b+4…4b+35.
                            while b + 8 <= tw && 4 * b + 36 <= wp {
                                let lo = UnsafeRawPointer(tr + 4 * b).loadUnaligned(as: SIMD32<Float>.self)
                                let hi = UnsafeRawPointer(tr + 4 * b + 4).loadUnaligned(as: SIMD32<Float>.self)
                                let le = lo.evenHalf, lo2 = lo.oddHalf, he = hi.evenHalf, ho = hi.oddHalf
                                let o = WinogradF4.bt(le.evenHalf, lo2.evenHalf, le.oddHalf, lo2.oddHalf, he.evenHalf, ho.evenHalf)
                                UnsafeMutableRawPointer(d0 + b).storeBytes(of: o.0, as: SIMD8<Float>.self)
                                UnsafeMutableRawPointer(d1 + b).storeBytes(of: o.1, as: SIMD8<Float>.self)
                                UnsafeMutableRawPointer(d2 + b).storeBytes(of: o.2, as: SIMD8<Float>.self)
                                UnsafeMutableRawPointer(d3 + b).storeBytes(of: o.3, as: SIMD8<Float>.self)
                                UnsafeMutableRawPointer(d4 + b).storeBytes(of: o.4, as: SIMD8<Float>.self)
                                UnsafeMutableRawPointer(d5 + b).storeBytes(of: o.5, as: SIMD8<Float>.self)
                                b += 8
                            }
                            while b < tw {
                                let c = tr + 4 * b
                                let o = WinogradF4.bt(c[0], c[1], c[2], c[3], c[4], c[5])
                                d0[b] = o.0; d1[b] = o.1; d2[b] = o.2; d3[b] = o.3; d4[b] = o.4; d5[b] = o.5
                                b += 1
                            }
                        }
                    }
                }
                let s = shuffle
                let ow = w * s, oh = h * s
                var o0 = 0
                while o0 < oc {
                    let nb = min(block, oc - o0)
                    // 36 GEMMs: M_ξ (nb × tc) = U_ξ (rows o0 ..< o0 + nb of oc × ic) · V_ξ (ic × tc).
                    for xi in 0..<36 {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(nb), Int32(tc), Int32(ic),
                                    1, uBase + xi * oc * ic + o0 * ic, Int32(ic), v + xi * ic * tc, Int32(tc), 0, m + xi * nb * tc, Int32(tc))
                    }
                    // Output transform: Y = Aᵀ M A into four staging rows, then bias, activation and
                    // the (possibly pixel-shuffled) store.
                    let stride = nb * tc
                    for o in o0..<(o0 + nb) {
                        let bo = bias?[o] ?? 0
                        let plane: UnsafeMutablePointer<Float>
                        let py: Int, px: Int
                        if s == 1 { plane = out + o * h * w; py = 0; px = 0 } else { plane = out + (o / 4) * oh * ow; py = (o / 2) % 2; px = o % 2 }
                        for a in a0..<a1 {
                            let mb = m + (o - o0) * tc + (a - a0) * tw
                            var b = tinify_f4_output_rows(mb, stride, tw, ybuf) != 0 ? tw : 0
                            @inline(__always) func ld8(_ k: Int) -> SIMD8<Float> { UnsafeRawPointer(mb + k * stride + b).loadUnaligned(as: SIMD8<Float>.self) }
                            @inline(__always) func ld1(_ k: Int) -> Float { mb[k * stride + b] }
                            while b + 8 <= tw {
                                let r0 = WinogradF4.at(ld8(0), ld8(6), ld8(12), ld8(18), ld8(24), ld8(30))
                                let r1 = WinogradF4.at(ld8(1), ld8(7), ld8(13), ld8(19), ld8(25), ld8(31))
                                let r2 = WinogradF4.at(ld8(2), ld8(8), ld8(14), ld8(20), ld8(26), ld8(32))
                                let r3 = WinogradF4.at(ld8(3), ld8(9), ld8(15), ld8(21), ld8(27), ld8(33))
                                let r4 = WinogradF4.at(ld8(4), ld8(10), ld8(16), ld8(22), ld8(28), ld8(34))
                                let r5 = WinogradF4.at(ld8(5), ld8(11), ld8(17), ld8(23), ld8(29), ld8(35))
                                let y0 = WinogradF4.at(r0.0, r1.0, r2.0, r3.0, r4.0, r5.0)
                                let y1 = WinogradF4.at(r0.1, r1.1, r2.1, r3.1, r4.1, r5.1)
                                let y2 = WinogradF4.at(r0.2, r1.2, r2.2, r3.2, r4.2, r5.2)
                                let y3 = WinogradF4.at(r0.3, r1.3, r2.3, r3.3, r4.3, r5.3)
                                UnsafeMutableRawPointer(ybuf + 4 * b).storeBytes(of: WinogradF4.interleave4(y0), as: SIMD32<Float>.self)
                                UnsafeMutableRawPointer(ybuf + 4 * tw + 4 * b).storeBytes(of: WinogradF4.interleave4(y1), as: SIMD32<Float>.self)
                                UnsafeMutableRawPointer(ybuf + 8 * tw + 4 * b).storeBytes(of: WinogradF4.interleave4(y2), as: SIMD32<Float>.self)
                                UnsafeMutableRawPointer(ybuf + 12 * tw + 4 * b).storeBytes(of: WinogradF4.interleave4(y3), as: SIMD32<Float>.self)
                                b += 8
                            }
                            while b < tw {
                                let r0 = WinogradF4.at(ld1(0), ld1(6), ld1(12), ld1(18), ld1(24), ld1(30))
                                let r1 = WinogradF4.at(ld1(1), ld1(7), ld1(13), ld1(19), ld1(25), ld1(31))
                                let r2 = WinogradF4.at(ld1(2), ld1(8), ld1(14), ld1(20), ld1(26), ld1(32))
                                let r3 = WinogradF4.at(ld1(3), ld1(9), ld1(15), ld1(21), ld1(27), ld1(33))
                                let r4 = WinogradF4.at(ld1(4), ld1(10), ld1(16), ld1(22), ld1(28), ld1(34))
                                let r5 = WinogradF4.at(ld1(5), ld1(11), ld1(17), ld1(23), ld1(29), ld1(35))
                                let ys = [WinogradF4.at(r0.0, r1.0, r2.0, r3.0, r4.0, r5.0), WinogradF4.at(r0.1, r1.1, r2.1, r3.1, r4.1, r5.1),
                                          WinogradF4.at(r0.2, r1.2, r2.2, r3.2, r4.2, r5.2), WinogradF4.at(r0.3, r1.3, r2.3, r3.3, r4.3, r5.3)]
                                for (j, y) in ys.enumerated() {
                                    let row = ybuf + j * 4 * tw + 4 * b
                                    row[0] = y.0; row[1] = y.1; row[2] = y.2; row[3] = y.3
                                }
                                b += 1
                            }
                            for dy in 0..<4 where 4 * a + dy < h {
                                let buf = ybuf + dy * 4 * tw
                                let row = plane + ((4 * a + dy) * s + py) * ow + px
                                act.store(buf, count: w, bias: bo, to: row, step: s, limit: ow - px)
                            }
                        }
                    }
                    o0 += nb
                }
            }
        }
    }

    /// (a0, b0, c0, d0, a1, b1, …): four vectors interleaved.
    @inline(__always) static func interleave4(_ y: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)) -> SIMD32<Float> {
        var r = SIMD32<Float>()
        for j in 0..<8 { r[4 * j] = y.0[j]; r[4 * j + 1] = y.1[j]; r[4 * j + 2] = y.2[j]; r[4 * j + 3] = y.3[j] }
        return r
    }


}
