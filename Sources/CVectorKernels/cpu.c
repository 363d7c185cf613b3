// CVectorKernels: whether the AVX loops run — the CPU check every AVX function of this target and
// of CDeterministic asks before doing anything, and the one switch that turns them all off.
#include "CVectorKernels.h"
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)

int tinify_avx_loops(void) {
    // Asked once; a race only asks twice.
    static int enabled = -1;
    if (enabled < 0) {
        __builtin_cpu_init();
        const char *off = getenv("TINIFY_NO_AVX");
        enabled = __builtin_cpu_supports("avx") && !(off && strcmp(off, "1") == 0) ? 1 : 0;
    }
    return enabled;
}

#else

int tinify_avx_loops(void) { return 0; }

#endif
