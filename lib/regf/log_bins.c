/* After a new-format replay: a bin whose header the log left invalid becomes
 * an empty 4 KiB bin, as Windows does (regf-format.md §11.2, step 6),
 * instead of failing the whole recovery. */
#include "base/bytes.h"
#include "regf/log_internal.h"

#define BLOCK 4096u

static bool bin_ok(const uint8_t *b, uint32_t pos, uint32_t bins)
{
    uint32_t size = wr_le32(b + 8);
    return memcmp(b, "hbin", 4) == 0 && wr_le32(b + 4) == pos && size >= BLOCK &&
           size % BLOCK == 0 && size <= bins - pos;
}

static void dummy_bin(uint8_t *b, uint32_t pos)
{
    memset(b, 0, BLOCK);
    memcpy(b, "hbin", 4);
    wr_put_le32(b + 4, pos);
    wr_put_le32(b + 8, BLOCK);
    wr_put_le32(b + 32, BLOCK - 32); /* one free cell fills the body */
}

uint32_t wr_regf_fix_dirty_bins(uint8_t *img, size_t len, const uint8_t *dirty)
{
    uint32_t bins = wr_le32(img + WR_REGF_OFF_BINS), fixed = 0, pos = 0;
    if (!wr_span_ok(WR_REGF_BASE_SIZE, bins, len))
        return 0;
    /* Each step advances by at least one block, so this ends. */
    while (pos < bins) {
        uint8_t *b = img + WR_REGF_BASE_SIZE + pos;
        if (bin_ok(b, pos, bins)) {
            pos += wr_le32(b + 8);
            continue;
        }
        if (!(dirty[pos / BLOCK / 8] >> (pos / BLOCK % 8) & 1))
            break; /* not ours to mend: the validator will name it */
        dummy_bin(b, pos);
        fixed++;
        pos += BLOCK;
    }
    return fixed;
}
