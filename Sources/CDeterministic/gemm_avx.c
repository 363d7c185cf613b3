// CDeterministic: DeterministicGemm's product with 256-bit AVX vectors, chosen at run time.
// Every output element is the same sequence of binary32 operations as in the Swift vector and
// scalar versions: acc = 0 (or C), then acc = acc + A[i, p] · B[p, j] for p in order, each
// product and each sum rounded. Lanes run over j only. Contraction into FMA is switched off
// for this file, and the AVX target does not include FMA instructions.
#pragma clang fp contract(off)
#include "CDeterministic.h"
#include "CVectorKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define AVX __attribute__((target("avx")))

AVX static inline __m256 start(const float *c, int accumulate) {
    return accumulate ? _mm256_loadu_ps(c) : _mm256_setzero_ps();
}

AVX static inline __m256 step(__m256 acc, __m256 a, __m256 b) {
    return _mm256_add_ps(acc, _mm256_mul_ps(a, b));
}

/// Lanes 0..<r on (1 ≤ r ≤ 7): the columns left over at the right edge, run in a vector whose
/// other lanes are neither read nor written (each element's sum is the same either way).
AVX static inline __m256i lanes(long r) {
    return _mm256_setr_epi32(0 < r ? -1 : 0, 1 < r ? -1 : 0, 2 < r ? -1 : 0, 3 < r ? -1 : 0,
                             4 < r ? -1 : 0, 5 < r ? -1 : 0, 6 < r ? -1 : 0, 7 < r ? -1 : 0);
}

AVX static inline __m256 start_masked(const float *c, __m256i mask, int accumulate) {
    return accumulate ? _mm256_maskload_ps(c, mask) : _mm256_setzero_ps();
}

AVX static void rows4(long n, long k, const float *a, long lda, const float *b, long ldb, float *c, long ldc, int acc) {
    const float *a0 = a, *a1 = a + lda, *a2 = a + 2 * lda, *a3 = a + 3 * lda;
    float *c0 = c, *c1 = c + ldc, *c2 = c + 2 * ldc, *c3 = c + 3 * ldc;
    long j = 0;
    for (; j + 16 <= n; j += 16) {
        __m256 x00 = start(c0 + j, acc), x01 = start(c0 + j + 8, acc);
        __m256 x10 = start(c1 + j, acc), x11 = start(c1 + j + 8, acc);
        __m256 x20 = start(c2 + j, acc), x21 = start(c2 + j + 8, acc);
        __m256 x30 = start(c3 + j, acc), x31 = start(c3 + j + 8, acc);
        const float *bp = b + j;
        for (long p = 0; p < k; p++, bp += ldb) {
            __m256 b0 = _mm256_loadu_ps(bp), b1 = _mm256_loadu_ps(bp + 8);
            __m256 v = _mm256_broadcast_ss(a0 + p);
            x00 = step(x00, v, b0); x01 = step(x01, v, b1);
            v = _mm256_broadcast_ss(a1 + p);
            x10 = step(x10, v, b0); x11 = step(x11, v, b1);
            v = _mm256_broadcast_ss(a2 + p);
            x20 = step(x20, v, b0); x21 = step(x21, v, b1);
            v = _mm256_broadcast_ss(a3 + p);
            x30 = step(x30, v, b0); x31 = step(x31, v, b1);
        }
        _mm256_storeu_ps(c0 + j, x00); _mm256_storeu_ps(c0 + j + 8, x01);
        _mm256_storeu_ps(c1 + j, x10); _mm256_storeu_ps(c1 + j + 8, x11);
        _mm256_storeu_ps(c2 + j, x20); _mm256_storeu_ps(c2 + j + 8, x21);
        _mm256_storeu_ps(c3 + j, x30); _mm256_storeu_ps(c3 + j + 8, x31);
    }
    for (; j + 8 <= n; j += 8) {
        __m256 x0 = start(c0 + j, acc), x1 = start(c1 + j, acc), x2 = start(c2 + j, acc), x3 = start(c3 + j, acc);
        const float *bp = b + j;
        for (long p = 0; p < k; p++, bp += ldb) {
            __m256 b0 = _mm256_loadu_ps(bp);
            x0 = step(x0, _mm256_broadcast_ss(a0 + p), b0);
            x1 = step(x1, _mm256_broadcast_ss(a1 + p), b0);
            x2 = step(x2, _mm256_broadcast_ss(a2 + p), b0);
            x3 = step(x3, _mm256_broadcast_ss(a3 + p), b0);
        }
        _mm256_storeu_ps(c0 + j, x0); _mm256_storeu_ps(c1 + j, x1);
        _mm256_storeu_ps(c2 + j, x2); _mm256_storeu_ps(c3 + j, x3);
    }
    if (j < n) {
        __m256i mask = lanes(n - j);
        __m256 x0 = start_masked(c0 + j, mask, acc), x1 = start_masked(c1 + j, mask, acc);
        __m256 x2 = start_masked(c2 + j, mask, acc), x3 = start_masked(c3 + j, mask, acc);
        const float *bp = b + j;
        for (long p = 0; p < k; p++, bp += ldb) {
            __m256 b0 = _mm256_maskload_ps(bp, mask);
            x0 = step(x0, _mm256_broadcast_ss(a0 + p), b0);
            x1 = step(x1, _mm256_broadcast_ss(a1 + p), b0);
            x2 = step(x2, _mm256_broadcast_ss(a2 + p), b0);
            x3 = step(x3, _mm256_broadcast_ss(a3 + p), b0);
        }
        _mm256_maskstore_ps(c0 + j, mask, x0); _mm256_maskstore_ps(c1 + j, mask, x1);
        _mm256_maskstore_ps(c2 + j, mask, x2); _mm256_maskstore_ps(c3 + j, mask, x3);
    }
}

