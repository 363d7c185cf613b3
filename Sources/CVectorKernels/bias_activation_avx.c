// CVectorKernels: a kernel's last step, bias and activation applied on the way to the output
// (every other element for a pixel-shuffled output), with 256-bit AVX vectors chosen at run time.
// The sums are the same binary32 additions as Activation.apply's, and the activations select or
// multiply exactly as it does (ReLU keeps NaN; LeakyReLU multiplies by 0.01), so the results are
// the same bits. Contraction into FMA is off for this file.
#pragma clang fp contract(off)
#include "CVectorKernels.h"
#include "cpu.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

/// act(v) on eight lanes: ReLU keeps NaN (max returns its second operand when either is NaN, and
/// −0 for max(0, −0), as `v < 0 ? 0 : v` does); LeakyReLU is `v > 0 ? v : v·0.01`.
AVX static inline __m256 activate(__m256 v, int act) {
    if (act == 1) return _mm256_max_ps(_mm256_setzero_ps(), v);
    if (act == 2) return _mm256_blendv_ps(_mm256_mul_ps(v, _mm256_set1_ps(0.01f)), v, _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_GT_OQ));
    return v;
}

static inline float activate1(float v, int act) {
    if (act == 1) return v < 0 ? 0 : v;
    if (act == 2) return v > 0 ? v : v * 0.01f;
    return v;
}

AVX static void store(const float *src, long n, float bias, int act, float *dst, long step, long limit) {
    __m256 b = _mm256_set1_ps(bias);
    long j = 0;
    if (step == 1) {
        for (; j + 8 <= n; j += 8) _mm256_storeu_ps(dst + j, activate(_mm256_add_ps(_mm256_loadu_ps(src + j), b), act));
    } else {
        // Lanes 0, 2, 4, … of sixteen floats at dst + 2j are this channel's; the others are read
        // and written back unchanged (the same thread writes them, for the output's other phase).
        for (; j + 8 <= n && 2 * j + 16 <= limit; j += 8) {
            __m256 v = activate(_mm256_add_ps(_mm256_loadu_ps(src + j), b), act);
            __m256 a = _mm256_unpacklo_ps(v, v), c = _mm256_unpackhi_ps(v, v);
            __m256 lo = _mm256_permute2f128_ps(a, c, 0x20), hi = _mm256_permute2f128_ps(a, c, 0x31);
            _mm256_storeu_ps(dst + 2 * j, _mm256_blend_ps(_mm256_loadu_ps(dst + 2 * j), lo, 0x55));
            _mm256_storeu_ps(dst + 2 * j + 8, _mm256_blend_ps(_mm256_loadu_ps(dst + 2 * j + 8), hi, 0x55));
        }
    }
    for (; j < n; j++) dst[j * step] = activate1(src[j] + bias, act);
}

int tinify_bias_act_store(const float *src, long n, float bias, int act, float *dst, long step, long limit) {
    if (!tinify_avx_loops() || (step != 1 && step != 2)) return 0;
    store(src, n, bias, act, dst, step, limit);
    return 1;
}

#else

// Not an x86 CPU: the Swift loops run (same bits).
int tinify_bias_act_store(const float *src, long n, float bias, int act, float *dst, long step, long limit) {
    (void)src; (void)n; (void)bias; (void)act; (void)dst; (void)step; (void)limit;
    return 0;
}

#endif
