/* JPEG to 8-bit RGB through libjpeg, with the pixels Pillow's `Image.open(path).convert("RGB")`
   gives: libjpeg's defaults (the accurate integer IDCT, JDCT_ISLOW, and fancy upsampling), YCbCr
   or RGB converted by libjpeg, greyscale replicated to RGB, EXIF orientation not applied.
   Pillow decodes with libjpeg-turbo; a build against IJG libjpeg 9 would upsample chroma
   differently. Refused: CMYK and YCCK (4 components), other component counts, precisions other
   than 8 bits, more than `max_scans` scans (the progressive "scan bomb": every scan is another
   pass over the whole coefficient buffer), and coefficient buffers beyond a bound derived from
   the size. As in Pillow (which reads from a suspending source): data that ends before the last
   scanline is an error (a sequential JPEG's last MCUs need the EOI marker after them; a
   progressive one is read to its EOI before any output); after the last scanline the rest is
   read to EOI and a libjpeg error there (a bad marker) is an error, but data that simply ends
   is not; libjpeg's warnings about corrupt data are not errors. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include "include/clazy_image.h"

/* libjpeg's memory bound while reading the headers, and the bound for decoding: this plus
   16 bytes a pixel of the image padded to whole MCUs (a progressive image's coefficients take
   2 bytes per sample, at most 3 full-size components). */
enum { jpeg_header_memory = 16 << 20, jpeg_base_memory = 64 << 20 };

/* Everything a decode reads and changes. clazy_decode_jpeg allocates it on the heap and jpeg_run
   (the function that calls setjmp) reaches it through a pointer, so its values survive a
   longjmp. */
struct jpeg_state {
    struct jpeg_decompress_struct cinfo;
    struct jpeg_error_mgr errors;
    struct jpeg_source_mgr source;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    const uint8_t *data;
    size_t size;
    clazy_image_limits limits;
    int max_scans;
    clazy_image_size_check check;
    void *context;
    uint8_t *pixels;
    uint32_t width, height;
    int finishing; /* every scanline is out: running out of data now is no error */
    int status;
    char *error;
    size_t error_size;
};

/* How far libjpeg has read. */
static size_t offset(struct jpeg_state *s) { return s->size - s->source.bytes_in_buffer; }

/* Stops the decode with a reason of our own. */
static void fail(struct jpeg_state *s, const char *reason) {
    if (s->status == CLAZY_IMAGE_OK) {
        s->status = CLAZY_IMAGE_ERROR;
        snprintf(s->error, s->error_size, "%s", reason);
    }
    longjmp(s->jump, 1);
}

/* libjpeg's fatal errors: the message with how far the data was read. */
static void on_error(j_common_ptr cinfo) {
    struct jpeg_state *s = cinfo->client_data;
    if (s->status == CLAZY_IMAGE_OK) {
        char message[JMSG_LENGTH_MAX];
        cinfo->err->format_message(cinfo, message);
        s->status = CLAZY_IMAGE_ERROR;
        snprintf(s->error, s->error_size, "%s (near byte %zu)", message, offset(s));
    }
    longjmp(s->jump, 1);
}

/* Warnings and traces are counted, never printed. */
static void on_message(j_common_ptr cinfo, int level) {
    if (level < 0) cinfo->err->num_warnings++;
}

/* Nothing is printed. */
static void on_output(j_common_ptr cinfo) { (void)cinfo; }

/* The source needs no set-up or clean-up: the whole file is one buffer. */
static void source_init(j_decompress_ptr cinfo) { (void)cinfo; }
static void source_term(j_decompress_ptr cinfo) { (void)cinfo; }

/* The whole file is in the buffer from the start: asking for more means it ended too soon, or,
   once every scanline is out, that it ends without EOI (jpeg_finish_decompress then suspends,
   as Pillow's does). */
static boolean source_fill(j_decompress_ptr cinfo) {
    struct jpeg_state *s = cinfo->client_data;
    if (s->finishing) return FALSE;
    char reason[128];
    snprintf(reason, sizeof reason, "truncated: the data ends at byte %zu, before the image does", s->size);
    fail(s, reason);
    return FALSE;
}

/* Skips a marker's data: past the end is truncation, or, once every scanline is out, the end. */
static void source_skip(j_decompress_ptr cinfo, long count) {
    struct jpeg_state *s = cinfo->client_data;
    if (count <= 0) return;
    if ((unsigned long)count > s->source.bytes_in_buffer) {
        if (!s->finishing) source_fill(cinfo);
        count = (long)s->source.bytes_in_buffer;
    }
    s->source.next_input_byte += count;
    s->source.bytes_in_buffer -= (size_t)count;
}

/* Called while the input is absorbed, at least once per scan. */
static void on_progress(j_common_ptr cinfo) {
    struct jpeg_state *s = cinfo->client_data;
    j_decompress_ptr d = (j_decompress_ptr)cinfo;
    if (d->input_scan_number > s->max_scans) {
        char reason[128];
        snprintf(reason, sizeof reason, "more than %d scans, refused (a progressive scan bomb?) at byte %zu", s->max_scans, offset(s));
        fail(s, reason);
    }
}

