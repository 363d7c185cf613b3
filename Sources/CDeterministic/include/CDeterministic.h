// CDeterministic: the AVX version of TinifyRuntime's deterministic matrix product (see
// DeterministicGemm.swift for the order of operations it keeps).
#ifndef CDETERMINISTIC_H
#define CDETERMINISTIC_H

/// C (m × n, ldc) = A (m × k, lda) · B (k × n, ldb), row-major, each element summed in order of
/// p from zero (from C's value when `accumulate`), products and sums rounded separately, vector
/// lanes over columns. Returns 0 without touching C when the CPU has no AVX (the caller then
/// runs its own version of the same sums), 1 when done.
int tinify_det_gemm_avx(long m, long n, long k, const float *a, long lda, const float *b, long ldb,
                        float *c, long ldc, int accumulate);

#endif
