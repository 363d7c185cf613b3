// TinifyRuntime: float32 elementary functions exactly as PyTorch's CPU kernels compute them, so that
// `update()` reproduces CompressAI's CDF tables bit for bit (COMPRESSAI.md §8.1).
//
// What PyTorch 2.x (x86-64, AVX2/AVX-512 kernels) does, checked against torch bit for bit:
// - `softplus` and `sigmoid` run through `cpu_kernel_vec`: the vector body (every element before
//   the last whole block of two vectors) uses SLEEF's 1-ULP routines (`Sleef_expf_u10`,
//   `Sleef_log1pf_u10`, FMA variants), the scalar tail and strided operands use the C library
//   (`expf`, `log1pf`). The SLEEF routines below transcribe SLEEF 3.x `sleefsimdsp.c`/`df.h`
//   (Boost licence) for one lane.
// - `tanh`, `exp` and `erfc` go to MKL's VML in high-accuracy mode (< 1 ULP, correctly rounded in
//   more than 99 % of cases); they are computed here correctly rounded (double precision, rounded
//   once), which agrees with MKL except next to a rounding midpoint.
// - small batched matmuls (`f_in·f_out·L < 400`) accumulate products in order without FMA;
//   larger ones go to sgemm, which chains FMAs in order (see EntropyBottleneck).
import TinifyCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Float32 math that matches PyTorch's CPU results bit for bit.
package enum TorchMath {
    /// Elements per vectorised block of `cpu_kernel_vec` (two 16-lane AVX-512 vectors).
    package static let vectorBlock = 32

    // MARK: SLEEF helpers (one lane, FMA variants)

    @inline(__always) static func mla(_ x: Float, _ y: Float, _ z: Float) -> Float { z.addingProduct(x, y) }
    @inline(__always) static func fmapn(_ x: Float, _ y: Float, _ z: Float) -> Float { (-z).addingProduct(x, y) }
    @inline(__always) static func fmanp(_ x: Float, _ y: Float, _ z: Float) -> Float { z.addingProduct(-x, y) }
    /// Round to nearest even as x86's `cvtps2dq` does, which SLEEF's vector code compiles to:
    /// NaN and values outside Int32's range give Int32.min (the "integer indefinite" value), so a
    /// non-finite or huge weight gives CompressAI's own result here, never a trap.
    @inline(__always) static func rint(_ x: Float) -> Int32 {
        let r = x.rounded(.toNearestOrEven)
        return r >= -2_147_483_648 && r < 2_147_483_648 ? Int32(r) : Int32.min
    }
    @inline(__always) static func pow2i(_ q: Int32) -> Float { Float(bitPattern: UInt32(bitPattern: (q &+ 0x7f) << 23)) }
    @inline(__always) static func ldexp2(_ d: Float, _ e: Int32) -> Float { d * pow2i(e >> 1) * pow2i(e &- (e >> 1)) }

    struct DF { var x: Float; var y: Float }
    @inline(__always) static func dfadd(_ x: DF, _ y: DF) -> DF {          // dfadd_vf2_vf2_vf2
        let s = x.x + y.x
        return DF(x: s, y: (((x.x - s) + y.x) + x.y) + y.y)
    }
    @inline(__always) static func dfadd(_ x: Float, _ y: Float) -> DF {    // dfadd_vf2_vf_vf
        let s = x + y
        return DF(x: s, y: (x - s) + y)
    }
    @inline(__always) static func dfadd(_ x: DF, _ y: Float) -> DF {       // dfadd_vf2_vf2_vf
        let s = x.x + y
        return DF(x: s, y: ((x.x - s) + y) + x.y)
    }
    @inline(__always) static func dfmul(_ x: DF, _ y: Float) -> DF {       // dfmul_vf2_vf2_vf
        let s = x.x * y
        return DF(x: s, y: mla(x.y, y, fmapn(x.x, y, s)))
    }
    @inline(__always) static func dfdiv(_ n: DF, _ d: DF) -> DF {
        let t = 1 / d.x
        let s = n.x * t
        let u = fmapn(t, n.x, s)
        let v = fmanp(d.y, t, fmanp(d.x, t, 1))
        return DF(x: s, y: mla(s, v, mla(n.y, t, u)))
    }

    static let rLn2: Float = 1.442695040888963407359924681001892137426645954152985934135449406931
    static let l2U: Float = 0.693145751953125
    static let l2L: Float = 1.428606765330187045e-06

    // MARK: SLEEF functions

    /// `Sleef_expf_u10`.
    package static func sleefExp(_ d: Float) -> Float {
        let q = rint(d * rLn2)
        let qf = Float(q)
        var s = mla(qf, -l2U, d)
        s = mla(qf, -l2L, s)
        var u: Float = 0.000198527617612853646278381
        u = mla(u, s, 0.00139304355252534151077271)
        u = mla(u, s, 0.00833336077630519866943359)
        u = mla(u, s, 0.0416664853692054748535156)
        u = mla(u, s, 0.166666671633720397949219)
        u = mla(u, s, 0.5)
        u = 1 + mla(s * s, u, s)
        u = ldexp2(u, q)
        if d < -104 { u = 0 }
        if 100 < d { u = .infinity }
        return u
    }

    /// `Sleef_log1pf_u10` (AVX-512 form; identical to the AVX2 form for finite inputs).
    package static func sleefLog1p(_ d: Float) -> Float {
        let dp1 = d + 1
        var e = Float((dp1 * (1 / 0.75 as Float)).exponent)
        if dp1.isInfinite { e = 128 }
        let ei = rint(e)
        let t0 = Float(bitPattern: UInt32(bitPattern: Int32(bitPattern: (1 as Float).bitPattern) &+ ((0 &- ei) << 23)))
        let m = mla(d, t0, t0 - 1)
        var s = dfmul(DF(x: 0.69314718246459960938, y: -1.904654323148236017e-09), e)
        let x = dfdiv(DF(x: m, y: 0), dfadd(2, m))
        let x2 = x.x * x.x
        var t: Float = 0.3027294874
        t = mla(t, x2, 0.3996108174)
        t = mla(t, x2, 0.6666694880)
        s = dfadd(s, DF(x: x.x * 2, y: x.y * 2))
        s = dfadd(s, x2 * x.x * t)
        var r = s.x + s.y
        if d > 1e38 { r = .infinity }
        if -1 > d { r = .nan }
        if d == -1 { r = -.infinity }
        if d == 0 && d.sign == .minus { r = -0.0 }
        return r
    }

    // MARK: PyTorch operators

    /// `torch.tanh` (MKL VML; here correctly rounded).
    @inline(__always) package static func tanh(_ x: Float) -> Float { Float(CLibrary.tanh(Double(x))) }

    /// `torch.exp` (MKL VML; here correctly rounded).
    @inline(__always) package static func exp(_ x: Float) -> Float { Float(CLibrary.exp(Double(x))) }

    /// `torch.sigmoid` on element `x`, vector body (`vector == true`) or scalar tail.
    @inline(__always) package static func sigmoid(_ x: Float, vector: Bool) -> Float {
        if vector { return 1 / (sleefExp(0 - x) + 1) }
        return 1 / (1 + expf(-x))
    }

    /// `F.softplus` (beta 1, threshold 20) on element `x`, vector body or scalar tail.
    @inline(__always) package static func softplus(_ x: Float, vector: Bool) -> Float {
        if vector { return x > 20 ? x : sleefLog1p(sleefExp(x)) }
        return x > 20 ? x : log1pf(expf(x))
    }

    /// Whether element `i` of a contiguous `n`-element operand takes `cpu_kernel_vec`'s vector body.
    @inline(__always) package static func isVector(_ i: Int, of n: Int) -> Bool { i < n - n % vectorBlock }

    /// `F.softplus` over a contiguous array, honouring the vector body / scalar tail split.
    package static func softplus(_ xs: [Float]) -> [Float] {
        let n = xs.count
        return xs.indices.map { softplus(xs[$0], vector: isVector($0, of: n)) }
    }

    /// `torch.erfc` (MKL VML; here correctly rounded).
    @inline(__always) package static func erfc(_ x: Float) -> Float { Float(CLibrary.erfc(Double(x))) }

    /// `torch.linspace(start, end, steps)` in float32: each element is one fused multiply-add from
    /// the nearer end (`start + step·i` for the first half, `end − step·(steps−1−i)` after).
    package static func linspace(_ start: Double, _ end: Double, _ steps: Int) -> [Float] {
        if steps <= 0 { return [] }
        if steps == 1 { return [Float(start)] }
        let s = Float(start), e = Float(end)
        let step = (e - s) / Float(steps - 1)
        return (0..<steps).map { i in
            i < steps / 2 ? s.addingProduct(step, Float(i)) : e.addingProduct(-step, Float(steps - 1 - i))
        }
    }
}
