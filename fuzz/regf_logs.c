/* libFuzzer: log recovery on a mutated primary + two logs.
 * Input: le32 primary length, le32 LOG1 length, then the primary, LOG1,
 * and whatever is left as LOG2 (lengths are clamped to what is there).
 * Whatever recovery returns must be a clean hive image. */
#include <stdint.h>
#include <stdlib.h>

#include "base/bytes.h"
#include "regf/baseblock.h"
#include "regf/recover.h"

static size_t take(size_t left, uint32_t want)
{
    return want < left ? want : left;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 8)
        return 0;
    uint32_t plen_want = wr_le32(data), l1_want = wr_le32(data + 4);
    const uint8_t *p = data + 8;
    size_t left = size - 8;
    size_t plen = take(left, plen_want);
    const uint8_t *primary = p;
    p += plen;
    left -= plen;
    size_t l1 = take(left, l1_want);
    struct wr_regf_log logs[2] = {
        {"LOG1", p, l1},
        {"LOG2", p + l1, left - l1},
    };

    uint8_t *out = NULL;
    size_t out_len = 0;
    struct wr_regf_recover_report rep;
    struct wr_err err;
    wr_status st = wr_regf_recover("fuzz", primary, plen, logs, 2, &out, &out_len, &rep, &err);
    if (st == WR_OK) {
        if (!out || out_len < WR_REGF_BASE_BLOCK_SIZE || !wr_regf_bb_checksum_ok(out) ||
            wr_le32(out + WR_REGF_BB_SEQ1) != wr_le32(out + WR_REGF_BB_SEQ2) ||
            wr_le32(out + WR_REGF_BB_TYPE) != 0 || rep.final_seq != wr_le32(out + WR_REGF_BB_SEQ1))
            abort();
        uint32_t bins = wr_le32(out + WR_REGF_BB_BINS_SIZE);
        if (!wr_span_ok(WR_REGF_BASE_BLOCK_SIZE, bins, out_len))
            abort();
    } else if (out) {
        abort();
    }
    wr_free(out);
    return 0;
}
