/* Building the new-format log an in-place commit writes first. */
#include "base/bytes.h"
#include "regf/commit_internal.h"
#include "regf/marvin32.h"

#define HVLE_HDR 40u

wr_status wr_regf_build_log(const uint8_t *image, const uint8_t *hdr, uint32_t seq,
                            const struct wr_regf_run *runs, size_t nruns, uint8_t **out,
                            size_t *out_len, struct wr_err *err)
{
    uint64_t data = 0;
    for (size_t i = 0; i < nruns; i++)
        data += runs[i].size;
    uint64_t raw = HVLE_HDR + 8 * (uint64_t)nruns + data;
    uint64_t size = (raw + WR_REGF_PAGE - 1) / WR_REGF_PAGE * WR_REGF_PAGE;
    if (nruns == 0 || size > 0xFFFFF000u)
        return wr_fail(err, WR_E_TOO_BIG, "log entry of %llu bytes cannot be written",
                       (unsigned long long)size);
    /* Unzeroed: everything but the entry's padding is written below. */
    uint8_t *log = wr_realloc(NULL, WR_REGF_LOG_HDR + (size_t)size);
    if (!log)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory for a %llu-byte log",
                       (unsigned long long)size);

    memcpy(log, hdr, WR_REGF_LOG_HDR);
    wr_regf_bb_set_type(log, WR_REGF_TYPE_LOG_NEW);
    wr_regf_bb_set_seq(log, seq, seq);
    wr_regf_bb_update_checksum(log);

    uint8_t *e = log + WR_REGF_LOG_HDR;
    memcpy(e, "HvLE", 4);
    wr_put_le32(e + 4, (uint32_t)size);
    wr_put_le32(e + 8, wr_le32(hdr + WR_REGF_OFF_FLAGS) & 1u);
    wr_put_le32(e + 12, seq);
    wr_put_le32(e + 16, wr_le32(hdr + WR_REGF_OFF_BINS));
    wr_put_le32(e + 20, (uint32_t)nruns);
    uint8_t *ref = e + HVLE_HDR, *page = ref + 8 * nruns;
    for (size_t i = 0; i < nruns; i++) {
        wr_put_le32(ref + 8 * i, runs[i].off);
        wr_put_le32(ref + 8 * i + 4, runs[i].size);
        memcpy(page, image + WR_REGF_BASE_SIZE + runs[i].off, runs[i].size);
        page += runs[i].size;
    }
    memset(page, 0, (size_t)(size - raw)); /* the padding is hashed too */
    wr_put_le64(e + 24, wr_regf_marvin32(e + HVLE_HDR, (size_t)size - HVLE_HDR,
                                         WR_REGF_MARVIN32_SEED));
    wr_put_le64(e + 32, wr_regf_marvin32(e, 32, WR_REGF_MARVIN32_SEED));
    *out = log;
    *out_len = WR_REGF_LOG_HDR + (size_t)size;
    return WR_OK;
}
