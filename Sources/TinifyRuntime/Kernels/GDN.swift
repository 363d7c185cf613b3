// TinifyRuntime: GDN / IGDN, Ballé, Laparra, Simoncelli, "Density Modeling of Images Using a
// Generalized Normalization Transformation" (ICLR 2016); mirrors compressai.layers.GDN.
//
// norm_i = β_i + Σ_j γ[i, j]·x_j² (a 1×1 convolution whose weight is γ, first index = output
// channel); GDN gives x·rsqrt(norm), IGDN x·sqrt(norm). The stored β and γ are reparametrised:
// the effective values are max(stored, bound)² − pedestal, with bound and pedestal read from the
// checkpoint's `*_reparam.lower_bound.bound` and `*_reparam.pedestal` buffers.
import TinifyCore
import CBLAS
import CVectorKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A GDN or inverse-GDN layer.
package final class GDN: @unchecked Sendable {
    /// Channels.
    package let channels: Int
    /// The key prefix the parameters came from (`g_a.1`), for errors.
    package let name: String
    /// Whether this is the inverse (IGDN).
    package let inverse: Bool
    /// Effective β (C).
    package let beta: [Float]
    /// Effective γ (C × C, row = output channel).
    package let gamma: [Float]

    /// A layer over effective parameters.
    package init(beta: [Float], gamma: [Float], inverse: Bool, name: String = "") throws {
        guard !beta.isEmpty, Checked.mul(beta.count, beta.count) == gamma.count else {
            throw RuntimeError.layerMismatch("gdn with \(beta.count) betas and \(gamma.count) gammas")
        }
        channels = beta.count; self.name = name; self.beta = beta; self.gamma = gamma; self.inverse = inverse
    }

    /// Binds `<prefix>.beta`, `<prefix>.gamma` and their reparametrisation buffers.
    package convenience init(_ weights: WeightReader, _ prefix: String, channels c: Int, inverse: Bool) throws {
        let beta = try weights.floats(prefix + ".beta", shape: [c])
        let gamma = try weights.floats(prefix + ".gamma", shape: [c, c])
        // Defaults are CompressAI's (used only when a checkpoint lacks the buffers).
        let pedestal: Float = Float(pow(2.0, -36.0))
        let bPed = try weights.scalar(prefix + ".beta_reparam.pedestal", default: pedestal)
        let bBound = try weights.scalar(prefix + ".beta_reparam.lower_bound.bound", default: Float((1e-6 + pow(2.0, -36.0)).squareRoot()))
        let gPed = try weights.scalar(prefix + ".gamma_reparam.pedestal", default: pedestal)
        let gBound = try weights.scalar(prefix + ".gamma_reparam.lower_bound.bound", default: Float(pow(2.0, -18.0)))
        func eff(_ v: Float, _ bound: Float, _ ped: Float) -> Float { let m = Swift.max(v, bound); return m * m - ped }
        try self.init(beta: beta.map { eff($0, bBound, bPed) }, gamma: gamma.map { eff($0, gBound, gPed) }, inverse: inverse, name: prefix)
    }

    /// `out = x · rsqrt(norm + β)` (or `· sqrt` for IGDN), eight lanes at a time.
    @inline(__always) static func combine(_ x: UnsafePointer<Float>, _ norm: UnsafePointer<Float>, beta: Float, inverse: Bool,
                                          into out: UnsafeMutablePointer<Float>, count n: Int) {
        if tinify_gdn_combine(x, norm, beta, inverse ? 1 : 0, out, n) != 0 { return }
        var j = 0
        let b8 = SIMD8<Float>(repeating: beta)
        while j + 8 <= n {
            let xv = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<Float>.self)
            let nv = (UnsafeRawPointer(norm + j).loadUnaligned(as: SIMD8<Float>.self) + b8).squareRoot()
            UnsafeMutableRawPointer(out + j).storeBytes(of: inverse ? xv * nv : xv * (1 / nv), as: SIMD8<Float>.self)
            j += 8
        }
        while j < n {
            let nv = (norm[j] + beta).squareRoot()
            out[j] = inverse ? x[j] * nv : x[j] * (1 / nv)
            j += 1
        }
    }

    /// Applies the layer to an NCHW tensor (`.deterministic`: the γ product in the fixed order of
    /// `DeterministicGemm`; the square root and division are IEEE-754 correctly rounded either way).
    package func callAsFunction(_ x: FloatTensor, mode: KernelMode = .fast) throws -> FloatTensor {
        try check(x, mode: mode)
        return x.withUnsafeBufferPointer { px in
            FloatTensor(shape: x.shape) { out in run(px.baseAddress!, into: out, batch: x.n, plane: x.h * x.w, mode: mode) }
        }
    }

    /// Applies the layer in place (the same values as `callAsFunction`): a tensor no one else
    /// holds, such as the output of the layer before, costs no new memory.
    package func apply(inPlace x: inout FloatTensor, mode: KernelMode = .fast) throws {
        try check(x, mode: mode)
        let (n, plane) = (x.n, x.h * x.w)
        x.withUnsafeMutableBufferPointer { p in run(p.baseAddress!, into: p.baseAddress!, batch: n, plane: plane, mode: mode) }
    }

    /// Throws unless `x` is NCHW with this layer's channels; loads OpenBLAS for `.fast`.
    private func check(_ x: FloatTensor, mode: KernelMode) throws {
        guard x.shape.count == 4, x.c == channels else {
            throw RuntimeError.layerMismatch("gdn \(name) given \(x.shape), expected \(channels) channels")
        }
        if case .fast = mode { try SystemLibraries.loadBLAS() }
    }

    /// Normalises `batch` images of `channels × plane` floats from `src` into `dst`, which may be
    /// `src` itself: each tile of columns is squared into scratch before any of it is written.
    private func run(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, batch: Int, plane: Int, mode: KernelMode) {
        let c = channels
        let target = max(256, min(plane, (1 << 20) / max(1, c * 4)))
        let tiles = max((plane + target - 1) / target, min(Parallel.workers * 2, max(1, plane / 256)))
        let step = (plane + tiles - 1) / tiles
        let inverse = self.inverse
        gamma.withUnsafeBufferPointer { pg in
            beta.withUnsafeBufferPointer { pb in
                for b in 0..<batch {
                    let src = src + b * c * plane, dst = dst + b * c * plane
                    Parallel.forEach(tiles, scratch: 2 * c * step) { t, scratch in
                        let lo = t * step, hi = Swift.min(plane, lo + step)
                        if lo >= hi { return }
                        let n = hi - lo
                        let sq = scratch, norm = scratch + c * n
                        for ch in 0..<c {
                            let s = src + ch * plane + lo, d = sq + ch * n
                            if tinify_gdn_square(s, d, n) != 0 { continue }
                            for j in 0..<n { d[j] = s[j] * s[j] }
                        }
                        if case .deterministic = mode {
                            DeterministicGemm.multiply(m: c, n: n, k: c, a: pg.baseAddress!, lda: c, b: sq, ldb: n,
                                                       c: norm, ldc: n)
                        } else {
                            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(c), Int32(n), Int32(c),
                                        1, pg.baseAddress, Int32(c), sq, Int32(n), 0, norm, Int32(n))
                        }
                        for ch in 0..<c {
                            GDN.combine(src + ch * plane + lo, norm + ch * n, beta: pb[ch], inverse: inverse,
                                        into: dst + ch * plane + lo, count: n)
                        }
                    }
                }
            }
        }
    }
}
