// CVectorKernels: Winograd3x3's F(2×2, 3×3) transforms and the space-to-depth gather with 256-bit
// AVX vectors, chosen at run time. Every value is the same sequence of binary32 (or, for the
// filter transform, binary64) operations as in Winograd.swift's loops, in the same order, each
// rounded; contraction into FMA is off for this file. Lanes run over tiles (or filters) only, so
// the outputs are the same bits as the Swift version's.
#pragma clang fp contract(off)
#include "CVectorKernels.h"
#include "cpu.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

/// Filters f…f+3 in the four lanes: t = G·g (rows a, ½(a+b+d), ½(a−b+d), d of each column), then
/// the same combination of each row of t, rounded to float.
AVX static void f2_filter4(const float *w, long f, float *u, long plane) {
    __m256d half = _mm256_set1_pd(0.5);
    __m256d t[4][3];
    for (int c = 0; c < 3; c++) {
        __m256d a = _mm256_set_pd(w[(f + 3) * 9 + c], w[(f + 2) * 9 + c], w[(f + 1) * 9 + c], w[f * 9 + c]);
        __m256d b = _mm256_set_pd(w[(f + 3) * 9 + 3 + c], w[(f + 2) * 9 + 3 + c], w[(f + 1) * 9 + 3 + c], w[f * 9 + 3 + c]);
        __m256d d = _mm256_set_pd(w[(f + 3) * 9 + 6 + c], w[(f + 2) * 9 + 6 + c], w[(f + 1) * 9 + 6 + c], w[f * 9 + 6 + c]);
        t[0][c] = a;
        t[1][c] = _mm256_mul_pd(half, _mm256_add_pd(_mm256_add_pd(a, b), d));
        t[2][c] = _mm256_mul_pd(half, _mm256_add_pd(_mm256_sub_pd(a, b), d));
        t[3][c] = d;
    }
    for (int r = 0; r < 4; r++) {
        __m256d a = t[r][0], b = t[r][1], d = t[r][2];
        _mm_storeu_ps(u + (r * 4) * plane + f, _mm256_cvtpd_ps(a));
        _mm_storeu_ps(u + (r * 4 + 1) * plane + f, _mm256_cvtpd_ps(_mm256_mul_pd(half, _mm256_add_pd(_mm256_add_pd(a, b), d))));
        _mm_storeu_ps(u + (r * 4 + 2) * plane + f, _mm256_cvtpd_ps(_mm256_mul_pd(half, _mm256_add_pd(_mm256_sub_pd(a, b), d))));
        _mm_storeu_ps(u + (r * 4 + 3) * plane + f, _mm256_cvtpd_ps(d));
    }
}

static void f2_filter1(const float *w, long f, float *u, long plane) {
    const float *g = w + f * 9;
    double t[4][3];
    for (int c = 0; c < 3; c++) {
        double a = g[c], b = g[3 + c], d = g[6 + c];
        t[0][c] = a; t[1][c] = 0.5 * (a + b + d); t[2][c] = 0.5 * (a - b + d); t[3][c] = d;
    }
    for (int r = 0; r < 4; r++) {
        double a = t[r][0], b = t[r][1], d = t[r][2];
        u[(r * 4) * plane + f] = (float)a;
        u[(r * 4 + 1) * plane + f] = (float)(0.5 * (a + b + d));
        u[(r * 4 + 2) * plane + f] = (float)(0.5 * (a - b + d));
        u[(r * 4 + 3) * plane + f] = (float)d;
    }
}

/// Even and odd elements of p[0…15]: lane j of *even is p[2j], of *odd p[2j + 1].
AVX static inline void deinterleave(const float *p, __m256 *even, __m256 *odd) {
    __m256 a = _mm256_loadu_ps(p), b = _mm256_loadu_ps(p + 8);
    __m256 lo = _mm256_permute2f128_ps(a, b, 0x20), hi = _mm256_permute2f128_ps(a, b, 0x31);
    *even = _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(2, 0, 2, 0));
    *odd = _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(3, 1, 3, 1));
}

