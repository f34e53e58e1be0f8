/* New-format (HvLE) transaction log entries (regf-format.md §11.2). */
#include "base/bytes.h"
#include "base/fmt.h"
#include "regf/log_internal.h"
#include "regf/marvin32.h"

#define HVLE_HDR 40u

static bool bad(char *why, size_t size, const char *msg, size_t off)
{
    wr_format(why, size, "entry at log offset 0x%zx: %s", off, msg);
    return false;
}

/* Every page reference must lie inside the bins the entry declares, and the
 * pages together must fit in the entry. */
static bool refs_ok(const struct wr_regf_hvle *e, const uint8_t *end,
                    char *why, size_t why_size)
{
    uint64_t total = 0;
    for (uint32_t i = 0; i < e->npages; i++) {
        uint32_t off = wr_le32(e->refs + 8 * i), sz = wr_le32(e->refs + 8 * i + 4);
        if (sz == 0 || sz % WR_REGF_PAGE || off % WR_REGF_PAGE)
            return bad(why, why_size, "page reference not 512-aligned", e->off);
        if (!wr_span_ok(off, sz, e->bins_size))
            return bad(why, why_size, "page reference past the bins size", e->off);
        total += sz;
    }
    if (total > (uint64_t)(end - e->pages))
        return bad(why, why_size, "page data longer than the entry", e->off);
    return true;
}

bool wr_regf_hvle_parse(const uint8_t *log, size_t len, size_t off, uint32_t seq,
                        struct wr_regf_hvle *e, char *why, size_t why_size)
{
    if (!wr_span_ok(off, HVLE_HDR, len))
        return bad(why, why_size, "end of log", off);
    const uint8_t *p = log + off;
    if (memcmp(p, "HvLE", 4) != 0)
        return bad(why, why_size, "no HvLE signature", off);
    e->off = off;
    e->size = wr_le32(p + 4);
    e->flags = wr_le32(p + 8);
    e->seq = wr_le32(p + 12);
    e->bins_size = wr_le32(p + 16);
    e->npages = wr_le32(p + 20);
    if (e->size < WR_REGF_PAGE || e->size % WR_REGF_PAGE || !wr_span_ok(off, e->size, len))
        return bad(why, why_size, "bad entry size", off);
    if (e->bins_size == 0 || e->bins_size % 4096 || e->bins_size > WR_REGF_MAX_BINS)
        return bad(why, why_size, "bins size not a multiple of 4096", off);
    if (e->npages == 0 || e->npages > (e->size - HVLE_HDR) / 8)
        return bad(why, why_size, "bad dirty page count", off);
    if (wr_regf_marvin32(p + HVLE_HDR, e->size - HVLE_HDR, WR_REGF_MARVIN32_SEED) != wr_le64(p + 24))
        return bad(why, why_size, "hash-1 mismatch", off);
    if (wr_regf_marvin32(p, 32, WR_REGF_MARVIN32_SEED) != wr_le64(p + 32))
        return bad(why, why_size, "hash-2 mismatch", off);
    if (e->seq != seq) {
        char msg[64];
        wr_format(msg, sizeof msg, "sequence %u, expected %u", e->seq, seq);
        return bad(why, why_size, msg, off);
    }
    e->refs = p + HVLE_HDR;
    e->pages = e->refs + 8 * (size_t)e->npages;
    return refs_ok(e, p + e->size, why, why_size);
}

wr_status wr_regf_hvle_apply(struct wr_regf_img *im, const struct wr_regf_hvle *e,
                             const char *name, uint32_t *pages, struct wr_err *err)
{
    wr_status st = wr_regf_img_grow(im, WR_REGF_BASE_SIZE + (size_t)e->bins_size, name, err);
    if (st)
        return st;
    const uint8_t *src = e->pages;
    for (uint32_t i = 0; i < e->npages; i++) {
        uint32_t off = wr_le32(e->refs + 8 * i), sz = wr_le32(e->refs + 8 * i + 4);
        memcpy(im->data + WR_REGF_BASE_SIZE + off, src, sz);
        src += sz;
        *pages += sz / WR_REGF_PAGE;
    }
    wr_put_le32(im->data + WR_REGF_OFF_BINS, e->bins_size);
    uint32_t flags = wr_le32(im->data + WR_REGF_OFF_FLAGS);
    wr_put_le32(im->data + WR_REGF_OFF_FLAGS, (flags & ~1u) | (e->flags & 1u));
    return WR_OK;
}

void wr_regf_hvle_mark(const struct wr_regf_hvle *e, uint8_t *dirty)
{
    for (uint32_t i = 0; i < e->npages; i++) {
        uint32_t off = wr_le32(e->refs + 8 * i), sz = wr_le32(e->refs + 8 * i + 4);
        for (uint32_t b = off / 4096; b <= (off + sz - 1) / 4096; b++)
            dirty[b / 8] |= (uint8_t)(1u << (b % 8));
    }
}

uint32_t wr_regf_hvle_count(const uint8_t *log, size_t len, uint32_t seq, uint32_t *last)
{
    struct wr_regf_hvle e;
    char why[8];
    uint32_t n = 0;
    size_t off = WR_REGF_LOG_HDR;
    /* Each entry is at least 512 bytes, so this ends within len/512 steps. */
    while (wr_regf_hvle_parse(log, len, off, seq, &e, why, sizeof why)) {
        *last = seq++;
        n++;
        off += e.size;
    }
    return n;
}
