/* Loads libhdf5, OpenBLAS and libpng on first use (see include/clazy.h). */
#include "clazy_internal.h"
#include <pthread.h>
#include <string.h>

static const char *const sonames[3][4] = {
    {"libhdf5_serial.so.103", "libhdf5_serial.so", "libhdf5.so", NULL},
    {"libopenblas.so.0", "libopenblas.so", "libblas.so.3", NULL},
    {"libpng16.so.16", "libpng16.so", "libpng.so", NULL},
};
static void *handles[3];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int load(int library, char *error, size_t size) {
    pthread_mutex_lock(&lock);
    if (!handles[library]) {
        /* OpenBLAS's own exported helpers are looked up through the global scope, so it is global;
           every library binds to its own symbols first, never to these stubs. */
        int flags = RTLD_NOW | RTLD_DEEPBIND | (library == clazy_lib_blas ? RTLD_GLOBAL : RTLD_LOCAL);
        const char *last = "";
        for (int i = 0; sonames[library][i] && !handles[library]; i++) {
            handles[library] = dlopen(sonames[library][i], flags);
            if (!handles[library]) last = dlerror();
        }
        if (!handles[library]) {
            pthread_mutex_unlock(&lock);
            if (error && size) snprintf(error, size, "cannot load %s: %s", sonames[library][0], last ? last : "not found");
            return -1;
        }
    }
    pthread_mutex_unlock(&lock);
    return 0;
}

int clazy_load_hdf5(char *error, size_t size) { return load(clazy_lib_hdf5, error, size); }
int clazy_load_blas(char *error, size_t size) { return load(clazy_lib_blas, error, size); }
int clazy_load_png(char *error, size_t size) { return load(clazy_lib_png, error, size); }

void *clazy_symbol(int library, const char *name) {
    char error[512];
    if (load(library, error, sizeof error) != 0) {
        fprintf(stderr, "error: %s\n", error);
        exit(1);
    }
    void *p = dlsym(handles[library], name);
    if (!p) {
        fprintf(stderr, "error: %s: symbol %s not found\n", sonames[library][0], name);
        exit(1);
    }
    return p;
}

/* The HDF5 type and property-list ids behind macros like H5T_NATIVE_FLOAT are globals set by
   H5open(); they are read from the loaded library, never defined here. */
hid_t clazy_hdf5_global(const char *name) {
    H5open();
    hid_t *p = (hid_t *)clazy_symbol(clazy_lib_hdf5, name);
    return *p;
}
