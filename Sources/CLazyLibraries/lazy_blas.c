/* Forwarding stubs for the OpenBLAS and libpng functions Tinify calls (see loader.c). */
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

int png_image_begin_read_from_file(png_imagep image, const char *file_name) {
    CLAZY_FORWARD(png, png_image_begin_read_from_file);
    return clazy_fp_png_image_begin_read_from_file(image, file_name);
}

int png_image_finish_read(png_imagep image, png_const_colorp background, void *buffer, png_int_32 row_stride, void *colormap) {
    CLAZY_FORWARD(png, png_image_finish_read);
    return clazy_fp_png_image_finish_read(image, background, buffer, row_stride, colormap);
}

void png_image_free(png_imagep image) {
    CLAZY_FORWARD(png, png_image_free);
    clazy_fp_png_image_free(image);
}

int png_image_write_to_file(png_imagep image, const char *file, int convert_to_8bit, const void *buffer,
                            png_int_32 row_stride, const void *colormap) {
    CLAZY_FORWARD(png, png_image_write_to_file);
    return clazy_fp_png_image_write_to_file(image, file, convert_to_8bit, buffer, row_stride, colormap);
}

int png_image_write_to_memory(png_imagep image, void *memory, png_alloc_size_t *PNG_RESTRICT memory_bytes,
                              int convert_to_8_bit, const void *buffer, png_int_32 row_stride, const void *colormap) {
    CLAZY_FORWARD(png, png_image_write_to_memory);
    return clazy_fp_png_image_write_to_memory(image, memory, memory_bytes, convert_to_8_bit, buffer, row_stride, colormap);
}
