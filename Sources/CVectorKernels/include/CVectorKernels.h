// CVectorKernels: inner loops of TinifyRuntime's fast kernels with 256-bit AVX vectors, chosen at
// run time: the Winograd F(2×2, 3×3) and F(4×4, 3×3) transforms (see Winograd.swift and
// WinogradF4.swift for the matrices and the tile layouts), the stride-2 gather, GDN's elementwise
// steps and a kernel's last bias-activation-store. Each function does the same binary32 operations
// in the same order as the Swift loop it replaces, so the results are the same bits.
#ifndef CVECTORKERNELS_H
#define CVECTORKERNELS_H

/// 1 when the AVX loops run: the CPU has AVX and `TINIFY_NO_AVX=1` is not set in the environment
/// when first asked. Every function here (and CDeterministic's product) returns 0 without writing
/// otherwise — "when the CPU has no AVX" below means this — and its caller runs its Swift loop,
/// which gives the same bits; the switch is how a test runs those loops on a CPU that has AVX.
int tinify_avx_loops(void);

/// Bᵀ over the columns of six transformed rows: row `r` of `rows` (each `wp` floats apart) gives,
/// for tiles 0..<tw, the six values of tile b at columns 4b…4b+5; value (r, c) of tile b is
/// stored at `out[(r·6 + c)·stride + b]`. Returns 0 without writing when the CPU has no AVX (the
/// caller runs its own loop, which does the same operations in the same order), 1 when done.
int tinify_f4_input_columns(const float *rows, long wp, long tw, float *out, long stride);

/// Bᵀ over six input rows r0…r5 (w floats each): rows[k·wp + 1 + c] = row k of Bᵀ·d at column c.
/// Returns 0 without writing when the CPU has no AVX.
int tinify_f4_input_rows(const float *r0, const float *r1, const float *r2, const float *r3, const float *r4,
                         const float *r5, long w, float *rows, long wp);

/// Aᵀ M A for tiles 0..<tw of one tile row of one channel: element k (0…35) of tile b is at
/// `m[k·stride + b]`; writes the 4×4 outputs as four rows of 4·tw floats at `y` (row r at
/// `y + r·4·tw`, tile b at columns 4b…4b+3). Returns 0 without writing when the CPU has no AVX.
int tinify_f4_output_rows(const float *m, long stride, long tw, float *y);

/// U = G·g·Gᵀ for filters lo..<hi (each nine floats at `w + 9·filter`), in double, each of its 36
/// values rounded once to float and stored at `u[(r·6 + c)·plane + filter]`. Returns 0 without
/// writing when the CPU has no AVX.
int tinify_f4_filter_transform(const float *w, long lo, long hi, float *u, long plane);

/// GDN's elementwise steps: `sq[j] = x[j]·x[j]` for j < n. Returns 0 without writing when the CPU
/// has no AVX.
int tinify_gdn_square(const float *x, float *sq, long n);

/// `out[j] = x[j]·sqrt(norm[j] + beta)` (inverse) or `x[j]·(1 / sqrt(norm[j] + beta))`, each
/// operation correctly rounded (the same bits at any vector width); `out` may be `x`. Returns 0
/// without writing when the CPU has no AVX.
int tinify_gdn_combine(const float *x, const float *norm, float beta, int inverse, float *out, long n);

/// F(2×2, 3×3)'s U = G·g·Gᵀ for filters lo..<hi (each nine floats at `w + 9·filter`), in double,
/// each of its 16 values rounded once to float and stored at `u[(r·4 + c)·plane + filter]`.
/// Returns 0 without writing when the CPU has no AVX.
int tinify_f2_filter_transform(const float *w, long lo, long hi, float *u, long plane);

/// F(2×2)'s Bᵀ over four input rows r0…r3 (w floats each): rows[k·wp + 1 + c] = row k of Bᵀ·d at
/// column c (r0 − r2, r1 + r2, r2 − r1, r1 − r3). Returns 0 without writing when the CPU has no AVX.
int tinify_f2_input_rows(const float *r0, const float *r1, const float *r2, const float *r3, long w, float *rows, long wp);

/// F(2×2)'s Bᵀ over the columns of four transformed rows (`wp` floats apart): value (r, c) of tile
/// b (columns 2b…2b+3) is stored at `out[(r·4 + c)·stride + b]`, b < tw. Returns 0 without
/// writing when the CPU has no AVX.
int tinify_f2_input_columns(const float *rows, long wp, long tw, float *out, long stride);

/// F(2×2)'s Aᵀ M A for tiles 0..<tw of one tile row of one channel: element k (0…15) of tile b is
/// at `m[k·stride + b]`; writes the 2×2 outputs as two rows of 2·tw floats at `y0` and `y1`.
/// Returns 0 without writing when the CPU has no AVX.
int tinify_f2_output_rows(const float *m, long stride, long tw, float *y0, float *y1);

/// `dst[c] = src[2c]` for c < n, reading no element at or past `src + limit`. Returns 0 without
/// writing when the CPU has no AVX.
int tinify_gather_even(const float *src, long limit, float *dst, long n);

/// `dst[j·step] = act(src[j] + bias)` for j < n (step 1 or 2; act 0 = none, 1 = ReLU with NaN
/// kept, 2 = LeakyReLU(0.01)), as Activation.apply computes it. With step 2 the elements between
/// are read and written back unchanged, never past `dst + limit`. Returns 0 without writing when
/// the CPU has no AVX or `step` is neither 1 nor 2.
int tinify_bias_act_store(const float *src, long n, float bias, int act, float *dst, long step, long limit);

#endif
