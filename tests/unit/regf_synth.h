/* A minimal hive image for the log, commit and power-cut tests: a version
 * 1.3 base block and `bins` bytes of 4 KiB bins with their headers, cells
 * left zero for each test to fill as it needs. */
#ifndef WR_TESTS_REGF_SYNTH_H
#define WR_TESTS_REGF_SYNTH_H

#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "regf/baseblock.h"

static inline uint8_t *regf_synth_image(uint32_t bins, uint32_t seq1, uint32_t seq2)
{
    uint8_t *h = calloc(1, 4096 + (size_t)bins);

    if (!h)
        return NULL;
    memcpy(h, "regf", 4);
    wr_put_le32(h + WR_REGF_BB_MAJOR, 1);
    wr_put_le32(h + WR_REGF_BB_MINOR, 3);
    wr_put_le32(h + WR_REGF_BB_FORMAT, 1);
    wr_put_le32(h + WR_REGF_BB_ROOT, 0x20);
    wr_put_le32(h + WR_REGF_BB_BINS_SIZE, bins);
    wr_put_le32(h + WR_REGF_BB_CLUSTER, 1);
    wr_regf_bb_set_seq(h, seq1, seq2);
    for (uint32_t off = 0; off < bins; off += 4096) {
        memcpy(h + 4096 + off, "hbin", 4);
        wr_put_le32(h + 4096 + off + 4, off);
        wr_put_le32(h + 4096 + off + 8, 4096);
    }
    return h;
}

#endif
