#pragma once
/* Lazy loading of the heavy system libraries (libhdf5, OpenBLAS, libpng, libjpeg): the `tinify` binary
   does not load them at start-up; the first command that needs one loads it here.
   Each call returns 0 when the library is loaded, or -1 with a one-line reason in `error`. */
#include <stddef.h>

int clazy_load_hdf5(char *error, size_t size);
int clazy_load_blas(char *error, size_t size);
int clazy_load_png(char *error, size_t size);
int clazy_load_jpeg(char *error, size_t size);