/// (a0, b0, a1, b1, …) stored at p (16 floats).
AVX static inline void interleave_store(float *p, __m256 a, __m256 b) {
    __m256 lo = _mm256_unpacklo_ps(a, b), hi = _mm256_unpackhi_ps(a, b);
    _mm256_storeu_ps(p, _mm256_permute2f128_ps(lo, hi, 0x20));
    _mm256_storeu_ps(p + 8, _mm256_permute2f128_ps(lo, hi, 0x31));
}

AVX static void f2_input_rows(const float *r0, const float *r1, const float *r2, const float *r3, long w, float *rows, long wp) {
    float *u0 = rows + 1, *u1 = rows + wp + 1, *u2 = rows + 2 * wp + 1, *u3 = rows + 3 * wp + 1;
    long c = 0;
    for (; c + 8 <= w; c += 8) {
        __m256 x0 = _mm256_loadu_ps(r0 + c), x1 = _mm256_loadu_ps(r1 + c), x2 = _mm256_loadu_ps(r2 + c), x3 = _mm256_loadu_ps(r3 + c);
        _mm256_storeu_ps(u0 + c, _mm256_sub_ps(x0, x2));
        _mm256_storeu_ps(u1 + c, _mm256_add_ps(x1, x2));
        _mm256_storeu_ps(u2 + c, _mm256_sub_ps(x2, x1));
        _mm256_storeu_ps(u3 + c, _mm256_sub_ps(x1, x3));
    }
    for (; c < w; c++) {
        u0[c] = r0[c] - r2[c]; u1[c] = r1[c] + r2[c]; u2[c] = r2[c] - r1[c]; u3[c] = r1[c] - r3[c];
    }
}

AVX static void f2_input_columns(const float *rows, long wp, long tw, float *out, long stride) {
    for (long r = 0; r < 4; r++) {
        const float *tr = rows + r * wp;
        float *d = out + r * 4 * stride;
        long b = 0;
        // Eight tiles at a time: columns 2b…2b+15 and 2b+2…2b+17.
        for (; b + 8 <= tw && 2 * b + 18 <= wp; b += 8) {
            __m256 x0, x1, x2, x3;
            deinterleave(tr + 2 * b, &x0, &x1);
            deinterleave(tr + 2 * b + 2, &x2, &x3);
            _mm256_storeu_ps(d + b, _mm256_sub_ps(x0, x2));
            _mm256_storeu_ps(d + stride + b, _mm256_add_ps(x1, x2));
            _mm256_storeu_ps(d + 2 * stride + b, _mm256_sub_ps(x2, x1));
            _mm256_storeu_ps(d + 3 * stride + b, _mm256_sub_ps(x1, x3));
        }
        for (; b < tw; b++) {
            const float *c = tr + 2 * b;
            float x0 = c[0], x1 = c[1], x2 = c[2], x3 = c[3];
            d[b] = x0 - x2; d[stride + b] = x1 + x2; d[2 * stride + b] = x2 - x1; d[3 * stride + b] = x1 - x3;
        }
    }
}

