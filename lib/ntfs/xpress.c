/* XPRESS with Huffman coding (MS-XCA §2.2), as WOF stores Compact OS files.
 * Code lengths are validated while building the table; every input read and
 * every match is bounded; output stops at exactly out_len bytes. */
#include "ntfs/internal.h"

#define SYMS 512
#define MAXLEN 15
#define NONE 0xFFFFu

static wr_status build_table(const uint8_t *lens_in, uint16_t *table, uint8_t *lens,
                             struct wr_err *err)
{
    uint32_t filled = 0;

    for (unsigned s = 0; s < SYMS; s++)
        lens[s] = (uint8_t)((lens_in[s / 2] >> (4 * (s & 1))) & 0x0F);
    /* Canonical codes in (length, symbol) order fill the table front to back. */
    for (unsigned l = 1; l <= MAXLEN; l++) {
        for (unsigned s = 0; s < SYMS; s++) {
            uint32_t span = 1u << (MAXLEN - l);

            if (lens[s] != l)
                continue;
            if (filled + span > XPRESS_TABLE_ENTRIES)
                return wr_fail(err, WR_E_CORRUPT, "XPRESS: Huffman code lengths over-subscribed");
            for (uint32_t i = 0; i < span; i++)
                table[filled + i] = (uint16_t)s;
            filled += span;
        }
    }
    if (filled == 0)
        return wr_fail(err, WR_E_CORRUPT, "XPRESS: empty Huffman table");
    for (uint32_t i = filled; i < XPRESS_TABLE_ENTRIES; i++)
        table[i] = NONE;
    return WR_OK;
}

struct bits {
    const uint8_t *in;
    size_t len, pos;
    uint32_t buf;
    int avail; /* bits valid below the top of buf beyond the first 16 */
};

static uint16_t word(struct bits *b)
{
    uint16_t w = 0;

    if (b->len - b->pos >= 2)
        w = wr_le16(b->in + b->pos);
    if (b->pos < b->len)
        b->pos += b->len - b->pos >= 2 ? 2 : 1;
    return w;
}

static void consume(struct bits *b, unsigned n)
{
    if (n == 0)
        return;
    b->buf <<= n;
    b->avail -= (int)n;
    if (b->avail < 0) {
        b->buf |= (uint32_t)word(b) << -b->avail;
        b->avail += 16;
    }
}

static wr_status block(struct bits *b, const uint16_t *table, const uint8_t *lens, uint8_t *out,
                       size_t *op, size_t out_len, struct wr_err *err)
{
    size_t end = out_len - *op > 65536 ? *op + 65536 : out_len;

    while (*op < end) {
        uint16_t sym = table[b->buf >> (32 - MAXLEN)];
        size_t len, off;
        unsigned obits;

        if (sym == NONE)
            return wr_fail(err, WR_E_CORRUPT, "XPRESS: invalid Huffman code at output %zu", *op);
        consume(b, lens[sym]);
        if (sym < 256) {
            out[(*op)++] = (uint8_t)sym;
            continue;
        }
        len = sym & 15;
        obits = (sym >> 4) & 15;
        if (len == 15) {
            if (b->pos >= b->len)
                return wr_fail(err, WR_E_CORRUPT, "XPRESS: match length cut off");
            len = b->in[b->pos++];
            if (len == 255) {
                if (b->len - b->pos < 2)
                    return wr_fail(err, WR_E_CORRUPT, "XPRESS: match length cut off");
                len = wr_le16(b->in + b->pos);
                b->pos += 2;
                if (len == 0) {
                    if (b->len - b->pos < 4)
                        return wr_fail(err, WR_E_CORRUPT, "XPRESS: match length cut off");
                    len = wr_le32(b->in + b->pos);
                    b->pos += 4;
                }
                if (len < 15)
                    return wr_fail(err, WR_E_CORRUPT, "XPRESS: match length %zu invalid", len);
                len -= 15;
            }
            len += 15;
        }
        len += 3;
        off = obits ? (b->buf >> (32 - obits)) : 0;
        off += (size_t)1 << obits;
        consume(b, obits);
        if (off > *op)
            return wr_fail(err, WR_E_CORRUPT, "XPRESS: match offset %zu before the start of the "
                           "chunk (at %zu)", off, *op);
        if (len > out_len - *op)
            len = out_len - *op;
        for (size_t i = 0; i < len; i++, (*op)++)
            out[*op] = out[*op - off];
    }
    return WR_OK;
}

wr_status wr_ntfs_xpress_decompress(const uint8_t *in, size_t in_len, uint8_t *out,
                                    size_t out_len, uint16_t *table, struct wr_err *err)
{
    uint8_t lens[SYMS];
    size_t op = 0, ip = 0;
    wr_status st;

    while (op < out_len) {
        struct bits b;

        if (in_len - ip < 256 + 4)
            return wr_fail(err, WR_E_CORRUPT, "XPRESS: input ends at %zu before output %zu of %zu",
                           ip, op, out_len);
        st = build_table(in + ip, table, lens, err);
        if (st)
            return st;
        b.in = in;
        b.len = in_len;
        b.pos = ip + 256;
        b.buf = (uint32_t)word(&b) << 16;
        b.buf |= word(&b);
        b.avail = 16;
        st = block(&b, table, lens, out, &op, out_len, err);
        if (st)
            return st;
        ip = b.pos;
    }
    return WR_OK;
}
