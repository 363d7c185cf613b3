// CVectorKernels: the target attribute the AVX versions share (their run-time check is
// tinify_avx_loops, in cpu.c).
#ifndef CVECTORKERNELS_CPU_H
#define CVECTORKERNELS_CPU_H

#if defined(__x86_64__) || defined(__i386__)
#define AVX __attribute__((target("avx")))

#endif

#endif
