#include <zlib.h>

/// zlib's init macros pass the library's version and stream size; Swift cannot call macros.
static inline int czlib_deflate_init_raw(z_streamp stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, -windowBits, 8, Z_DEFAULT_STRATEGY);
}

static inline int czlib_deflate_init_gzip(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

static inline int czlib_deflate_init_zlib(z_streamp stream, int level) {
    return deflateInit(stream, level);
}

static inline int czlib_inflate_init_raw(z_streamp stream, int windowBits) {
    return inflateInit2(stream, -windowBits);
}