AVX static void f2_output_rows(const float *m, long stride, long tw, float *y0, float *y1) {
    long b = 0;
#define LD(k) _mm256_loadu_ps(m + (k) * stride + b)
    for (; b + 8 <= tw; b += 8) {
        __m256 s0 = _mm256_add_ps(_mm256_add_ps(LD(0), LD(4)), LD(8)), s1 = _mm256_add_ps(_mm256_add_ps(LD(1), LD(5)), LD(9));
        __m256 s2 = _mm256_add_ps(_mm256_add_ps(LD(2), LD(6)), LD(10)), s3 = _mm256_add_ps(_mm256_add_ps(LD(3), LD(7)), LD(11));
        __m256 e0 = _mm256_sub_ps(_mm256_sub_ps(LD(4), LD(8)), LD(12)), e1 = _mm256_sub_ps(_mm256_sub_ps(LD(5), LD(9)), LD(13));
        __m256 e2 = _mm256_sub_ps(_mm256_sub_ps(LD(6), LD(10)), LD(14)), e3 = _mm256_sub_ps(_mm256_sub_ps(LD(7), LD(11)), LD(15));
        interleave_store(y0 + 2 * b, _mm256_add_ps(_mm256_add_ps(s0, s1), s2), _mm256_sub_ps(_mm256_sub_ps(s1, s2), s3));
        interleave_store(y1 + 2 * b, _mm256_add_ps(_mm256_add_ps(e0, e1), e2), _mm256_sub_ps(_mm256_sub_ps(e1, e2), e3));
    }
#undef LD
    for (; b < tw; b++) {
        const float *p = m + b;
#define M(k) p[(k) * stride]
        float s0 = M(0) + M(4) + M(8), s1 = M(1) + M(5) + M(9), s2 = M(2) + M(6) + M(10), s3 = M(3) + M(7) + M(11);
        float e0 = M(4) - M(8) - M(12), e1 = M(5) - M(9) - M(13), e2 = M(6) - M(10) - M(14), e3 = M(7) - M(11) - M(15);
#undef M
        y0[2 * b] = s0 + s1 + s2; y0[2 * b + 1] = s1 - s2 - s3;
        y1[2 * b] = e0 + e1 + e2; y1[2 * b + 1] = e1 - e2 - e3;
    }
}

AVX static void gather_even(const float *src, long limit, float *dst, long n) {
    long c = 0;
    for (; c + 8 <= n && 2 * c + 16 <= limit; c += 8) {
        __m256 even, odd;
        deinterleave(src + 2 * c, &even, &odd);
        _mm256_storeu_ps(dst + c, even);
    }
    for (; c < n; c++) dst[c] = src[2 * c];
}

int tinify_f2_filter_transform(const float *w, long lo, long hi, float *u, long plane) {
    if (!tinify_avx_loops()) return 0;
    long f = lo;
    for (; f + 4 <= hi; f += 4) f2_filter4(w, f, u, plane);
    for (; f < hi; f++) f2_filter1(w, f, u, plane);
    return 1;
}

int tinify_f2_input_rows(const float *r0, const float *r1, const float *r2, const float *r3, long w, float *rows, long wp) {
    if (!tinify_avx_loops()) return 0;
    f2_input_rows(r0, r1, r2, r3, w, rows, wp);
    return 1;
}

int tinify_f2_input_columns(const float *rows, long wp, long tw, float *out, long stride) {
    if (!tinify_avx_loops()) return 0;
    f2_input_columns(rows, wp, tw, out, stride);
    return 1;
}

int tinify_f2_output_rows(const float *m, long stride, long tw, float *y0, float *y1) {
    if (!tinify_avx_loops()) return 0;
    f2_output_rows(m, stride, tw, y0, y1);
    return 1;
}

int tinify_gather_even(const float *src, long limit, float *dst, long n) {
    if (!tinify_avx_loops()) return 0;
    gather_even(src, limit, dst, n);
    return 1;
}

#else

// Not an x86 CPU: the Swift loops run (same bits).
int tinify_f2_filter_transform(const float *w, long lo, long hi, float *u, long plane) {
    (void)w; (void)lo; (void)hi; (void)u; (void)plane;
    return 0;
}
int tinify_f2_input_rows(const float *r0, const float *r1, const float *r2, const float *r3, long w, float *rows, long wp) {
    (void)r0; (void)r1; (void)r2; (void)r3; (void)w; (void)rows; (void)wp;
    return 0;
}
int tinify_f2_input_columns(const float *rows, long wp, long tw, float *out, long stride) {
    (void)rows; (void)wp; (void)tw; (void)out; (void)stride;
    return 0;
}
int tinify_f2_output_rows(const float *m, long stride, long tw, float *y0, float *y1) {
    (void)m; (void)stride; (void)tw; (void)y0; (void)y1;
    return 0;
}
int tinify_gather_even(const float *src, long limit, float *dst, long n) {
    (void)src; (void)limit; (void)dst; (void)n;
    return 0;
}

#endif
