/* Loads libhdf5, OpenBLAS, libpng and libjpeg on first use (see include/clazy.h). */
#include "clazy_internal.h"
#include <pthread.h>
#include <string.h>

/* The names each library goes by, per platform, tried in order. */
#if defined(__APPLE__)
static const char *const sonames[4][4] = {
    {"libhdf5.dylib", "/opt/homebrew/lib/libhdf5.dylib", "/usr/local/lib/libhdf5.dylib", NULL},
    {"/System/Library/Frameworks/Accelerate.framework/Accelerate", NULL, NULL, NULL},
    {"libpng16.dylib", "/opt/homebrew/lib/libpng16.dylib", "/usr/local/lib/libpng16.dylib", NULL},
    {"libjpeg.dylib", "/opt/homebrew/lib/libjpeg.dylib", "/usr/local/lib/libjpeg.dylib", NULL},
};
#else
static const char *const sonames[4][4] = {
    {"libhdf5_serial.so.103", "libhdf5_serial.so", "libhdf5.so", NULL},
    {"libopenblas.so.0", "libopenblas.so", "libblas.so.3", NULL},
    {"libpng16.so.16", "libpng16.so", "libpng.so", NULL},
    {"libjpeg.so.62", "libjpeg.so", NULL, NULL},
};
#endif
static void *handles[4];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Every function the stubs forward to, per library: a library is loaded only when all of them
   resolve, so a stub called after a successful load always finds its function. */
extern const char *const clazy_hdf5_names[];
#if defined(__APPLE__)
static const char *const blas_names[] = {"cblas_sgemm", NULL};
#else
static const char *const blas_names[] = {"cblas_sgemm", "openblas_set_num_threads", NULL};
#endif
static const char *const png_names[] = {
    "png_image_free", "png_image_write_to_memory",
    "png_create_read_struct", "png_create_info_struct", "png_destroy_read_struct", "png_set_longjmp_fn",
    "png_longjmp", "png_error", "png_get_error_ptr", "png_get_io_ptr", "png_set_read_fn", "png_set_user_limits",
    "png_set_chunk_cache_max", "png_set_chunk_malloc_max", "png_set_benign_errors", "png_set_keep_unknown_chunks",
    "png_set_crc_action", "png_read_info", "png_get_IHDR", "png_get_PLTE", "png_set_interlace_handling",
    "png_set_read_user_transform_fn", "png_set_user_transform_info", "png_get_user_transform_ptr",
    "png_read_update_info", "png_read_image", NULL};
static const char *const jpeg_names[] = {
    "jpeg_std_error", "jpeg_CreateDecompress", "jpeg_destroy_decompress", "jpeg_read_header",
    "jpeg_start_decompress", "jpeg_read_scanlines", "jpeg_finish_decompress", "jpeg_resync_to_restart", NULL};

static int load(int library, char *error, size_t size) {
    int status = 0;
    pthread_mutex_lock(&lock);
    if (!handles[library]) {
        /* OpenBLAS's own exported helpers are looked up through the global scope, so it is global;
           every library binds to its own symbols first, never to these stubs. */
        int flags = RTLD_NOW | (library == clazy_lib_blas ? RTLD_GLOBAL : RTLD_LOCAL);
        /* AddressSanitizer refuses RTLD_DEEPBIND (its interceptors must stay first). Without it
           a library's calls to its own exported functions reach these stubs, which forward to
           the same functions: correct, one jump longer. Only the fuzz builds run under ASan. */
#if defined(__GLIBC__) && defined(RTLD_DEEPBIND) /* a glibc extension */
        if (!dlsym(RTLD_DEFAULT, "__asan_init")) flags |= RTLD_DEEPBIND;
#endif
        const char *last = "";
        void *handle = NULL;
        for (int i = 0; sonames[library][i] && !handle; i++) {
            handle = dlopen(sonames[library][i], flags);
            if (!handle) last = dlerror();
        }
        if (!handle) {
            if (error && size) snprintf(error, size, "cannot load %s: %s", sonames[library][0], last ? last : "not found");
            status = -1;
        } else {
            const char *const *const names_of[] = {clazy_hdf5_names, blas_names, png_names, jpeg_names};
            const char *const *names = names_of[library];
            for (int i = 0; names[i]; i++) {
                if (!dlsym(handle, names[i])) {
                    if (error && size) snprintf(error, size, "%s has no function %s", sonames[library][0], names[i]);
                    status = -1;
                    break;
                }
            }
            if (status == 0) handles[library] = handle;
            else dlclose(handle);
        }
    }
    pthread_mutex_unlock(&lock);
    return status;
}

int clazy_load_hdf5(char *error, size_t size) { return load(clazy_lib_hdf5, error, size); }
int clazy_load_blas(char *error, size_t size) { return load(clazy_lib_blas, error, size); }
int clazy_load_png(char *error, size_t size) { return load(clazy_lib_png, error, size); }
int clazy_load_jpeg(char *error, size_t size) { return load(clazy_lib_jpeg, error, size); }

/* Called by a stub the first time it runs. Every Swift entry point loads its library first
   (and throws the reason when it cannot), and a load succeeds only when every forwarded name
   resolves, so this finds the function. Were a stub ever reached without a successful load,
   there is no function to call and no error value a stub of any signature could return: the
   process stops with the reason (abort, not exit: no atexit handlers run in a broken state). */
void *clazy_symbol(int library, const char *name) {
    char error[512];
    if (load(library, error, sizeof error) != 0) {
        fprintf(stderr, "error: %s\n", error);
        abort();
    }
    void *p = dlsym(handles[library], name);
    if (!p) {
        fprintf(stderr, "error: %s: symbol %s not found\n", sonames[library][0], name);
        abort();
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
