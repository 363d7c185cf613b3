// CVectorKernels: GDN's elementwise steps with 256-bit AVX vectors, chosen at run time. Squares,
// sums, square roots and divisions are each correctly rounded in IEEE-754 binary32 whatever the
// vector width, so the results are the same bits as GDN.swift's loops (also on the deterministic
// kernels). Contraction into FMA is off for this file.
#pragma clang fp contract(off)
#include "CVectorKernels.h"
#include "cpu.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

AVX static void square(const float *x, float *sq, long n) {
    long j = 0;
    for (; j + 8 <= n; j += 8) { __m256 v = _mm256_loadu_ps(x + j); _mm256_storeu_ps(sq + j, _mm256_mul_ps(v, v)); }
    for (; j < n; j++) sq[j] = x[j] * x[j];
}

AVX static void combine(const float *x, const float *norm, float beta, int inverse, float *out, long n) {
    long j = 0;
    __m256 b = _mm256_set1_ps(beta), one = _mm256_set1_ps(1);
    if (inverse) {
        for (; j + 8 <= n; j += 8) {
            __m256 nv = _mm256_sqrt_ps(_mm256_add_ps(_mm256_loadu_ps(norm + j), b));
            _mm256_storeu_ps(out + j, _mm256_mul_ps(_mm256_loadu_ps(x + j), nv));
        }
    } else {
        for (; j + 8 <= n; j += 8) {
            __m256 nv = _mm256_sqrt_ps(_mm256_add_ps(_mm256_loadu_ps(norm + j), b));
            _mm256_storeu_ps(out + j, _mm256_mul_ps(_mm256_loadu_ps(x + j), _mm256_div_ps(one, nv)));
        }
    }
    for (; j < n; j++) {
        float nv = __builtin_sqrtf(norm[j] + beta);
        out[j] = inverse ? x[j] * nv : x[j] * (1 / nv);
    }
}

int tinify_gdn_square(const float *x, float *sq, long n) {
    if (!tinify_avx_loops()) return 0;
    square(x, sq, n);
    return 1;
}

int tinify_gdn_combine(const float *x, const float *norm, float beta, int inverse, float *out, long n) {
    if (!tinify_avx_loops()) return 0;
    combine(x, norm, beta, inverse, out, n);
    return 1;
}

#else

// Not an x86 CPU: the Swift loops run (same bits).
int tinify_gdn_square(const float *x, float *sq, long n) {
    (void)x; (void)sq; (void)n;
    return 0;
}

int tinify_gdn_combine(const float *x, const float *norm, float beta, int inverse, float *out, long n) {
    (void)x; (void)norm; (void)beta; (void)inverse; (void)out; (void)n;
    return 0;
}

#endif
