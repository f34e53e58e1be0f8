/* A tiny XPRESS-Huffman (MS-XCA §2.1-2.3) compressor for test images: greedy
 * LZ77 with one hash probe and a fixed code (all 512 symbols 9 bits long).
 * Poor ratio, but real Huffman-coded matches for the reader to decode. */
#ifndef NTFS_MKIMG_XPRESS_ENC_H
#define NTFS_MKIMG_XPRESS_ENC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct xp_out {
    uint8_t *buf, *end;
    uint8_t *next_bits, *next_bits2, *next_byte;
    uint32_t bitbuf;
    unsigned bitcount;
    int overflow;
};

static void xp_put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

/* Bits go into 16-bit words, most significant first; extra length bytes go
 * in between, at the place the decoder will have reached (wimlib's scheme). */
static void xp_bits(struct xp_out *o, uint32_t bits, unsigned n)
{
    o->bitbuf = (o->bitbuf << n) | bits;
    o->bitcount += n;
    if (o->bitcount > 16) {
        o->bitcount -= 16;
        if (o->next_byte + 2 > o->end) {
            o->overflow = 1;
            return;
        }
        xp_put16(o->next_bits, (o->bitbuf >> o->bitcount) & 0xFFFF);
        o->next_bits = o->next_bits2;
        o->next_bits2 = o->next_byte;
        o->next_byte += 2;
    }
}

static void xp_byte(struct xp_out *o, uint8_t b)
{
    if (o->next_byte >= o->end) {
        o->overflow = 1;
        return;
    }
    *o->next_byte++ = b;
}

static unsigned xp_log2(uint32_t v)
{
    unsigned r = 0;
    while (v >>= 1)
        r++;
    return r;
}

/* Returns the compressed size, or 0 when it would not fit in cap. */
static size_t xpress_compress(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    static int32_t head[1 << 14];
    struct xp_out o;
    size_t i = 0;

    if (cap < 256 + 8)
        return 0;
    memset(out, 0x99, 256); /* every symbol 9 bits: code of symbol s is s */
    o = (struct xp_out){ .buf = out, .end = out + cap, .next_bits = out + 256,
                         .next_bits2 = out + 258, .next_byte = out + 260 };
    for (size_t k = 0; k < (1 << 14); k++)
        head[k] = -1;
    while (i < n && !o.overflow) {
        size_t best = 0, off = 0;

        if (n - i >= 3) {
            uint32_t h = ((uint32_t)in[i] << 16 | in[i + 1] << 8 | in[i + 2]) * 2654435761u >> 18;
            int32_t cand = head[h];

            head[h] = (int32_t)i;
            if (cand >= 0 && i - (size_t)cand < 65536) {
                size_t l = 0;
                while (i + l < n && in[cand + l] == in[i + l] && l < 65535)
                    l++;
                if (l >= 3) {
                    best = l;
                    off = i - (size_t)cand;
                }
            }
        }
        if (!best) {
            xp_bits(&o, in[i++], 9);
            continue;
        }
        unsigned ob = xp_log2((uint32_t)off), lc = best - 3 < 15 ? (unsigned)(best - 3) : 15;

        xp_bits(&o, 256 + (ob << 4) + lc, 9);
        if (lc == 15) {
            if (best - 3 - 15 < 255) {
                xp_byte(&o, (uint8_t)(best - 3 - 15));
            } else {
                xp_byte(&o, 255);
                xp_byte(&o, (uint8_t)(best - 3));
                xp_byte(&o, (uint8_t)((best - 3) >> 8));
            }
        }
        xp_bits(&o, (uint32_t)(off - (1u << ob)), ob);
        i += best;
    }
    xp_bits(&o, 256, 9); /* end-of-data symbol, as Windows writes it */
    if (o.overflow || o.next_byte + 4 > o.end)
        return 0;
    xp_put16(o.next_bits, (o.bitbuf << (16 - o.bitcount)) & 0xFFFF);
    xp_put16(o.next_bits2, 0);
    return (size_t)(o.next_byte - out);
}

#endif
