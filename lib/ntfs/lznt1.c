/* LZNT1 (MS-XCA §2.5), the NTFS compression: chunks of at most 4096 output
 * bytes, each bounded against both buffers. */
#include "ntfs/internal.h"

static wr_status chunk(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len,
                       size_t *produced, struct wr_err *err)
{
    size_t ip = 0, op = 0;

    while (ip < in_len && op < out_len) {
        uint8_t flags = in[ip++];

        for (int bit = 0; bit < 8 && ip < in_len && op < out_len; bit++, flags >>= 1) {
            uint16_t tok;
            unsigned shift = 12;
            size_t disp, len;

            if (!(flags & 1)) {
                out[op++] = in[ip++];
                continue;
            }
            if (in_len - ip < 2)
                return wr_fail(err, WR_E_CORRUPT, "LZNT1: back-reference cut off");
            tok = wr_le16(in + ip);
            ip += 2;
            for (size_t i = op - 1; i >= 0x10 && op > 0; i >>= 1)
                shift--;
            disp = (size_t)(tok >> shift) + 1;
            len = (size_t)(tok & ((1u << shift) - 1)) + 3;
            if (disp > op)
                return wr_fail(err, WR_E_CORRUPT, "LZNT1: back-reference %zu before the start "
                               "of the chunk (at %zu)", disp, op);
            if (len > out_len - op)
                len = out_len - op;
            for (size_t i = 0; i < len; i++, op++)
                out[op] = out[op - disp];
        }
    }
    *produced = op;
    return WR_OK;
}

wr_status wr_ntfs_lznt1_decompress(const uint8_t *in, size_t in_len, uint8_t *out,
                                   size_t out_len, struct wr_err *err)
{
    size_t ip = 0, op = 0;

    while (op < out_len && in_len - ip >= 2) {
        uint16_t h = wr_le16(in + ip);
        size_t size = (size_t)(h & 0x0FFF) + 1, room, got = 0;
        wr_status st;

        if (h == 0)
            break;
        ip += 2;
        if (size > in_len - ip)
            return wr_fail(err, WR_E_CORRUPT, "LZNT1: chunk of %zu bytes at input %zu runs past "
                           "the compressed data", size, ip - 2);
        room = out_len - op < 4096 ? out_len - op : 4096;
        if (h & 0x8000) {
            st = chunk(in + ip, size, out + op, room, &got, err);
            if (st)
                return st;
        } else {
            got = size < room ? size : room;
            memcpy(out + op, in + ip, got);
        }
        /* A short chunk other than the last still occupies 4096 bytes. */
        if (got < room && op + room < out_len) {
            memset(out + op + got, 0, room - got);
            got = room;
        }
        op += got;
        ip += size;
    }
    memset(out + op, 0, out_len - op);
    return WR_OK;
}
