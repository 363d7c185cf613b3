/* Forwarding stubs for the OpenBLAS functions Tinify calls (see loader.c). */
#include "clazy_internal.h"

#if !defined(__APPLE__)
void cblas_sgemm(OPENBLAS_CONST enum CBLAS_ORDER Order, OPENBLAS_CONST enum CBLAS_TRANSPOSE TransA,
                 OPENBLAS_CONST enum CBLAS_TRANSPOSE TransB, OPENBLAS_CONST blasint M, OPENBLAS_CONST blasint N,
                 OPENBLAS_CONST blasint K, OPENBLAS_CONST float alpha, OPENBLAS_CONST float *A, OPENBLAS_CONST blasint lda,
                 OPENBLAS_CONST float *B, OPENBLAS_CONST blasint ldb, OPENBLAS_CONST float beta, float *C,
                 OPENBLAS_CONST blasint ldc) {
    CLAZY_FORWARD(blas, cblas_sgemm);
    clazy_fp_cblas_sgemm(Order, TransA, TransB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void openblas_set_num_threads(int num_threads) {
    CLAZY_FORWARD(blas, openblas_set_num_threads);
    clazy_fp_openblas_set_num_threads(num_threads);
}
#endif
