/* libFuzzer: log recovery on a mutated primary + two logs.
 * Input: le32 primary length, le32 LOG1 length, then the primary, LOG1,
 * and whatever is left as LOG2 (lengths are clamped to what is there).
 * Whatever recovery returns must be a clean hive image. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "regf/baseblock.h"
#include "regf/marvin32.h"
#include "regf/recover.h"

/* Mutations almost never keep Marvin32 hashes and header checksums valid,
 * which would hide everything behind the first check. When the top bit of
 * the LOG1 length is set, both are recomputed on a copy first. */
static void fix_log(uint8_t *log, size_t len)
{
    if (len < 512)
        return;
    wr_regf_bb_update_checksum(log);
    for (size_t off = 512, n = 0; n < 64 && off + 40 <= len; n++) {
        uint32_t size = wr_le32(log + off + 4);
        if (memcmp(log + off, "HvLE", 4) != 0 || size < 40 || size > len - off)
            break;
        wr_put_le64(log + off + 24, wr_regf_marvin32(log + off + 40, size - 40, WR_REGF_MARVIN32_SEED));
        wr_put_le64(log + off + 32, wr_regf_marvin32(log + off, 32, WR_REGF_MARVIN32_SEED));
        off += size;
    }
}

static size_t take(size_t left, uint32_t want)
{
    return want < left ? want : left;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 8)
        return 0;
    uint32_t plen_want = wr_le32(data), l1_want = wr_le32(data + 4) & 0x7FFFFFFFu;
    bool fix = (wr_le32(data + 4) & 0x80000000u) != 0;
    const uint8_t *p = data + 8;
    size_t left = size - 8;
    size_t plen = take(left, plen_want);
    const uint8_t *primary = p;
    p += plen;
    left -= plen;
    size_t l1 = take(left, l1_want);
    uint8_t *copy = NULL;
    if (fix && left > 0 && (copy = malloc(left)) != NULL) {
        memcpy(copy, p, left);
        fix_log(copy, l1);
        fix_log(copy + l1, left - l1);
        p = copy;
    }
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
    free(copy);
    return 0;
}
