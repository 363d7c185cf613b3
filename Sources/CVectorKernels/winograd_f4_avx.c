// CVectorKernels: WinogradF4's transforms with 256-bit AVX vectors, chosen at run time. Every value is
// the same sequence of binary32 operations as in the Swift loops (WinogradF4.bt / .at): the same
// products and sums in the same order, each rounded; contraction into FMA is off for this file
// and the AVX target has no FMA instructions. Lanes run over tiles only, so the outputs are the
// same bits as the Swift version's.
#pragma clang fp contract(off)
#include "CVectorKernels.h"
#include "cpu.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

AVX static inline __m256 mul(float s, __m256 x) { return _mm256_mul_ps(_mm256_set1_ps(s), x); }
AVX static inline __m256 add(__m256 a, __m256 b) { return _mm256_add_ps(a, b); }
AVX static inline __m256 sub(__m256 a, __m256 b) { return _mm256_sub_ps(a, b); }

/// Bᵀ applied to six vectors (WinogradF4.bt).
AVX static inline void bt(__m256 x0, __m256 x1, __m256 x2, __m256 x3, __m256 x4, __m256 x5, __m256 o[6]) {
    __m256 h1 = mul(0.5f, x1), h2 = mul(0.5f, x2), h3 = mul(0.5f, x3);
    o[0] = add(add(sub(sub(x0, mul(3, h1)), mul(2, x2)), mul(3, h3)), x4);
    o[1] = add(add(sub(x1, mul(5, h2)), h3), x4);
    o[2] = add(add(sub(h2, x1), mul(5, h3)), x4);
    o[3] = add(sub(mul(2, sub(x3, x1)), x2), x4);
    o[4] = add(sub(sub(h1, h3), x2), x4);
    o[5] = add(add(sub(sub(x1, mul(3, h2)), mul(2, x3)), mul(3, mul(0.5f, x4))), x5);
}

/// Aᵀ applied to six vectors (WinogradF4.at).
AVX static inline void at(__m256 m0, __m256 m1, __m256 m2, __m256 m3, __m256 m4, __m256 m5, __m256 y[4]) {
    __m256 p = add(m2, m1), q = sub(m2, m1);
    y[0] = add(add(add(m0, p), m3), m4);
    y[1] = sub(add(q, mul(0.5f, m3)), mul(2, m4));
    y[2] = add(add(p, mul(0.25f, m3)), mul(4, m4));
    y[3] = add(sub(add(q, mul(0.125f, m3)), mul(8, m4)), m5);
}

/// Four consecutive floats of tiles b…b+7 (at p + 4b): lane j of out[i] is p[4(b+j) + i].
AVX static inline void gather4(const float *p, __m256 out[4]) {
    // Tiles b and b+4, b+1 and b+5, … in the two 128-bit halves; a 4×4 transpose within each half.
    __m256 t0 = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(p)), _mm_loadu_ps(p + 16), 1);
    __m256 t1 = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(p + 4)), _mm_loadu_ps(p + 20), 1);
    __m256 t2 = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(p + 8)), _mm_loadu_ps(p + 24), 1);
    __m256 t3 = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(p + 12)), _mm_loadu_ps(p + 28), 1);
    __m256 u0 = _mm256_unpacklo_ps(t0, t1), u1 = _mm256_unpackhi_ps(t0, t1);
    __m256 u2 = _mm256_unpacklo_ps(t2, t3), u3 = _mm256_unpackhi_ps(t2, t3);
    out[0] = _mm256_shuffle_ps(u0, u2, _MM_SHUFFLE(1, 0, 1, 0));
    out[1] = _mm256_shuffle_ps(u0, u2, _MM_SHUFFLE(3, 2, 3, 2));
    out[2] = _mm256_shuffle_ps(u1, u3, _MM_SHUFFLE(1, 0, 1, 0));
    out[3] = _mm256_shuffle_ps(u1, u3, _MM_SHUFFLE(3, 2, 3, 2));
}

/// The inverse of gather4: p[4(b+j) + i] = lane j of v[i].
AVX static inline void scatter4(float *p, const __m256 v[4]) {
    __m256 u0 = _mm256_unpacklo_ps(v[0], v[1]), u1 = _mm256_unpackhi_ps(v[0], v[1]);
    __m256 u2 = _mm256_unpacklo_ps(v[2], v[3]), u3 = _mm256_unpackhi_ps(v[2], v[3]);
    __m256 t0 = _mm256_shuffle_ps(u0, u2, _MM_SHUFFLE(1, 0, 1, 0));
    __m256 t1 = _mm256_shuffle_ps(u0, u2, _MM_SHUFFLE(3, 2, 3, 2));
    __m256 t2 = _mm256_shuffle_ps(u1, u3, _MM_SHUFFLE(1, 0, 1, 0));
    __m256 t3 = _mm256_shuffle_ps(u1, u3, _MM_SHUFFLE(3, 2, 3, 2));
    // t_k holds tile b+k in its low half and tile b+4+k in its high half.
    _mm_storeu_ps(p, _mm256_castps256_ps128(t0));
    _mm_storeu_ps(p + 4, _mm256_castps256_ps128(t1));
    _mm_storeu_ps(p + 8, _mm256_castps256_ps128(t2));
    _mm_storeu_ps(p + 12, _mm256_castps256_ps128(t3));
    _mm_storeu_ps(p + 16, _mm256_extractf128_ps(t0, 1));
    _mm_storeu_ps(p + 20, _mm256_extractf128_ps(t1, 1));
    _mm_storeu_ps(p + 24, _mm256_extractf128_ps(t2, 1));
    _mm_storeu_ps(p + 28, _mm256_extractf128_ps(t3, 1));
}

