#pragma once
/* The CBLAS interface: Accelerate on Apple platforms; elsewhere the system's <cblas.h> (on Debian
   the alternatives link to OpenBLAS's header, in the multiarch include directory). The library
   itself is loaded on first use (CLazyLibraries), so the module links nothing. */
#if defined(__APPLE__)
#define ACCELERATE_NEW_LAPACK 1
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
#endif
