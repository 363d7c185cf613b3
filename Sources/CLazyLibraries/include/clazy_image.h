#pragma once
/* Decoding PNG and JPEG files from memory to 8-bit RGB, with exactly the pixels Pillow's
   `Image.open(path).convert("RGB")` gives (see decode_png.c and decode_jpeg.c). libpng and
   libjpeg report errors by longjmp; each decoder does the whole decode inside C, so no longjmp
   ever crosses a Swift frame. Load the library first (clazy_load_png / clazy_load_jpeg). */
#include <stddef.h>
#include <stdint.h>

/* What a decoder returns. */
enum {
    /* Decoded: `pixels` holds width × height × 3 bytes (RGB, rows top to bottom). */
    CLAZY_IMAGE_OK = 0,
    /* The file is unreadable, unsupported or corrupt: the reason is in `error`. */
    CLAZY_IMAGE_ERROR = 1,
    /* The declared size is over the limits given: `width` and `height` say what it is. */
    CLAZY_IMAGE_TOO_LARGE = 2,
    /* The size check refused the image (the caller knows why). */
    CLAZY_IMAGE_REFUSED = 3,
    /* The pixel memory (width × height × 3 bytes) could not be allocated. */
    CLAZY_IMAGE_NO_MEMORY = 4,
};

/* Called once with the image's size, after the header is read and before any pixel memory is
   allocated; returns 0 to go on, anything else to stop with CLAZY_IMAGE_REFUSED. */
typedef int (*clazy_image_size_check)(void *context, uint32_t width, uint32_t height);

/* A decoded image. `pixels` is malloc'd (free it with clazy_image_free) and set only on
   CLAZY_IMAGE_OK; `width` and `height` are set as soon as the header is read. */
typedef struct {
    uint8_t *pixels;
    uint32_t width;
    uint32_t height;
} clazy_rgb_image;

/* The limits a decoder enforces before calling the size check. */
typedef struct {
    /* The largest width or height. */
    uint32_t max_side;
    /* The largest width × height. */
    uint64_t max_pixels;
} clazy_image_limits;

/* Decodes the PNG in `data[0..<size]` (any colour type and bit depth, Adam7 or not). */
int clazy_decode_png(const uint8_t *data, size_t size, clazy_image_limits limits,
                     clazy_image_size_check check, void *context, clazy_rgb_image *out,
                     char *error, size_t error_size);

/* Decodes the 8-bit greyscale or three-component (YCbCr, RGB) JPEG in `data[0..<size]`, baseline
   or progressive; CMYK/YCCK, other precisions and more than `max_scans` scans are refused. */
int clazy_decode_jpeg(const uint8_t *data, size_t size, clazy_image_limits limits, int max_scans,
                      clazy_image_size_check check, void *context, clazy_rgb_image *out,
                      char *error, size_t error_size);

/* Frees the pixels of a decoded image. */
void clazy_image_free(uint8_t *pixels);