static inline void bt1(float x0, float x1, float x2, float x3, float x4, float x5, float o[6]) {
    float h1 = 0.5f * x1, h2 = 0.5f * x2, h3 = 0.5f * x3;
    o[0] = x0 - 3 * h1 - 2 * x2 + 3 * h3 + x4;
    o[1] = x1 - 5 * h2 + h3 + x4;
    o[2] = h2 - x1 + 5 * h3 + x4;
    o[3] = 2 * (x3 - x1) - x2 + x4;
    o[4] = (h1 - h3) - x2 + x4;
    o[5] = x1 - 3 * h2 - 2 * x3 + 3 * (0.5f * x4) + x5;
}

static inline void at1(float m0, float m1, float m2, float m3, float m4, float m5, float y[4]) {
    float p = m2 + m1, q = m2 - m1;
    y[0] = m0 + p + m3 + m4;
    y[1] = q + 0.5f * m3 - 2 * m4;
    y[2] = p + 0.25f * m3 + 4 * m4;
    y[3] = q + 0.125f * m3 - 8 * m4 + m5;
}

AVX static void input_rows(const float *r0, const float *r1, const float *r2, const float *r3, const float *r4,
                            const float *r5, long w, float *rows, long wp) {
    float *t = rows + 1;
    long c = 0;
    for (; c + 8 <= w; c += 8) {
        __m256 o[6];
        bt(_mm256_loadu_ps(r0 + c), _mm256_loadu_ps(r1 + c), _mm256_loadu_ps(r2 + c), _mm256_loadu_ps(r3 + c),
           _mm256_loadu_ps(r4 + c), _mm256_loadu_ps(r5 + c), o);
        for (int k = 0; k < 6; k++) _mm256_storeu_ps(t + k * wp + c, o[k]);
    }
    for (; c < w; c++) {
        float o[6];
        bt1(r0[c], r1[c], r2[c], r3[c], r4[c], r5[c], o);
        for (int k = 0; k < 6; k++) t[k * wp + c] = o[k];
    }
}

AVX static void input_columns(const float *rows, long wp, long tw, float *out, long stride) {
    for (long r = 0; r < 6; r++) {
        const float *tr = rows + r * wp;
        float *d = out + r * 6 * stride;
        long b = 0;
        // Eight tiles at a time: columns 4b…4b+31 and 4b+4…4b+35.
        for (; b + 8 <= tw && 4 * b + 36 <= wp; b += 8) {
            __m256 lo[4], hi[4], o[6];
            gather4(tr + 4 * b, lo);
            gather4(tr + 4 * b + 4, hi);
            bt(lo[0], lo[1], lo[2], lo[3], hi[0], hi[1], o);
            for (int c = 0; c < 6; c++) _mm256_storeu_ps(d + c * stride + b, o[c]);
        }
        for (; b < tw; b++) {
            const float *c = tr + 4 * b;
            float o[6];
            bt1(c[0], c[1], c[2], c[3], c[4], c[5], o);
            for (int k = 0; k < 6; k++) d[k * stride + b] = o[k];
        }
    }
}

AVX static void output_rows(const float *m, long stride, long tw, float *y) {
    long b = 0;
    for (; b + 8 <= tw; b += 8) {
        const float *mb = m + b;
        __m256 r[6][4];
        for (int c = 0; c < 6; c++) {
            at(_mm256_loadu_ps(mb + c * stride), _mm256_loadu_ps(mb + (6 + c) * stride),
               _mm256_loadu_ps(mb + (12 + c) * stride), _mm256_loadu_ps(mb + (18 + c) * stride),
               _mm256_loadu_ps(mb + (24 + c) * stride), _mm256_loadu_ps(mb + (30 + c) * stride), r[c]);
        }
        for (int j = 0; j < 4; j++) {
            __m256 yj[4];
            at(r[0][j], r[1][j], r[2][j], r[3][j], r[4][j], r[5][j], yj);
            scatter4(y + j * 4 * tw + 4 * b, yj);
        }
    }
    for (; b < tw; b++) {
        const float *mb = m + b;
        float r[6][4];
        for (int c = 0; c < 6; c++) {
            at1(mb[c * stride], mb[(6 + c) * stride], mb[(12 + c) * stride], mb[(18 + c) * stride],
                mb[(24 + c) * stride], mb[(30 + c) * stride], r[c]);
        }
        for (int j = 0; j < 4; j++) {
            float yj[4];
            at1(r[0][j], r[1][j], r[2][j], r[3][j], r[4][j], r[5][j], yj);
            float *row = y + j * 4 * tw + 4 * b;
            row[0] = yj[0]; row[1] = yj[1]; row[2] = yj[2]; row[3] = yj[3];
        }
    }
}

