/* Cell allocation for the editor (regf-format.md §4, §3 "Writer"): first
 * fit with splitting, freeing with zeroing and merging of free neighbours,
 * and growth by whole bins. Allocation may move the image (realloc), so
 * callers hold offsets, never pointers, across it. */
#ifndef WR_REGF_ALLOC_H
#define WR_REGF_ALLOC_H

#include "regf/hive.h"

/* A zeroed allocated cell with room for `payload` bytes of record. */
wr_status wr_regf_alloc(struct wr_regf_hive *h, uint32_t payload, uint32_t *off,
                     struct wr_err *err);
/* Frees an allocated cell: zeroes it and merges it with free neighbours. */
void wr_regf_free(struct wr_regf_hive *h, uint32_t off);

/* The record of allocated cell off, for writing; marks the cell dirty. */
uint8_t *wr_regf_edit(struct wr_regf_hive *h, uint32_t off);

#endif
