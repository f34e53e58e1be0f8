/* Old-format transaction logs: a DIRT bitmap plus 512-byte pages
 * (regf-format.md §11.1). */
#include "base/bytes.h"
#include "base/fmt.h"
#include "regf/log_internal.h"

static bool bit_set(const uint8_t *bitmap, uint32_t i)
{
    return (bitmap[i / 8] >> (i % 8)) & 1;
}

bool wr_regf_dirt_parse(const uint8_t *log, size_t len, struct wr_regf_dirt *d,
                        char *why, size_t why_size)
{
    d->bins_size = wr_le32(log + WR_REGF_OFF_BINS);
    if (d->bins_size == 0 || d->bins_size % 4096 || d->bins_size > WR_REGF_MAX_BINS) {
        wr_format(why, why_size, "bins size 0x%x in the log header is not a multiple of 4096",
                  d->bins_size);
        return false;
    }
    uint32_t bits = d->bins_size / WR_REGF_PAGE;
    size_t vec = WR_REGF_LOG_HDR + 4;
    if (!wr_span_ok(WR_REGF_LOG_HDR, 4 + (size_t)bits / 8, len)) {
        wr_format(why, why_size, "dirty vector truncated (log is %zu bytes)", len);
        return false;
    }
    if (memcmp(log + WR_REGF_LOG_HDR, "DIRT", 4) != 0) {
        wr_format(why, why_size, "no DIRT signature at offset 0x200");
        return false;
    }
    d->bitmap = log + vec;
    d->ndirty = 0;
    for (uint32_t i = 0; i < bits; i++)
        d->ndirty += bit_set(d->bitmap, i);
    size_t start = (vec + bits / 8 + WR_REGF_PAGE - 1) / WR_REGF_PAGE * WR_REGF_PAGE;
    if (!wr_span_ok(start, (size_t)d->ndirty * WR_REGF_PAGE, len)) {
        wr_format(why, why_size, "%u dirty pages do not fit in the log (%zu bytes)",
                  d->ndirty, len);
        return false;
    }
    if (d->ndirty == 0) {
        wr_format(why, why_size, "the dirty vector is empty");
        return false;
    }
    d->pages = log + start;
    return true;
}

wr_status wr_regf_dirt_apply(struct wr_regf_img *im, const struct wr_regf_dirt *d,
                             const char *name, uint32_t *pages, struct wr_err *err)
{
    wr_status st = wr_regf_img_grow(im, WR_REGF_BASE_SIZE + (size_t)d->bins_size, name, err);
    if (st)
        return st;
    const uint8_t *src = d->pages;
    for (uint32_t i = 0; i < d->bins_size / WR_REGF_PAGE; i++) {
        if (!bit_set(d->bitmap, i))
            continue;
        memcpy(im->data + WR_REGF_BASE_SIZE + (size_t)i * WR_REGF_PAGE, src, WR_REGF_PAGE);
        src += WR_REGF_PAGE;
        (*pages)++;
    }
    return WR_OK;
}
