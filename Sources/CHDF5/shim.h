#pragma once
/* HDF5 1.10 exposes its type and property-list ids through macros over globals
   (`H5T_NATIVE_FLOAT` is `(H5OPEN H5T_NATIVE_FLOAT_g)`), which Swift cannot import.
   These wrappers give Swift a function or constant for each one Tinify uses. */
/* Debian installs the serial build's headers under hdf5/serial; other systems put hdf5.h on the
   include path itself. */
#if __has_include(<hdf5.h>)
#include <hdf5.h>
#else
#include <hdf5/serial/hdf5.h>
#endif

/* libhdf5 is loaded on first use (Sources/CLazyLibraries): the ids behind macros such as
   H5T_NATIVE_FLOAT are globals of the loaded library, read through this function. */
extern hid_t clazy_hdf5_global(const char *name);

static const hid_t chdf5_P_DEFAULT = H5P_DEFAULT;
static const hid_t chdf5_E_DEFAULT = H5E_DEFAULT;
static const hid_t chdf5_S_ALL = H5S_ALL;
static inline unsigned chdf5_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned chdf5_ACC_RDWR(void) { return H5F_ACC_RDWR; }
static inline unsigned chdf5_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned chdf5_ACC_EXCL(void) { return H5F_ACC_EXCL; }
static inline hid_t chdf5_P_DATASET_CREATE(void) { return clazy_hdf5_global("H5P_CLS_DATASET_CREATE_ID_g"); }
static inline hid_t chdf5_P_LINK_CREATE(void) { return clazy_hdf5_global("H5P_CLS_LINK_CREATE_ID_g"); }
static inline hid_t chdf5_P_FILE_ACCESS(void) { return clazy_hdf5_global("H5P_CLS_FILE_ACCESS_ID_g"); }
static inline hid_t chdf5_P_FILE_CREATE(void) { return clazy_hdf5_global("H5P_CLS_FILE_CREATE_ID_g"); }
static inline hid_t chdf5_T_NATIVE_FLOAT(void) { return clazy_hdf5_global("H5T_NATIVE_FLOAT_g"); }
static inline hid_t chdf5_T_NATIVE_DOUBLE(void) { return clazy_hdf5_global("H5T_NATIVE_DOUBLE_g"); }
static inline hid_t chdf5_T_NATIVE_INT8(void) { return clazy_hdf5_global("H5T_NATIVE_INT8_g"); }
static inline hid_t chdf5_T_NATIVE_INT32(void) { return clazy_hdf5_global("H5T_NATIVE_INT32_g"); }
static inline hid_t chdf5_T_NATIVE_INT64(void) { return clazy_hdf5_global("H5T_NATIVE_INT64_g"); }
static inline hid_t chdf5_T_NATIVE_UINT8(void) { return clazy_hdf5_global("H5T_NATIVE_UINT8_g"); }
static inline hid_t chdf5_T_IEEE_F32LE(void) { return clazy_hdf5_global("H5T_IEEE_F32LE_g"); }
static inline hid_t chdf5_T_IEEE_F64LE(void) { return clazy_hdf5_global("H5T_IEEE_F64LE_g"); }
static inline hid_t chdf5_T_STD_I8LE(void) { return clazy_hdf5_global("H5T_STD_I8LE_g"); }
static inline hid_t chdf5_T_STD_I16LE(void) { return clazy_hdf5_global("H5T_STD_I16LE_g"); }
static inline hid_t chdf5_T_STD_I32LE(void) { return clazy_hdf5_global("H5T_STD_I32LE_g"); }
static inline hid_t chdf5_T_STD_I64LE(void) { return clazy_hdf5_global("H5T_STD_I64LE_g"); }
static inline hid_t chdf5_T_STD_U8LE(void) { return clazy_hdf5_global("H5T_STD_U8LE_g"); }
static inline hid_t chdf5_T_STD_U16LE(void) { return clazy_hdf5_global("H5T_STD_U16LE_g"); }
static inline hid_t chdf5_T_STD_U32LE(void) { return clazy_hdf5_global("H5T_STD_U32LE_g"); }
static inline hid_t chdf5_T_STD_U64LE(void) { return clazy_hdf5_global("H5T_STD_U64LE_g"); }
static inline hid_t chdf5_T_C_S1(void) { return clazy_hdf5_global("H5T_C_S1_g"); }
static inline size_t chdf5_T_VARIABLE(void) { return H5T_VARIABLE; }
static inline hsize_t chdf5_S_UNLIMITED(void) { return H5S_UNLIMITED; }
static inline hid_t chdf5_P_GROUP_CREATE(void) { return clazy_hdf5_global("H5P_CLS_GROUP_CREATE_ID_g"); }
static inline haddr_t chdf5_HADDR_UNDEF(void) { return HADDR_UNDEF; }
