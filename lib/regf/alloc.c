#include "regf/alloc.h"

#include "regf/bins.h"

static uint32_t cell_size(const struct wr_regf_hive *h, uint32_t pos)
{
    int32_t raw = (int32_t)wr_le32(regf_bins(h) + pos);
    return raw < 0 ? (uint32_t)0 - (uint32_t)raw : (uint32_t)raw;
}

static bool cell_free(const struct wr_regf_hive *h, uint32_t pos)
{
    return (int32_t)wr_le32(regf_bins(h) + pos) > 0;
}

uint8_t *wr_regf_edit(struct wr_regf_hive *h, uint32_t off)
{
    wr_regf_mark(h, REGF_BINS + (size_t)off, cell_size(h, off));
    return regf_wcell(h, off);
}

/* Takes `need` bytes from the start of free cell pos (size `have`). */
static void take(struct wr_regf_hive *h, uint32_t pos, uint32_t have, uint32_t need)
{
    uint8_t *bins = regf_bins(h);

    if (have - need < 8)
        need = have; /* a remainder under 8 bytes cannot be a cell */
    else
        wr_put_le32(bins + pos + need, have - need);
    wr_put_le32(bins + pos, (uint32_t)-(int32_t)need);
    memset(bins + pos + 4, 0, need - 4);
    regf_cell_set(h->cells, pos, true);
    wr_regf_mark(h, REGF_BINS + (size_t)pos, have);
}

static bool first_fit(struct wr_regf_hive *h, uint32_t need, uint32_t *off)
{
    const uint8_t *bins = regf_bins(h);

    for (uint32_t bin = 0; bin < h->bins_size;) {
        uint32_t bin_size = wr_le32(bins + bin + 8);
        for (uint32_t pos = bin + 32; pos < bin + bin_size;) {
            uint32_t size = cell_size(h, pos);
            if (cell_free(h, pos) && size >= need) {
                take(h, pos, size, need);
                *off = pos;
                return true;
            }
            pos += size;
        }
        bin += bin_size;
    }
    return false;
}

/* Appends one bin big enough for a cell of `need` bytes, covered by one
 * free cell. */
static wr_status grow(struct wr_regf_hive *h, uint32_t need, struct wr_err *err)
{
    uint32_t size = (need + 32 + WR_REGF_BIN_ALIGN - 1) / WR_REGF_BIN_ALIGN * WR_REGF_BIN_ALIGN;
    uint32_t at = h->bins_size;
    size_t old_cells = regf_cell_map_size(h->bins_size);
    size_t old_dirty = (h->len / WR_REGF_UNIT + 7) / 8 + 1;

    if (size > REGF_MAX_HIVE - at)
        return wr_fail(err, WR_E_TOO_BIG, "%s: the hive would grow past 1 GiB", wr_regf_name(h));
    size_t len = h->len + size;
    size_t cells_len = regf_cell_map_size(at + size);
    size_t dirty_len = (len / WR_REGF_UNIT + 7) / 8 + 1;
    uint8_t *img = wr_realloc(h->img, len);
    if (!img)
        return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory growing the hive", wr_regf_name(h));
    h->img = img;
    uint8_t *cells = wr_realloc(h->cells, cells_len);
    if (!cells)
        return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory growing the hive", wr_regf_name(h));
    h->cells = cells;
    uint8_t *dirty = wr_realloc(h->dirty, dirty_len);
    if (!dirty)
        return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory growing the hive", wr_regf_name(h));
    h->dirty = dirty;
    memset(cells + old_cells, 0, cells_len - old_cells);
    memset(dirty + old_dirty, 0, dirty_len - old_dirty);
    uint8_t *bin = img + h->len;
    memset(bin, 0, size);
    memcpy(bin, "hbin", 4);
    wr_put_le32(bin + 4, at);
    wr_put_le32(bin + 8, size);
    wr_put_le32(bin + 32, size - 32);
    h->len = len;
    h->bins_size = at + size;
    wr_regf_bb_set_bins_size(h->img, h->bins_size);
    wr_regf_mark(h, 0, WR_REGF_BASE_BLOCK_SIZE);
    wr_regf_mark(h, REGF_BINS + (size_t)at, size);
    return WR_OK;
}

wr_status wr_regf_alloc(struct wr_regf_hive *h, uint32_t payload, uint32_t *off,
                     struct wr_err *err)
{
    uint32_t need;

    if (payload > REGF_MAX_HIVE)
        return wr_fail(err, WR_E_TOO_BIG, "%s: a %u-byte cell is too large", wr_regf_name(h),
                       payload);
    need = (payload + 4 + 7) & ~7u;
    if (first_fit(h, need, off))
        return WR_OK;
    wr_status st = grow(h, need, err);
    if (st != WR_OK)
        return st;
    if (!first_fit(h, need, off))
        return wr_fail(err, WR_E_CORRUPT, "%s: no room after growing", wr_regf_name(h));
    return WR_OK;
}

void wr_regf_free(struct wr_regf_hive *h, uint32_t off)
{
    uint8_t *bins = regf_bins(h);
    uint32_t start, end, size = cell_size(h, off), prev = WR_REGF_NIL;

    if (!regf_is_cell(h, off) || !wr_regf_bin_of(h, off, &start, &end))
        return;
    regf_cell_set(h->cells, off, false);
    memset(bins + off + 4, 0, size - 4);
    wr_regf_mark(h, REGF_BINS + (size_t)off, size);
    for (uint32_t pos = start + 32; pos < off; pos += cell_size(h, pos))
        prev = pos;
    uint32_t next = off + size;
    if (next < end && cell_free(h, next)) {
        uint32_t next_size = cell_size(h, next);
        memset(bins + next, 0, 4);
        size += next_size;
    }
    if (prev != WR_REGF_NIL && cell_free(h, prev)) {
        memset(bins + off, 0, 4);
        off = prev;
        size += cell_size(h, prev);
    }
    wr_put_le32(bins + off, size);
    wr_regf_mark(h, REGF_BINS + (size_t)off, size);
}
