/* Forwarding stubs for the libpng functions Tinify calls (see loader.c): the simplified API's
   writer (PNGImage.encode) and the low-level reading API (decode_png.c). */
#include "clazy_internal.h"

/* MARK: - Simplified API */

void png_image_free(png_imagep image) {
    CLAZY_FORWARD(png, png_image_free);
    clazy_fp_png_image_free(image);
}

int png_image_write_to_memory(png_imagep image, void *memory, png_alloc_size_t *PNG_RESTRICT memory_bytes,
                              int convert_to_8_bit, const void *buffer, png_int_32 row_stride, const void *colormap) {
    CLAZY_FORWARD(png, png_image_write_to_memory);
    return clazy_fp_png_image_write_to_memory(image, memory, memory_bytes, convert_to_8_bit, buffer, row_stride, colormap);
}

/* MARK: - Low-level reading (decode_png.c) */

png_structp png_create_read_struct(png_const_charp user_png_ver, png_voidp error_ptr, png_error_ptr error_fn,
                                   png_error_ptr warn_fn) {
    CLAZY_FORWARD(png, png_create_read_struct);
    return clazy_fp_png_create_read_struct(user_png_ver, error_ptr, error_fn, warn_fn);
}

png_infop png_create_info_struct(png_const_structrp png_ptr) {
    CLAZY_FORWARD(png, png_create_info_struct);
    return clazy_fp_png_create_info_struct(png_ptr);
}

void png_destroy_read_struct(png_structpp png_ptr_ptr, png_infopp info_ptr_ptr, png_infopp end_info_ptr_ptr) {
    CLAZY_FORWARD(png, png_destroy_read_struct);
    clazy_fp_png_destroy_read_struct(png_ptr_ptr, info_ptr_ptr, end_info_ptr_ptr);
}

jmp_buf *png_set_longjmp_fn(png_structrp png_ptr, png_longjmp_ptr longjmp_fn, size_t jmp_buf_size) {
    CLAZY_FORWARD(png, png_set_longjmp_fn);
    return clazy_fp_png_set_longjmp_fn(png_ptr, longjmp_fn, jmp_buf_size);
}

void png_longjmp(png_const_structrp png_ptr, int val) {
    CLAZY_FORWARD(png, png_longjmp);
    clazy_fp_png_longjmp(png_ptr, val);
    abort(); /* not reached: png_longjmp does not return */
}

void png_error(png_const_structrp png_ptr, png_const_charp error_message) {
    CLAZY_FORWARD(png, png_error);
    clazy_fp_png_error(png_ptr, error_message);
    abort(); /* not reached: png_error does not return */
}

png_voidp png_get_error_ptr(png_const_structrp png_ptr) {
    CLAZY_FORWARD(png, png_get_error_ptr);
    return clazy_fp_png_get_error_ptr(png_ptr);
}

png_voidp png_get_io_ptr(png_const_structrp png_ptr) {
    CLAZY_FORWARD(png, png_get_io_ptr);
    return clazy_fp_png_get_io_ptr(png_ptr);
}

void png_set_read_fn(png_structrp png_ptr, png_voidp io_ptr, png_rw_ptr read_data_fn) {
    CLAZY_FORWARD(png, png_set_read_fn);
    clazy_fp_png_set_read_fn(png_ptr, io_ptr, read_data_fn);
}

void png_set_user_limits(png_structrp png_ptr, png_uint_32 user_width_max, png_uint_32 user_height_max) {
    CLAZY_FORWARD(png, png_set_user_limits);
    clazy_fp_png_set_user_limits(png_ptr, user_width_max, user_height_max);
}

void png_set_chunk_cache_max(png_structrp png_ptr, png_uint_32 user_chunk_cache_max) {
    CLAZY_FORWARD(png, png_set_chunk_cache_max);
    clazy_fp_png_set_chunk_cache_max(png_ptr, user_chunk_cache_max);
}

void png_set_chunk_malloc_max(png_structrp png_ptr, png_alloc_size_t user_chunk_cache_max) {
    CLAZY_FORWARD(png, png_set_chunk_malloc_max);
    clazy_fp_png_set_chunk_malloc_max(png_ptr, user_chunk_cache_max);
}

void png_set_benign_errors(png_structrp png_ptr, int allowed) {
    CLAZY_FORWARD(png, png_set_benign_errors);
    clazy_fp_png_set_benign_errors(png_ptr, allowed);
}

void png_set_keep_unknown_chunks(png_structrp png_ptr, int keep, png_const_bytep chunk_list, int num_chunks) {
    CLAZY_FORWARD(png, png_set_keep_unknown_chunks);
    clazy_fp_png_set_keep_unknown_chunks(png_ptr, keep, chunk_list, num_chunks);
}

void png_set_crc_action(png_structrp png_ptr, int crit_action, int ancil_action) {
    CLAZY_FORWARD(png, png_set_crc_action);
    clazy_fp_png_set_crc_action(png_ptr, crit_action, ancil_action);
}

void png_read_info(png_structrp png_ptr, png_inforp info_ptr) {
    CLAZY_FORWARD(png, png_read_info);
    clazy_fp_png_read_info(png_ptr, info_ptr);
}

png_uint_32 png_get_IHDR(png_const_structrp png_ptr, png_const_inforp info_ptr, png_uint_32 *width,
                         png_uint_32 *height, int *bit_depth, int *color_type, int *interlace_method,
                         int *compression_method, int *filter_method) {
    CLAZY_FORWARD(png, png_get_IHDR);
    return clazy_fp_png_get_IHDR(png_ptr, info_ptr, width, height, bit_depth, color_type, interlace_method,
                                 compression_method, filter_method);
}

png_uint_32 png_get_PLTE(png_const_structrp png_ptr, png_inforp info_ptr, png_colorp *palette, int *num_palette) {
    CLAZY_FORWARD(png, png_get_PLTE);
    return clazy_fp_png_get_PLTE(png_ptr, info_ptr, palette, num_palette);
}

int png_set_interlace_handling(png_structrp png_ptr) {
    CLAZY_FORWARD(png, png_set_interlace_handling);
    return clazy_fp_png_set_interlace_handling(png_ptr);
}

void png_set_read_user_transform_fn(png_structrp png_ptr, png_user_transform_ptr read_user_transform_fn) {
    CLAZY_FORWARD(png, png_set_read_user_transform_fn);
    clazy_fp_png_set_read_user_transform_fn(png_ptr, read_user_transform_fn);
}

void png_set_user_transform_info(png_structrp png_ptr, png_voidp user_transform_ptr, int user_transform_depth,
                                 int user_transform_channels) {
    CLAZY_FORWARD(png, png_set_user_transform_info);
    clazy_fp_png_set_user_transform_info(png_ptr, user_transform_ptr, user_transform_depth, user_transform_channels);
}

png_voidp png_get_user_transform_ptr(png_const_structrp png_ptr) {
    CLAZY_FORWARD(png, png_get_user_transform_ptr);
    return clazy_fp_png_get_user_transform_ptr(png_ptr);
}

void png_read_update_info(png_structrp png_ptr, png_inforp info_ptr) {
    CLAZY_FORWARD(png, png_read_update_info);
    clazy_fp_png_read_update_info(png_ptr, info_ptr);
}

void png_read_image(png_structrp png_ptr, png_bytepp image) {
    CLAZY_FORWARD(png, png_read_image);
    clazy_fp_png_read_image(png_ptr, image);
}
