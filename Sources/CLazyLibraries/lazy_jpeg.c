/* Forwarding stubs for the libjpeg functions decode_jpeg.c calls (see loader.c). */
#include "clazy_internal.h"
#include <jpeglib.h> /* after <stdio.h> (clazy_internal.h): jpeglib.h uses FILE */

struct jpeg_error_mgr *jpeg_std_error(struct jpeg_error_mgr *err) {
    CLAZY_FORWARD(jpeg, jpeg_std_error);
    return clazy_fp_jpeg_std_error(err);
}

void jpeg_CreateDecompress(j_decompress_ptr cinfo, int version, size_t structsize) {
    CLAZY_FORWARD(jpeg, jpeg_CreateDecompress);
    clazy_fp_jpeg_CreateDecompress(cinfo, version, structsize);
}

void jpeg_destroy_decompress(j_decompress_ptr cinfo) {
    CLAZY_FORWARD(jpeg, jpeg_destroy_decompress);
    clazy_fp_jpeg_destroy_decompress(cinfo);
}

int jpeg_read_header(j_decompress_ptr cinfo, boolean require_image) {
    CLAZY_FORWARD(jpeg, jpeg_read_header);
    return clazy_fp_jpeg_read_header(cinfo, require_image);
}

boolean jpeg_start_decompress(j_decompress_ptr cinfo) {
    CLAZY_FORWARD(jpeg, jpeg_start_decompress);
    return clazy_fp_jpeg_start_decompress(cinfo);
}

JDIMENSION jpeg_read_scanlines(j_decompress_ptr cinfo, JSAMPARRAY scanlines, JDIMENSION max_lines) {
    CLAZY_FORWARD(jpeg, jpeg_read_scanlines);
    return clazy_fp_jpeg_read_scanlines(cinfo, scanlines, max_lines);
}

boolean jpeg_finish_decompress(j_decompress_ptr cinfo) {
    CLAZY_FORWARD(jpeg, jpeg_finish_decompress);
    return clazy_fp_jpeg_finish_decompress(cinfo);
}

boolean jpeg_resync_to_restart(j_decompress_ptr cinfo, int desired) {
    CLAZY_FORWARD(jpeg, jpeg_resync_to_restart);
    return clazy_fp_jpeg_resync_to_restart(cinfo, desired);
}