/* The decode, between the setjmp and libjpeg's longjmp-ing errors. */
static int jpeg_run(struct jpeg_state *s) {
    j_decompress_ptr cinfo = &s->cinfo;
    if (setjmp(s->jump)) return s->status != CLAZY_IMAGE_OK ? s->status : CLAZY_IMAGE_ERROR;

    cinfo->err = jpeg_std_error(&s->errors);
    s->errors.error_exit = on_error;
    s->errors.emit_message = on_message;
    s->errors.output_message = on_output;
    cinfo->client_data = s; /* kept by jpeg_create_decompress */
    jpeg_create_decompress(cinfo);
    cinfo->mem->max_memory_to_use = jpeg_header_memory;
    s->source.next_input_byte = s->data;
    s->source.bytes_in_buffer = s->size;
    s->source.init_source = source_init;
    s->source.fill_input_buffer = source_fill;
    s->source.skip_input_data = source_skip;
    s->source.resync_to_restart = jpeg_resync_to_restart;
    s->source.term_source = source_term;
    cinfo->src = &s->source;
    s->progress.progress_monitor = on_progress;
    cinfo->progress = &s->progress;

    jpeg_read_header(cinfo, TRUE);
    char reason[160];
    if (cinfo->data_precision != 8) {
        snprintf(reason, sizeof reason, "%d-bit samples are not supported (only 8-bit JPEGs are read)", cinfo->data_precision);
        fail(s, reason);
    }
    int components = cinfo->num_components;
    if (components == 4) fail(s, "CMYK and YCCK JPEGs (4 components) are not supported: convert it to RGB first");
    if (components != 1 && components != 3) {
        snprintf(reason, sizeof reason, "JPEGs of %d components are not supported (only 1, greyscale, or 3, colour)", components);
        fail(s, reason);
    }
    uint32_t width = cinfo->image_width, height = cinfo->image_height;
    s->width = width;
    s->height = height;
    if (width > s->limits.max_side || height > s->limits.max_side || (uint64_t)width * height > s->limits.max_pixels)
        return CLAZY_IMAGE_TOO_LARGE;
    if (s->check && s->check(s->context, width, height) != 0) return CLAZY_IMAGE_REFUSED;

    cinfo->out_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    cinfo->dct_method = JDCT_ISLOW;
    cinfo->do_fancy_upsampling = TRUE;
    /* MCUs are at most 32 pixels a side (sampling factors up to 4). */
    uint64_t padded = ((uint64_t)width + 32) * ((uint64_t)height + 32);
    cinfo->mem->max_memory_to_use = (long)(jpeg_base_memory + 16 * padded);
    jpeg_start_decompress(cinfo);
    if (cinfo->output_width != width || cinfo->output_height != height || cinfo->output_components != components)
        fail(s, "libjpeg's output size differs from the header's");

    if ((uint64_t)width * height > SIZE_MAX / 3) return CLAZY_IMAGE_NO_MEMORY;
    size_t stride = (size_t)width * 3;
    s->pixels = malloc(stride * height);
    if (!s->pixels) return CLAZY_IMAGE_NO_MEMORY;
    while (cinfo->output_scanline < height) {
        JSAMPROW row = s->pixels + (size_t)cinfo->output_scanline * stride;
        if (jpeg_read_scanlines(cinfo, &row, 1) != 1) fail(s, "libjpeg returned no scanline");
        if (components == 1) {
            for (size_t x = width; x-- > 0;) row[3 * x] = row[3 * x + 1] = row[3 * x + 2] = row[x];
        }
    }
    s->finishing = 1;
    jpeg_finish_decompress(cinfo);
    return CLAZY_IMAGE_OK;
}

/* See include/clazy_image.h. */
int clazy_decode_jpeg(const uint8_t *data, size_t size, clazy_image_limits limits, int max_scans,
                      clazy_image_size_check check, void *context, clazy_rgb_image *out,
                      char *error, size_t error_size) {
    static char unused[1];
    struct jpeg_state *s = calloc(1, sizeof *s);
    out->pixels = NULL;
    out->width = out->height = 0;
    if (!s) return CLAZY_IMAGE_NO_MEMORY;
    s->data = data;
    s->size = data ? size : 0;
    s->limits = limits;
    s->max_scans = max_scans;
    s->check = check;
    s->context = context;
    s->error = error && error_size ? error : unused;
    s->error_size = error && error_size ? error_size : sizeof unused;
    s->error[0] = 0;
    int status = jpeg_run(s);
    jpeg_destroy_decompress(&s->cinfo);
    out->width = s->width;
    out->height = s->height;
    if (status == CLAZY_IMAGE_OK) {
        out->pixels = s->pixels;
    } else {
        free(s->pixels);
        if (status == CLAZY_IMAGE_NO_MEMORY && !s->error[0]) snprintf(s->error, s->error_size, "out of memory");
    }
    free(s);
    return status;
}
