// TinifyRuntime: the one matrix product of the deterministic kernels.
//
// C[i, j] = Σ_p A[i, p] · B[p, j] is computed for every element as
//     acc = 0; for p in 0..<k { acc = acc + A[i, p] · B[p, j] }   (each · and + rounded to binary32)
// Vector lanes run over j (different output elements), never over p, so there is no horizontal
// reduction: the vector, blocked and scalar versions below are the same sequence of IEEE-754
// operations per element, and so are any tiling and any thread split of the output. Swift does
// not contract a·b + c into an FMA, so no machine fuses what another rounds twice. Where the CPU
// has AVX, the same sums run 8 columns per instruction in C (CDeterministic, contraction off).
// With `accumulate`, acc starts from C's value instead of 0: a sum split in two calls over
// p in 0..<k₁ then k₁..<k is the same sequence of operations as one call over 0..<k.

import CDeterministic

/// `C = A · B` in the fixed order above.
enum DeterministicGemm {
    /// `C (m × n, ldc) = A (m × k, lda) · B (k × n, ldb)`, all row-major (`C += A · B`, term by
    /// term, with `accumulate`).
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false) {
        if m <= 0 || n <= 0 { return }
        if DeterministicKernels.scalar {
            scalar(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
            return
        }
        if tinify_det_gemm_avx(m, n, k, a, lda, b, ldb, c, ldc, accumulate ? 1 : 0) != 0 { return }
        vector(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
    }

    /// The Swift vector version (CPUs without AVX).
    static func vector(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                       c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        var i = 0
        while i + 4 <= m {
            rows4(n: n, k: k, a: a + i * lda, lda: lda, b: b, ldb: ldb, c: c + i * ldc, ldc: ldc, accumulate: accumulate)
            i += 4
        }
        while i < m {
            row1(n: n, k: k, a: a + i * lda, b: b, ldb: ldb, c: c + i * ldc, accumulate: accumulate)
            i += 1
        }
    }

    /// The reference: one element at a time.
    static func scalar(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                       c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        for i in 0..<m {
            for j in 0..<n {
                var acc: Float = accumulate ? c[i * ldc + j] : 0
                for p in 0..<k { acc = acc + a[i * lda + p] * b[p * ldb + j] }
                c[i * ldc + j] = acc
            }
        }
    }

    /// Four rows of C, eight columns at a time.
    @inline(__always) private static func rows4(n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                                                ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        let a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda
        var j = 0
        while j + 8 <= n {
            var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>(), c3 = SIMD8<Float>()
            if accumulate {
                c0 = UnsafeRawPointer(c + j).loadUnaligned(as: SIMD8<Float>.self)
                c1 = UnsafeRawPointer(c + ldc + j).loadUnaligned(as: SIMD8<Float>.self)
                c2 = UnsafeRawPointer(c + 2 * ldc + j).loadUnaligned(as: SIMD8<Float>.self)
                c3 = UnsafeRawPointer(c + 3 * ldc + j).loadUnaligned(as: SIMD8<Float>.self)
            }
            var bp = UnsafeRawPointer(b + j)
            for p in 0..<k {
                let bv = bp.loadUnaligned(as: SIMD8<Float>.self)
                c0 = c0 + SIMD8(repeating: a0[p]) * bv
                c1 = c1 + SIMD8(repeating: a1[p]) * bv
                c2 = c2 + SIMD8(repeating: a2[p]) * bv
                c3 = c3 + SIMD8(repeating: a3[p]) * bv
                bp += ldb * 4
            }
            UnsafeMutableRawPointer(c + j).storeBytes(of: c0, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(c + ldc + j).storeBytes(of: c1, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(c + 2 * ldc + j).storeBytes(of: c2, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(c + 3 * ldc + j).storeBytes(of: c3, as: SIMD8<Float>.self)
            j += 8
        }
        if j < n {
            scalar(m: 4, n: n - j, k: k, a: a, lda: lda, b: b + j, ldb: ldb, c: c + j, ldc: ldc, accumulate: accumulate)
        }
    }

    /// One row of C (a vector–matrix product), 32 then 8 columns at a time.
    @inline(__always) private static func row1(n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int,
                                               c: UnsafeMutablePointer<Float>, accumulate: Bool) {
        var j = 0
        while j + 32 <= n {
            var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>(), c3 = SIMD8<Float>()
            if accumulate {
                let cp = UnsafeRawPointer(c + j)
                c0 = cp.loadUnaligned(as: SIMD8<Float>.self)
                c1 = cp.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                c2 = cp.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
                c3 = cp.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
            }
            var bp = UnsafeRawPointer(b + j)
            for p in 0..<k {
                let av = SIMD8<Float>(repeating: a[p])
                c0 = c0 + av * bp.loadUnaligned(as: SIMD8<Float>.self)
                c1 = c1 + av * bp.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                c2 = c2 + av * bp.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
                c3 = c3 + av * bp.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
                bp += ldb * 4
            }
            let cp = UnsafeMutableRawPointer(c + j)
            cp.storeBytes(of: c0, as: SIMD8<Float>.self)
            cp.storeBytes(of: c1, toByteOffset: 32, as: SIMD8<Float>.self)
            cp.storeBytes(of: c2, toByteOffset: 64, as: SIMD8<Float>.self)
            cp.storeBytes(of: c3, toByteOffset: 96, as: SIMD8<Float>.self)
            j += 32
        }
        while j + 8 <= n {
            var c0 = accumulate ? UnsafeRawPointer(c + j).loadUnaligned(as: SIMD8<Float>.self) : SIMD8<Float>()
            var bp = UnsafeRawPointer(b + j)
            for p in 0..<k {
                c0 = c0 + SIMD8(repeating: a[p]) * bp.loadUnaligned(as: SIMD8<Float>.self)
                bp += ldb * 4
            }
            UnsafeMutableRawPointer(c + j).storeBytes(of: c0, as: SIMD8<Float>.self)
            j += 8
        }
        if j < n { scalar(m: 1, n: n - j, k: k, a: a, lda: k, b: b + j, ldb: ldb, c: c + j, ldc: n, accumulate: accumulate) }
    }
}
