// CVectorKernels: the run-time CPU check the AVX versions share.
#ifndef CVECTORKERNELS_CPU_H
#define CVECTORKERNELS_CPU_H

#if defined(__x86_64__) || defined(__i386__)
#define AVX __attribute__((target("avx")))

/// Whether this CPU runs AVX (asked once; a race only asks twice).
static inline int avx_available(void) {
    static int available = -1;
    if (available < 0) {
        __builtin_cpu_init();
        available = __builtin_cpu_supports("avx") ? 1 : 0;
    }
    return available;
}

#endif

#endif
