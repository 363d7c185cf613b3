/* PNG to 8-bit RGB through libpng's low-level API, with the pixels Pillow's
   `Image.open(path).convert("RGB")` gives:
   - 1-, 2- and 4-bit grey scale to 8 bits (v · 255, 85, 17); 16-bit grey is Pillow's mode I;16,
     whose conversion clips: min(v, 255);
   - 16-bit RGB, RGBA and grey+alpha keep the high byte of each sample (v >> 8);
   - palette indices become their PLTE colours (indices past the palette: black);
   - alpha is dropped (no compositing); tRNS, gAMA, sRGB, iCCP, cHRM and every other ancillary
     chunk are ignored (skipped unread: no gamma correction, no text or profile inflated);
   - Adam7 images are de-interlaced by libpng.
   Like Pillow, a bad CRC in any chunk before the image data is an error, the CRCs of the image
   data are not checked (the zlib stream's own Adler-32 is, when it is read with the last row),
   and nothing after the last row matters: once every row is decoded, an error finishing the
   zlib stream or reading the next chunk is ignored. Unlike Pillow, image data that ends before
   the last row is always an error, never rows of zeros. libpng's benign errors stay warnings. The conversion is one libpng user transform, so it also runs on each Adam7 pass's
   rows, and libpng writes the converted rows straight into the output. */
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "include/clazy_image.h"

/* The most memory libpng may allocate for one chunk's data, and the most ancillary chunks it
   may keep (none is kept here: every ancillary chunk is skipped). */
enum { png_chunk_malloc_max = 4 << 20, png_chunk_cache_max = 1000 };

/* Everything a decode reads and changes. It lives in clazy_decode_png's frame and png_run (the
   function that calls setjmp) reaches it through a pointer, so its values survive a longjmp. */
struct png_state {
    const uint8_t *data;
    size_t size, offset;
    clazy_image_limits limits;
    clazy_image_size_check check;
    void *context;
    png_structp png;
    png_infop info;
    uint8_t *scratch; /* one input row, copied before it is converted in place */
    size_t scratch_size;
    uint8_t *pixels;
    uint8_t **rows;
    uint8_t palette[256][3]; /* PLTE, zero (black) past its entries */
    uint32_t width, height;
    uint64_t rows_expected, rows_done; /* rows (of every Adam7 pass) to convert, and converted */
    int status;
    char *error;
    size_t error_size;
    char warning[160]; /* libpng's last warning: the detail behind "Invalid IHDR data" */
};

/* The big-endian 32-bit integer at `p`. */
static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Whether a width × height image is over the limits. */
static int too_large(clazy_image_limits limits, uint32_t width, uint32_t height) {
    return width > limits.max_side || height > limits.max_side || (uint64_t)width * height > limits.max_pixels;
}

/* libpng's error callback: keeps the first reason (with how far the file was read) and jumps
   back to png_run. */
static void on_error(png_structp png, png_const_charp message) {
    struct png_state *s = png_get_error_ptr(png);
    if (s->status == CLAZY_IMAGE_OK) {
        s->status = CLAZY_IMAGE_ERROR;
        if (strcmp(message, "Invalid IHDR data") == 0 && s->warning[0])
            snprintf(s->error, s->error_size, "%s: %s", message, s->warning);
        else
            snprintf(s->error, s->error_size, "%s (near byte %zu)", message, s->offset);
    }
    png_longjmp(png, 1);
}

/* libpng's warning callback: keeps the last warning, prints nothing. */
static void on_warning(png_structp png, png_const_charp message) {
    struct png_state *s = png_get_error_ptr(png);
    snprintf(s->warning, sizeof s->warning, "%s", message);
}

/* libpng's reader: the next `length` bytes of the buffer, or an error naming where it ends. */
static void read_data(png_structp png, png_bytep out, size_t length) {
    struct png_state *s = png_get_io_ptr(png);
    if (length > s->size - s->offset) {
        s->status = CLAZY_IMAGE_ERROR;
        snprintf(s->error, s->error_size, "truncated: %zu bytes needed at byte %zu, the file ends at byte %zu",
                 length, s->offset, s->size);
        png_error(png, "truncated");
    }
    memcpy(out, s->data + s->offset, length);
    s->offset += length;
}

/* The sample at index `i` of a row packed `depth` bits per sample (1, 2 or 4), MSB first. */
static unsigned packed(const uint8_t *row, size_t i, int depth) {
    size_t bit = i * (size_t)depth;
    return (unsigned)(row[bit / 8] >> (8 - depth - (int)(bit % 8))) & ((1u << depth) - 1);
}

