#include "regf/bins.h"

static bool bin_header_ok(const uint8_t *bins, uint32_t pos, uint32_t total, uint32_t *size)
{
    const uint8_t *b = bins + pos;

    if (total - pos < REGF_BIN_HEADER || memcmp(b, "hbin", 4) != 0)
        return false;
    *size = wr_le32(b + 8);
    return wr_le32(b + 4) == pos && *size >= WR_REGF_BIN_ALIGN && *size % WR_REGF_BIN_ALIGN == 0 &&
           *size <= total - pos;
}

static void report_bin(struct regf_report *r, const uint8_t *bins, uint32_t pos, uint32_t total)
{
    const uint8_t *b = bins + pos;
    uint32_t size = wr_le32(b + 8);

    if (memcmp(b, "hbin", 4) != 0)
        wr_regf_report(r, WR_REGF_F_BIN_SIGNATURE, REGF_BINS + pos,
                    "no \"hbin\" signature at file offset 0x%x", REGF_BINS + pos);
    else if (wr_le32(b + 4) != pos)
        wr_regf_report(r, WR_REGF_F_BIN_OFFSET, REGF_BINS + pos + 4,
                    "bin at 0x%x says it is at 0x%x", pos, wr_le32(b + 4));
    else
        wr_regf_report(r, WR_REGF_F_BIN_SIZE, REGF_BINS + pos + 8,
                    "bin at 0x%x has size 0x%x (bins end at 0x%x)", pos, size, total);
}

/* Marks the allocated cells of one bin; false when a cell is broken. */
static bool scan_cells(struct wr_regf_hive *h, struct regf_report *r, uint32_t bin, uint32_t end)
{
    const uint8_t *bins = regf_bins(h);

    for (uint32_t pos = bin + REGF_BIN_HEADER; pos < end;) {
        int32_t raw = (int32_t)wr_le32(bins + pos);
        uint32_t size = raw < 0 ? (uint32_t)0 - (uint32_t)raw : (uint32_t)raw;
        if (size < 8 || size % 8 != 0 || size > end - pos) {
            wr_regf_report(r, WR_REGF_F_CELL_SIZE, REGF_BINS + pos,
                        "cell at 0x%x has size %d (bin 0x%x..0x%x)", pos, raw, bin, end);
            return false;
        }
        if (raw < 0)
            regf_cell_set(h->cells, pos, true);
        pos += size;
    }
    return true;
}

uint32_t wr_regf_scan_bins(struct wr_regf_hive *h, struct regf_report *r, bool salvage)
{
    const uint8_t *bins = regf_bins(h);
    uint32_t total = h->bins_size;
    uint32_t pos = 0;

    while (pos < total) {
        uint32_t size;
        if (!bin_header_ok(bins, pos, total, &size)) {
            report_bin(r, bins, pos, total);
            if (!salvage)
                return pos;
            pos += WR_REGF_BIN_ALIGN;
            continue;
        }
        if (!scan_cells(h, r, pos, pos + size) && !salvage)
            return pos;
        pos += size;
    }
    return total;
}

bool wr_regf_bin_of(const struct wr_regf_hive *h, uint32_t off, uint32_t *start, uint32_t *end)
{
    const uint8_t *bins = regf_bins(h);

    for (uint32_t pos = 0; pos < h->bins_size;) {
        uint32_t size;
        if (!bin_header_ok(bins, pos, h->bins_size, &size))
            return false;
        if (off < pos + size) {
            *start = pos;
            *end = pos + size;
            return off >= pos + REGF_BIN_HEADER;
        }
        pos += size;
    }
    return false;
}