AVX static void row1(long n, long k, const float *a, const float *b, long ldb, float *c, int acc) {
    long j = 0;
    for (; j + 32 <= n; j += 32) {
        __m256 x0 = start(c + j, acc), x1 = start(c + j + 8, acc), x2 = start(c + j + 16, acc), x3 = start(c + j + 24, acc);
        const float *bp = b + j;
        for (long p = 0; p < k; p++, bp += ldb) {
            __m256 v = _mm256_broadcast_ss(a + p);
            x0 = step(x0, v, _mm256_loadu_ps(bp)); x1 = step(x1, v, _mm256_loadu_ps(bp + 8));
            x2 = step(x2, v, _mm256_loadu_ps(bp + 16)); x3 = step(x3, v, _mm256_loadu_ps(bp + 24));
        }
        _mm256_storeu_ps(c + j, x0); _mm256_storeu_ps(c + j + 8, x1);
        _mm256_storeu_ps(c + j + 16, x2); _mm256_storeu_ps(c + j + 24, x3);
    }
    for (; j + 8 <= n; j += 8) {
        __m256 x0 = start(c + j, acc);
        const float *bp = b + j;
        for (long p = 0; p < k; p++, bp += ldb) x0 = step(x0, _mm256_broadcast_ss(a + p), _mm256_loadu_ps(bp));
        _mm256_storeu_ps(c + j, x0);
    }
    if (j < n) {
        __m256i mask = lanes(n - j);
        __m256 x0 = start_masked(c + j, mask, acc);
        const float *bp = b + j;
        for (long p = 0; p < k; p++, bp += ldb) x0 = step(x0, _mm256_broadcast_ss(a + p), _mm256_maskload_ps(bp, mask));
        _mm256_maskstore_ps(c + j, mask, x0);
    }
}

int tinify_det_gemm_avx(long m, long n, long k, const float *a, long lda, const float *b, long ldb,
                        float *c, long ldc, int accumulate) {
    if (!tinify_avx_loops()) return 0;
    long i = 0;
    for (; i + 4 <= m; i += 4) rows4(n, k, a + i * lda, lda, b, ldb, c + i * ldc, ldc, accumulate);
    for (; i < m; i++) row1(n, k, a + i * lda, b, ldb, c + i * ldc, accumulate);
    return 1;
}

#else

// Not an x86 CPU: the Swift versions run (same bits).
int tinify_det_gemm_avx(long m, long n, long k, const float *a, long lda, const float *b, long ldb,
                        float *c, long ldc, int accumulate) {
    (void)m; (void)n; (void)k; (void)a; (void)lda; (void)b; (void)ldb; (void)c; (void)ldc; (void)accumulate;
    return 0;
}

#endif