/* The user transform: one row (a whole row, or an Adam7 pass's) from its file format to 8-bit
   RGB, in place (through the scratch copy). The row buffer holds the wider of the two: libpng
   sizes it for the 24 bits per pixel declared with png_set_user_transform_info. */
static void to_rgb(png_structp png, png_row_infop row, png_bytep data) {
    struct png_state *s = png_get_user_transform_ptr(png);
    size_t n = row->width;
    if (row->rowbytes > s->scratch_size || n > s->width) png_error(png, "row wider than the image");
    memcpy(s->scratch, data, row->rowbytes);
    const uint8_t *in = s->scratch;
    uint8_t *out = data;
    int depth = row->bit_depth;
    switch (row->color_type) {
    case PNG_COLOR_TYPE_GRAY:
        for (size_t i = 0; i < n; i++) {
            unsigned v;
            if (depth == 16) {
                v = (unsigned)in[2 * i] << 8 | in[2 * i + 1];
                if (v > 255) v = 255; /* Pillow: I;16 → RGB clips */
            } else if (depth == 8) {
                v = in[i];
            } else {
                v = packed(in, i, depth) * (255u / ((1u << depth) - 1));
            }
            out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = (uint8_t)v;
        }
        break;
    case PNG_COLOR_TYPE_PALETTE:
        for (size_t i = 0; i < n; i++) {
            unsigned index = depth == 8 ? in[i] : packed(in, i, depth);
            memcpy(out + 3 * i, s->palette[index], 3);
        }
        break;
    case PNG_COLOR_TYPE_RGB:
    case PNG_COLOR_TYPE_RGB_ALPHA:
    case PNG_COLOR_TYPE_GRAY_ALPHA: {
        size_t channels = row->color_type == PNG_COLOR_TYPE_RGB ? 3 : row->color_type == PNG_COLOR_TYPE_RGB_ALPHA ? 4 : 2;
        size_t bytes = depth == 16 ? 2 : 1; /* 16-bit: the high byte, first in the file */
        int grey = row->color_type == PNG_COLOR_TYPE_GRAY_ALPHA;
        for (size_t i = 0; i < n; i++) {
            const uint8_t *p = in + i * channels * bytes;
            out[3 * i] = p[0];
            out[3 * i + 1] = grey ? p[0] : p[bytes];
            out[3 * i + 2] = grey ? p[0] : p[2 * bytes];
        }
        break;
    }
    default:
        png_error(png, "unexpected colour type");
    }
    row->color_type = PNG_COLOR_TYPE_RGB;
    row->channels = 3;
    row->bit_depth = 8;
    row->pixel_depth = 24;
    row->rowbytes = n * 3;
    s->rows_done++; /* libpng copies it into the output before reading on */
}

/* The rows libpng converts: the height, or the rows of every non-empty Adam7 pass. */
static uint64_t rows_to_convert(uint32_t width, uint32_t height, int interlace) {
    if (interlace == PNG_INTERLACE_NONE) return height;
    uint64_t rows = 0;
    for (int pass = 0; pass < 7; pass++)
        if (PNG_PASS_COLS(width, pass) > 0) rows += PNG_PASS_ROWS(height, pass);
    return rows;
}

