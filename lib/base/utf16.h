/* UTF-16LE (as Windows stores names) <-> UTF-8.
 *
 * Unpaired surrogates are kept by default, encoded as WTF-8 (the 3-byte form
 * of the surrogate code point), so a name survives a round trip byte for
 * byte. WR_UTF16_REPLACE maps them to U+FFFD for display instead. */
#ifndef WR_BASE_UTF16_H
#define WR_BASE_UTF16_H

#include "base/status.h"

enum {
    WR_UTF16_STOP_AT_NUL = 1, /* treat a 0 code unit as the end */
    WR_UTF16_REPLACE = 2,     /* lone surrogates become U+FFFD */
};

/* Converts `units` code units from src. Writes at most dst_size-1 bytes plus
 * a NUL (dst may be NULL when dst_size is 0) and returns the full length. */
size_t wr_utf16le_to_utf8(const uint8_t *src, size_t units, char *dst,
                          size_t dst_size, unsigned flags);

/* Same, into a new allocation the caller frees with wr_free. */
wr_status wr_utf16le_to_utf8_alloc(const uint8_t *src, size_t units, unsigned flags,
                                   char **out, struct wr_err *err);

/* Converts len bytes of UTF-8 (WTF-8 surrogates accepted) to UTF-16LE.
 * dst holds dst_units code units; *out_units receives the count needed. */
wr_status wr_utf8_to_utf16le(const char *src, size_t len, uint8_t *dst,
                             size_t dst_units, size_t *out_units, struct wr_err *err);

#endif
