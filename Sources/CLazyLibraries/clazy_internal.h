#pragma once
/* Shared by the forwarding stubs. The real headers give every stub its exact prototype. */
#if __has_include(<hdf5.h>)
#include <hdf5.h>
#else
#include <hdf5/serial/hdf5.h>
#endif
#if !defined(__APPLE__)
#include <cblas.h> /* on Apple platforms the BLAS is Accelerate, linked directly */
#endif
#include <png.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include "include/clazy.h"

void *clazy_symbol(int library, const char *name);
enum { clazy_lib_hdf5 = 0, clazy_lib_blas = 1, clazy_lib_png = 2, clazy_lib_jpeg = 3 };

/* Resolves the real `name` once (loading its library if needed) into clazy_fp_<name>. */
#define CLAZY_FORWARD(lib, name) \
    static __typeof__(&name) clazy_fp_##name; \
    if (!clazy_fp_##name) clazy_fp_##name = (__typeof__(&name))clazy_symbol(clazy_lib_##lib, #name)