/* The decode, between libpng's setjmp and its longjmp-ing errors. */
static int png_run(struct png_state *s) {
    png_structp png = s->png;
    png_infop info = s->info;
    if (setjmp(png_jmpbuf(png))) {
        /* Every row is in the output: like Pillow, ignore what comes after it. */
        if (s->status == CLAZY_IMAGE_ERROR && s->pixels && s->rows_expected > 0 && s->rows_done == s->rows_expected) {
            s->error[0] = 0;
            return CLAZY_IMAGE_OK;
        }
        return s->status != CLAZY_IMAGE_OK ? s->status : CLAZY_IMAGE_ERROR;
    }

    png_set_read_fn(png, s, read_data);
    png_set_user_limits(png, s->limits.max_side, s->limits.max_side);
    png_set_chunk_malloc_max(png, png_chunk_malloc_max);
    png_set_chunk_cache_max(png, png_chunk_cache_max);
    png_set_benign_errors(png, 1);
    /* Every ancillary chunk is skipped unread (CRC still checked): none changes Pillow's pixels. */
    static const png_byte ignored[] = "bKGD\0cHRM\0cICP\0eXIf\0gAMA\0hIST\0iCCP\0iTXt\0oFFs\0pCAL\0pHYs\0"
                                      "sBIT\0sCAL\0sPLT\0sRGB\0sTER\0tEXt\0tIME\0tRNS\0zTXt";
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, 0);
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, ignored, (int)(sizeof ignored / 5));
    /* Pillow checks the CRC of every chunk before the image data, and of none after. */
    png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
    png_read_info(png, info);
    png_set_crc_action(png, PNG_CRC_QUIET_USE, PNG_CRC_QUIET_USE);

    png_uint_32 width, height;
    int depth, color, interlace;
    png_get_IHDR(png, info, &width, &height, &depth, &color, &interlace, NULL, NULL);
    s->width = width;
    s->height = height;
    if (too_large(s->limits, width, height)) return CLAZY_IMAGE_TOO_LARGE;
    if (s->check && s->check(s->context, width, height) != 0) return CLAZY_IMAGE_REFUSED;

    if (color == PNG_COLOR_TYPE_PALETTE) {
        png_colorp palette = NULL;
        int entries = 0;
        if (!png_get_PLTE(png, info, &palette, &entries) || !palette) png_error(png, "palette image without PLTE");
        for (int i = 0; i < entries && i < 256; i++) {
            s->palette[i][0] = palette[i].red;
            s->palette[i][1] = palette[i].green;
            s->palette[i][2] = palette[i].blue;
        }
    }
    int channels = color == PNG_COLOR_TYPE_RGB ? 3 : color == PNG_COLOR_TYPE_RGB_ALPHA ? 4 : color == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : 1;
    png_set_interlace_handling(png);
    png_set_read_user_transform_fn(png, to_rgb);
    png_set_user_transform_info(png, s, 8, 3);
    png_read_update_info(png, info);
    s->rows_expected = rows_to_convert(width, height, interlace);

    /* width ≤ max_side and width × height ≤ max_pixels: no product below overflows 64 bits. */
    s->scratch_size = ((size_t)width * (size_t)(channels * depth) + 7) / 8;
    if ((uint64_t)width * height > SIZE_MAX / 3) return CLAZY_IMAGE_NO_MEMORY;
    s->scratch = malloc(s->scratch_size);
    s->rows = malloc(sizeof(uint8_t *) * height);
    s->pixels = malloc((size_t)width * height * 3);
    if (!s->scratch || !s->rows || !s->pixels) return CLAZY_IMAGE_NO_MEMORY;
    for (png_uint_32 y = 0; y < height; y++) s->rows[y] = s->pixels + (size_t)y * width * 3;
    png_read_image(png, s->rows);
    return CLAZY_IMAGE_OK;
}

/* See include/clazy_image.h. */
int clazy_decode_png(const uint8_t *data, size_t size, clazy_image_limits limits,
                     clazy_image_size_check check, void *context, clazy_rgb_image *out,
                     char *error, size_t error_size) {
    static char unused[1];
    struct png_state s;
    memset(&s, 0, sizeof s);
    s.data = data;
    s.size = data ? size : 0;
    s.limits = limits;
    s.check = check;
    s.context = context;
    s.error = error && error_size ? error : unused;
    s.error_size = error && error_size ? error_size : sizeof unused;
    s.error[0] = 0;
    out->pixels = NULL;
    out->width = out->height = 0;

    /* The declared size, refused before libpng runs (libpng would only say "Invalid IHDR data"). */
    if (s.size >= 24 && memcmp(s.data + 12, "IHDR", 4) == 0) {
        out->width = be32(s.data + 16);
        out->height = be32(s.data + 20);
        if (too_large(limits, out->width, out->height)) return CLAZY_IMAGE_TOO_LARGE;
    }
    s.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &s, on_error, on_warning);
    if (!s.png) return CLAZY_IMAGE_NO_MEMORY;
    s.info = png_create_info_struct(s.png);
    int status = s.info ? png_run(&s) : CLAZY_IMAGE_NO_MEMORY;
    png_destroy_read_struct(&s.png, s.info ? &s.info : NULL, NULL);
    free(s.scratch);
    free(s.rows);
    if (s.width || s.height) {
        out->width = s.width;
        out->height = s.height;
    }
    if (status == CLAZY_IMAGE_OK) {
        out->pixels = s.pixels;
    } else {
        free(s.pixels);
        if (status == CLAZY_IMAGE_NO_MEMORY && !s.error[0])
            snprintf(s.error, s.error_size, "out of memory");
    }
    return status;
}

/* See include/clazy_image.h. */
void clazy_image_free(uint8_t *pixels) { free(pixels); }