/// G's rows (Toom-Cook on 0, −1, 1, ½, −2, ∞), as WinogradF4.init has them.
static const double G[6][3] = {
    {1, 0, 0}, {-1.0 / 3, 1.0 / 3, -1.0 / 3}, {1.0 / 3, 1.0 / 3, 1.0 / 3},
    {-16.0 / 15, -8.0 / 15, -4.0 / 15}, {1.0 / 15, -2.0 / 15, 4.0 / 15}, {0, 0, 1},
};

/// Filters f…f+3 in the four lanes: t = G·w (products and sums in WinogradF4.init's order), then
/// U[r][c] = Σ_j t[r][j]·G[c][j], rounded to float.
AVX static void filter4(const float *w, long f, float *u, long plane) {
    __m256d x[9];
    for (int k = 0; k < 9; k++) {
        x[k] = _mm256_set_pd(w[(f + 3) * 9 + k], w[(f + 2) * 9 + k], w[(f + 1) * 9 + k], w[f * 9 + k]);
    }
    __m256d t[6][3];
    for (int r = 0; r < 6; r++) {
        for (int c = 0; c < 3; c++) {
            __m256d s = _mm256_add_pd(_mm256_mul_pd(_mm256_set1_pd(G[r][0]), x[c]), _mm256_mul_pd(_mm256_set1_pd(G[r][1]), x[3 + c]));
            t[r][c] = _mm256_add_pd(s, _mm256_mul_pd(_mm256_set1_pd(G[r][2]), x[6 + c]));
        }
    }
    for (int r = 0; r < 6; r++) {
        for (int c = 0; c < 6; c++) {
            __m256d s = _mm256_add_pd(_mm256_mul_pd(t[r][0], _mm256_set1_pd(G[c][0])), _mm256_mul_pd(t[r][1], _mm256_set1_pd(G[c][1])));
            s = _mm256_add_pd(s, _mm256_mul_pd(t[r][2], _mm256_set1_pd(G[c][2])));
            _mm_storeu_ps(u + (r * 6 + c) * plane + f, _mm256_cvtpd_ps(s));
        }
    }
}

static void filter1(const float *w, long f, float *u, long plane) {
    const float *x = w + f * 9;
    double t[6][3];
    for (int r = 0; r < 6; r++) {
        for (int c = 0; c < 3; c++) t[r][c] = G[r][0] * (double)x[c] + G[r][1] * (double)x[3 + c] + G[r][2] * (double)x[6 + c];
    }
    for (int r = 0; r < 6; r++) {
        for (int c = 0; c < 6; c++) u[(r * 6 + c) * plane + f] = (float)(t[r][0] * G[c][0] + t[r][1] * G[c][1] + t[r][2] * G[c][2]);
    }
}

int tinify_f4_filter_transform(const float *w, long lo, long hi, float *u, long plane) {
    if (!tinify_avx_loops()) return 0;
    long f = lo;
    for (; f + 4 <= hi; f += 4) filter4(w, f, u, plane);
    for (; f < hi; f++) filter1(w, f, u, plane);
    return 1;
}

int tinify_f4_input_rows(const float *r0, const float *r1, const float *r2, const float *r3, const float *r4,
                         const float *r5, long w, float *rows, long wp) {
    if (!tinify_avx_loops()) return 0;
    input_rows(r0, r1, r2, r3, r4, r5, w, rows, wp);
    return 1;
}

int tinify_f4_input_columns(const float *rows, long wp, long tw, float *out, long stride) {
    if (!tinify_avx_loops()) return 0;
    input_columns(rows, wp, tw, out, stride);
    return 1;
}

int tinify_f4_output_rows(const float *m, long stride, long tw, float *y) {
    if (!tinify_avx_loops()) return 0;
    output_rows(m, stride, tw, y);
    return 1;
}

#else

// Not an x86 CPU: the Swift loops run (same bits).
int tinify_f4_input_rows(const float *r0, const float *r1, const float *r2, const float *r3, const float *r4,
                         const float *r5, long w, float *rows, long wp) {
    (void)r0; (void)r1; (void)r2; (void)r3; (void)r4; (void)r5; (void)w; (void)rows; (void)wp;
    return 0;
}

int tinify_f4_input_columns(const float *rows, long wp, long tw, float *out, long stride) {
    (void)rows; (void)wp; (void)tw; (void)out; (void)stride;
    return 0;
}

int tinify_f4_output_rows(const float *m, long stride, long tw, float *y) {
    (void)m; (void)stride; (void)tw; (void)y;
    return 0;
}

int tinify_f4_filter_transform(const float *w, long lo, long hi, float *u, long plane) {
    (void)w; (void)lo; (void)hi; (void)u; (void)plane;
    return 0;
}

#endif
