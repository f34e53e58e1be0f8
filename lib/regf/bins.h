/* The hive bins (§3) and the cells inside them (§4): the scan that every
 * open starts with, which builds the map of allocated cell starts that all
 * later reads are checked against. */
#ifndef WR_REGF_BINS_H
#define WR_REGF_BINS_H

#include "regf/hive.h"
#include "regf/report.h"

#define REGF_BIN_HEADER 32u

/* Scans h->img[REGF_BINS .. REGF_BINS + h->bins_size) and fills h->cells
 * (allocated by the caller, zeroed). In salvage mode a broken bin is
 * skipped (the scan resumes at the next 4 KiB boundary holding a good bin
 * header) and a broken cell ends its bin. Returns the number of bytes of
 * bins that are usable. */
uint32_t wr_regf_scan_bins(struct wr_regf_hive *h, struct regf_report *r, bool salvage);

/* Bytes needed for a cell map of bins_size bytes. */
static inline size_t regf_cell_map_size(uint32_t bins_size)
{
    return (size_t)bins_size / 64 + 1;
}

static inline void regf_cell_set(uint8_t *map, uint32_t off, bool on)
{
    if (on)
        map[off >> 6] |= (uint8_t)(1u << ((off >> 3) & 7));
    else
        map[off >> 6] &= (uint8_t)~(1u << ((off >> 3) & 7));
}

/* The bin holding cell offset off: its start and end (bins-relative). */
bool wr_regf_bin_of(const struct wr_regf_hive *h, uint32_t off, uint32_t *start, uint32_t *end);

#endif
